import { createLogger } from '../../src/log/logger.js';
import { JobQueue } from '../../src/queue/job-queue.js';
import { InboxWriter } from '../../src/webhooks/inbox-writer.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('InboxWriter: inbox rows and their jobs, group-committed', () => {
  let t: TestDatabase;
  let queue: JobQueue;
  let portalId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    queue = new JobQueue(t.url, createLogger('silent'), null);
    await queue.start();
    portalId = (await t.db.query(`INSERT INTO portals (host, external_id, domain) VALUES ('bitrix24', 'w1', 'w.bitrix24.ru') RETURNING id`))[0].id;
  });
  afterAll(async () => {
    await queue.stop(1000);
    await t.drop();
  });

  const item = (k: string) => ({ portalId, dedupeKey: k, eventName: 'ONCRMDEALUPDATE', entityId: '1', payload: { k } });
  const counts = async () => ({
    inbox: Number((await t.db.query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n),
    jobs: Number((await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'event'`))[0].n),
  });

  it('stores every concurrent event with exactly one job, and answers duplicates as such', async () => {
    const writer = new InboxWriter(t.db, queue, 'event', { maxBatch: 7, maxInFlight: 2 });
    const keys = Array.from({ length: 60 }, (_, i) => `k${i % 40}`); // 20 repeats among 60 requests
    const results = await Promise.all(keys.map((k) => writer.write(item(k))));
    expect(results.filter((r) => r === 'accepted')).toHaveLength(40);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(20);
    expect(await counts()).toEqual({ inbox: 40, jobs: 40 });

    const again = await Promise.all(['k1', 'k2', 'new'].map((k) => writer.write(item(k))));
    expect(again).toEqual(['duplicate', 'duplicate', 'accepted']);
    expect(await counts()).toEqual({ inbox: 41, jobs: 41 });

    const jobKeys = (await t.db.query(`SELECT data->>'dedupeKey' AS k FROM pgboss.job WHERE name = 'event'`)).map((r: { k: string }) => r.k);
    expect(new Set(jobKeys).size).toBe(41);
  });

  it('rejects every waiting request when the statement fails, and stores nothing for them', async () => {
    const writer = new InboxWriter(t.db, queue, 'event');
    const before = await counts();
    const bad = { ...item('bad'), portalId: '00000000-0000-0000-0000-000000000000' }; // no such portal: FK violation
    await expect(writer.write(bad)).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });
});

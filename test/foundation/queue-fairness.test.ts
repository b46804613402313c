import { createLogger } from '../../src/log/logger.js';
import { JobQueue } from '../../src/queue/job-queue.js';
import { DEAD_LETTER_POLICY, type QueuePolicy } from '../../src/queue/queue-policies.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// One portal's backlog must not hold up the others. Portal A's 100 jobs are queued first, each slow
// (it waits on A's rate budget, as a real job would); portal B's 5 jobs come after. With a worker of
// four slots, B's jobs must not wait for A's backlog to drain. (The group limit is read when a slot
// fetches, so slots starting in the same instant may all take A's first jobs; from the next fetch
// on, a slot passes over A while A has a batch in flight.)
const SLOW: QueuePolicy = { name: 'slow', retryLimit: 0, retryDelay: 0, retryBackoff: false, retryDelayMax: 0, expireInSeconds: 60, deadLetter: null };

describe('queue fairness between portals', () => {
  let t: TestDatabase;
  let q: JobQueue;

  beforeAll(async () => {
    t = await createTestDatabase();
    q = new JobQueue(t.url, createLogger('silent'), null, { policies: [DEAD_LETTER_POLICY, SLOW] });
    await q.start();
  });
  afterAll(async () => {
    await q?.stop(2000);
    await t?.drop();
  });

  it('serves a later portal while an earlier portal’s backlog is still draining', async () => {
    const done: { portal: string; at: number }[] = [];
    q.register('slow', async (data: { portal: string }) => {
      await new Promise((r) => setTimeout(r, data.portal === 'A' ? 40 : 5));
      done.push({ portal: data.portal, at: Date.now() });
    });
    for (let i = 0; i < 100; i++) await q.send('slow', { portal: 'A' }, { groupId: 'A' });
    for (let i = 0; i < 5; i++) await q.send('slow', { portal: 'B' }, { groupId: 'B' });

    const started = Date.now();
    await q.startWorkers(4, 0.5);
    while (done.length < 105 && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    expect(done).toHaveLength(105);
    const lastB = Math.max(...done.filter((d) => d.portal === 'B').map((d) => d.at));
    const lastA = Math.max(...done.filter((d) => d.portal === 'A').map((d) => d.at));
    const aDoneBeforeB = done.filter((d) => d.portal === 'A' && d.at <= lastB).length;
    console.log(`fairness: ${aDoneBeforeB} of A's 100 jobs done before B's last`);
    expect(lastB).toBeLessThan(lastA);
    expect(aDoneBeforeB).toBeLessThan(60);
  }, 40_000);
});

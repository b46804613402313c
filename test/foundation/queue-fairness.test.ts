import { createLogger } from '../../src/log/logger.js';
import { JobQueue } from '../../src/queue/job-queue.js';
import { DEAD_LETTER_POLICY, type QueuePolicy } from '../../src/queue/queue-policies.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// One portal's backlog must not hold up the others. While one worker holds a batch of portal A's
// jobs (waiting on A's rate budget, as a real job would), another worker that fetches must pass over
// A's older jobs and take portal B's. Two queue instances stand for two worker processes; the first
// is holding its batch before the second fetches, so the check is deterministic. (The limit is read
// when a fetch starts: two fetches in the same instant can still both take A. Under load, slots
// drift apart and that is rare; see docs/benchmarks.md.)
const SLOW: QueuePolicy = { name: 'slow', retryLimit: 0, retryDelay: 0, retryBackoff: false, retryDelayMax: 0, expireInSeconds: 60, deadLetter: null };

describe('queue fairness between portals', () => {
  let t: TestDatabase;
  const queues: JobQueue[] = [];
  const newQueue = async () => {
    const q = new JobQueue(t.url, createLogger('silent'), null, { policies: [DEAD_LETTER_POLICY, SLOW] });
    await q.start();
    queues.push(q);
    return q;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    for (const q of queues) await q.stop(2000);
    await t?.drop();
  });

  it('passes over a portal that has a batch in flight and serves the next portal', async () => {
    let releaseA!: () => void;
    const gateA = new Promise<void>((r) => (releaseA = r));
    const done: string[] = [];
    const handler = async (data: { portal: string }) => {
      if (data.portal === 'A') await gateA;
      done.push(data.portal);
    };
    const first = await newQueue();
    first.register('slow', handler);
    for (let i = 0; i < 30; i++) await first.send('slow', { portal: 'A' }, { groupId: 'A' });
    for (let i = 0; i < 5; i++) await first.send('slow', { portal: 'B' }, { groupId: 'B' });

    await first.startWorkers(1, 0.5);
    const active = async (portal: string) =>
      (await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'slow' AND state = 'active' AND data->>'portal' = $1`, [portal]))[0].n;
    for (let i = 0; i < 100 && (await active('A')) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await active('A')).toBe(10);

    // A second worker process: A's 20 older jobs are waiting, yet it takes B's.
    const second = await newQueue();
    second.register('slow', handler);
    await second.startWorkers(1, 0.5);
    for (let i = 0; i < 100 && done.length < 5; i++) await new Promise((r) => setTimeout(r, 50));
    expect(done).toEqual(['B', 'B', 'B', 'B', 'B']);
    expect(await active('A')).toBe(10);

    releaseA();
    for (let i = 0; i < 200 && done.length < 35; i++) await new Promise((r) => setTimeout(r, 50));
    expect(done.filter((p) => p === 'A')).toHaveLength(30);
  }, 30_000);
});

import { JobQueue } from '../../src/queue/job-queue.js';
import { CronTicks } from '../../src/queue/cron-ticks.js';
import { DEAD_LETTER_POLICY, DEAD_LETTER_QUEUE, type QueuePolicy } from '../../src/queue/queue-policies.js';
import { createLogger } from '../../src/log/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const policy = (name: string, retryLimit: number): QueuePolicy => ({
  name,
  retryLimit,
  retryDelay: 0,
  retryBackoff: false,
  retryDelayMax: 0,
  expireInSeconds: 60,
  deadLetter: DEAD_LETTER_QUEUE,
});
const POLICIES = [DEAD_LETTER_POLICY, policy('flaky', 2), policy('tick-check', 0)];

describe('durable jobs', () => {
  let t: TestDatabase;
  const queues: JobQueue[] = [];
  const newQueue = async () => {
    const q = new JobQueue(t.url, createLogger('silent'), null, { policies: POLICIES });
    await q.start();
    queues.push(q);
    return q;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    for (const q of queues) await q.stop(1000);
    await t.drop();
  });

  it('retries a failing job up to its limit, then moves it to the dead-letter queue', async () => {
    const q = await newQueue();
    const attempts: number[] = [];
    const dead: unknown[] = [];
    q.register('flaky', async (_data, job) => {
      attempts.push(job.retryCount);
      throw new Error('host down');
    });
    q.register(DEAD_LETTER_QUEUE, async (data) => {
      dead.push(data);
    });

    await q.send('flaky', { portalId: 'p1', n: 1 });
    await q.drain();

    expect(attempts).toEqual([0, 1, 2]);
    expect(dead).toEqual([{ portalId: 'p1', n: 1 }]);
    const [failed] = await t.db.query(`SELECT state FROM pgboss.job WHERE name = 'flaky'`);
    expect(failed.state).toBe('failed');
  });

  it('completes a job that succeeds on a retry, and dead-letters nothing', async () => {
    const q = await newQueue();
    let calls = 0;
    const dead: unknown[] = [];
    q.register('flaky', async () => {
      calls++;
      if (calls === 1) throw new Error('blip');
    });
    q.register(DEAD_LETTER_QUEUE, async (data) => {
      dead.push(data);
    });
    const id = await q.send('flaky', { n: 2 });
    await q.drain();
    expect(calls).toBe(2);
    expect(dead).toEqual([]);
    const [row] = await t.db.query(`SELECT state, retry_count FROM pgboss.job WHERE id = $1`, [id]);
    expect(row).toEqual({ state: 'completed', retry_count: 1 });
  });

  it('runs a scheduled check once per tick however many instances tick', async () => {
    const a = await newQueue();
    const b = await newQueue();
    const runs: string[] = [];
    for (const q of [a, b]) q.register('tick-check', async (data: { tickAt: string }) => void runs.push(data.tickAt));
    const cronA = new CronTicks(a, [{ queue: 'tick-check', schedule: '* * * * *' }]);
    const cronB = new CronTicks(b, [{ queue: 'tick-check', schedule: '* * * * *' }]);

    const tick1 = new Date('2026-11-23T10:00:00.000Z');
    // Both instances tick for the same minute; their clocks differ by a few milliseconds.
    const ids = await Promise.all([cronA.fire('tick-check', tick1), cronB.fire('tick-check', new Date(tick1.getTime() + 3))]);
    expect(ids.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.drain(), b.drain()]);
    expect(runs).toEqual(['2026-11-23T10:00:00.000Z']);

    await Promise.all([cronA.fire('tick-check', new Date('2026-11-23T10:01:00.000Z')), cronB.fire('tick-check', new Date('2026-11-23T10:01:00.000Z'))]);
    await Promise.all([b.drain(), a.drain()]);
    expect(runs).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T10:01:00.000Z']);
  });

  it('turns real node-cron ticks of two instances into one job per tick', async () => {
    const a = await newQueue();
    const b = await newQueue();
    const cronA = new CronTicks(a, [{ queue: 'tick-check', schedule: '* * * * * *' }]);
    const cronB = new CronTicks(b, [{ queue: 'tick-check', schedule: '* * * * * *' }]);
    const before = Number((await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'tick-check'`))[0].n);
    const started = Date.now();
    cronA.start();
    cronB.start();
    // Wait for three ticks by watching the job table, not by sleeping a guessed time.
    let jobs: { data: { tickAt: string } }[] = [];
    while (Date.now() - started < 10_000) {
      jobs = await t.db.query(`SELECT data FROM pgboss.job WHERE name = 'tick-check' ORDER BY data->>'tickAt'`);
      if (jobs.length - before >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await cronA.stop();
    await cronB.stop();
    const ticks = jobs.slice(before).map((j) => j.data.tickAt);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});

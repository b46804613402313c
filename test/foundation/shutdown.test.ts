import type { Feature } from '../../src/app/app-context.js';
import { DEAD_LETTER_POLICY, DEAD_LETTER_QUEUE, type QueuePolicy } from '../../src/queue/queue-policies.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';

const slow: QueuePolicy = {
  name: 'slow',
  retryLimit: 0,
  retryDelay: 0,
  retryBackoff: false,
  retryDelayMax: 0,
  expireInSeconds: 60,
  deadLetter: DEAD_LETTER_QUEUE,
};

describe('graceful shutdown', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stops taking requests and jobs but lets the running job finish', async () => {
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const finished: string[] = [];
    const feature: Feature = {
      name: 'slow-test',
      jobs: () => [
        {
          queue: 'slow',
          handler: async (data: { n: number }) => {
            markStarted();
            await new Promise((r) => setTimeout(r, 700));
            finished.push(`job ${data.n}`);
          },
        },
      ],
    };
    const rt = await startTestRuntime({ databaseUrl: t.url, features: [feature], policies: [DEAD_LETTER_POLICY, slow] });
    expect((await fetch(`${rt.url}/healthz`)).status).toBe(200);
    const jobId = await rt.ctx.queue.send('slow', { n: 1 });
    await started;

    await rt.stop();

    expect(finished).toEqual(['job 1']);
    const [row] = await t.db.query(`SELECT state FROM pgboss.job WHERE id = $1`, [jobId]);
    expect(row.state).toBe('completed');
    await expect(fetch(`${rt.url}/healthz`)).rejects.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import type { Feature } from '../../src/app/app-context.js';
import type { Runtime } from '../../src/app/runtime.js';
import { deadLetterFeature } from '../../src/queue/dead-letter.feature.js';
import { allPolicies, DEAD_LETTER_QUEUE, type QueuePolicy } from '../../src/queue/queue-policies.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';

// A job that uses up its retries raises the alert an operator watches: an error log line, an audit
// row in its portal's log (what the admin sees on the violations and audit page), and the counter
// that ops/prometheus-alerts.yml alerts on.
const HOPELESS: QueuePolicy = { name: 'hopeless', retryLimit: 1, retryDelay: 0, retryBackoff: false, retryDelayMax: 0, expireInSeconds: 60, deadLetter: DEAD_LETTER_QUEUE };
const hopeless: Feature = {
  name: 'hopeless',
  jobs: () => [
    {
      queue: HOPELESS.name,
      handler: async () => {
        throw new Error('the host keeps refusing');
      },
    },
  ],
};

describe('dead-letter alert', () => {
  let t: TestDatabase;
  let rt: Runtime;
  let portalId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    rt = await startTestRuntime({ databaseUrl: t.url, features: [deadLetterFeature, hopeless], policies: [...allPolicies(), HOPELESS], pollWorkers: false });
    [{ id: portalId }] = await t.db.query(`INSERT INTO portals (host, external_id, domain, status) VALUES ('bitrix24', 'm-dl', 'dl.bitrix24.ru', 'active') RETURNING id`);
  });
  afterAll(async () => {
    await rt?.stop();
    await t?.drop();
  });

  const deadLettered = async () => {
    const text = await (await fetch(`${rt.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('stageguard_jobs_total{') && l.includes(`queue="${DEAD_LETTER_QUEUE}"`) && l.includes('outcome="completed"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('records the dead job in its portal’s audit log and counts it on /metrics', async () => {
    expect(await deadLettered()).toBe(0);
    await rt.ctx.queue.send(HOPELESS.name, { portalId, what: 'write a task' });
    await rt.ctx.queue.drain();
    const audit = await t.db.query(`SELECT actor, action, details FROM audit_log WHERE portal_id = $1`, [portalId]);
    expect(audit).toEqual([{ actor: 'system', action: 'job_dead_lettered', details: { jobId: expect.any(String), data: { portalId, what: 'write a task' } } }]);
    expect(await deadLettered()).toBe(1);
  });

  it('every metric the shipped alert rules use is one the service exposes', async () => {
    const rules = readFileSync(new URL('../../ops/prometheus-alerts.yml', import.meta.url), 'utf8');
    const used = [...new Set(rules.match(/stageguard_[a-z_]+/g))];
    const exposed = new Set(
      (await (await fetch(`${rt.url}/metrics`)).text())
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .map((l) => l.split(' ')[2]!.replace(/_(bucket|sum|count)$/, '')),
    );
    expect(used.length).toBeGreaterThanOrEqual(4);
    expect(used.filter((m) => !exposed.has(m))).toEqual([]);
  });
});

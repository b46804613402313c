import { addDays, formatLocalDate } from '../../src/reports/writeback/index.js';
import { localDateAt, zonedTimeToUtc } from '../../src/rules/working-time.js';
import { SANDBOX_ADMIN_ID, SANDBOX_MAIN_PIPELINE_ID } from '../../src/sandbox/amocrm/sandbox-seed.js';
import { issueSession } from '../../src/ui/session.js';
import { startAmocrmE2E, type AmocrmE2E } from './amocrm-harness.js';
import { immediateRetryPolicies } from './rules-scenarios.js';

// amoCRM has no API to notify a user: the digest and the KPI line arrive as a task for the person
// (the connector's notify), which amoCRM's own notification centre announces. It has no list either:
// no metrics record is written there.
// The account runs on the real clock (its tokens and rate window do); Stageguard's clock is moved to
// 09:30 Moscow on the following days. Every day is a working day here, so "since the previous working
// day" is exactly the day before.
const TZ = 'Europe/Moscow';
const today = localDateAt(new Date(), TZ);
const morningAfter = (days: number) => zonedTimeToUtc(addDays(today, days), 9, 30, TZ);

describe('metrics write-back to amoCRM (sandbox account)', () => {
  let now: Date = new Date();
  let e: AmocrmE2E;
  let admin: string;
  const api = (path: string, method: string, body: unknown) =>
    fetch(`${e.publicUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });

  beforeAll(async () => {
    e = await startAmocrmE2E({ policies: immediateRetryPolicies(), now: () => now });
    admin = issueSession({ portalId: e.portalId, userId: String(SANDBOX_ADMIN_ID), role: 'admin' }, e.rt.ctx.sessionSecret);
    const rules = {
      locale: 'en',
      headsOfSales: [String(SANDBOX_ADMIN_ID)],
      workingTime: { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '18:00', holidays: [] },
      pipelines: [{ pipelineId: String(SANDBOX_MAIN_PIPELINE_ID), skipping: { mode: 'off' } }],
      reports: { hourLocal: 9, digest: 'daily', kpiLine: true, hostRecord: true },
    };
    const r = await api('/api/rules', 'PUT', rules);
    expect([r.status, r.status === 201 ? null : await r.text()]).toEqual([201, null]);
    expect((await api('/api/plans', 'PUT', { managerId: '1002', metric: 'wonAmount', periodStart: '2026-01-01', periodEnd: '2027-12-31', target: 20000 })).status).toBe(200);
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('a won lead reaches the head of sales as the next morning’s digest task, the manager gets a KPI task, no record', async () => {
    const lead = e.sandbox.createLead({ name: 'Order', price: 5000, responsibleUserId: 1002, asUserId: 1002 });
    e.sandbox.addCall({ leadId: lead.id, direction: 'out', durationSec: 60, userId: 1002 });
    e.sandbox.moveLead(lead.id, 142, SANDBOX_MAIN_PIPELINE_ID, 1002);
    await e.settle();

    now = morningAfter(1);
    await e.rt.ctx.queue.send('metrics-writeback', { portalId: e.portalId });
    await e.settle();

    const digest = e.sandbox.tasks({ responsibleUserId: SANDBOX_ADMIN_ID }).filter((t) => t.text.includes(`Stageguard: results for ${formatLocalDate('en', today)}`));
    expect(digest).toHaveLength(1);
    expect(digest[0]!.text).toContain('• Boris Manager: calls 1, new deals 1, won 1 worth 5,000');
    const kpi = e.sandbox.tasks({ responsibleUserId: 1002 }).filter((t) => t.text.includes('your plan'));
    expect(kpi).toHaveLength(1);
    expect(kpi[0]!.text).toContain('Boris Manager, your plan 01/01/2026 – 12/31/2027: won amount 5,000 of 20,000 (25%');
    expect(await e.t.db.query(`SELECT count(*)::int AS n FROM actions WHERE portal_id = $1 AND kind = 'write_metrics_record'`, [e.portalId])).toEqual([{ n: 0 }]);
  });

  it('the day after, the digest updates the open task instead of adding one', async () => {
    now = morningAfter(2);
    await e.rt.ctx.queue.send('metrics-writeback', { portalId: e.portalId });
    await e.settle();
    const digests = e.sandbox.tasks({ responsibleUserId: SANDBOX_ADMIN_ID }).filter((t) => t.text.includes('Stageguard: results for'));
    expect(digests.map((t) => t.text.split('\n')[0])).toEqual([`Stageguard: results for ${formatLocalDate('en', addDays(today, 1))}`]);
  });
});

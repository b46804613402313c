import { METRICS_LIST_CODE } from '../../src/connectors/bitrix24/bitrix24-metrics-list.js';
import { metricsRecordSchema } from '../../src/reports/writeback/metrics-record.js';
import { ManualClock } from '../../src/sandbox/bitrix24/index.js';
import { issueSession } from '../../src/ui/session.js';
import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';
import { immediateRetryPolicies, scenarioRules } from './rules-scenarios.js';

// Reports written back to a Bitrix24 portal: the metrics list made at install, the head of sales'
// digest and a manager's KPI line as system notifications, one list element per manager and month.
// Moscow is UTC+3; the write-back hour is 09:00 Moscow, Monday to Friday.
const at = (iso: string) => new Date(iso);

describe('metrics write-back to Bitrix24 (sandbox portal)', () => {
  const clock = new ManualClock(at('2026-11-16T06:00:00Z'));
  let e: Bitrix24E2E;
  let admin: string;
  const api = (path: string, method: string, body: unknown) =>
    fetch(`${e.rt.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });
  const runAt = async (iso: string) => {
    clock.set(at(iso));
    await e.rt.ctx.queue.send('metrics-writeback', { portalId: e.portalId });
    await e.settle();
  };
  const list = () => e.sandbox.lists().find((l) => l.code === METRICS_LIST_CODE)!;
  /** The element's values by field CODE, as the portal holds them. */
  const element = (code: string) => {
    const el = e.sandbox.listElements(list().id).find((x) => x.code === code);
    if (!el) return null;
    const fields = e.sandbox.listFields().filter((f) => f.iblockId === list().id);
    return { name: el.name, ...Object.fromEntries(fields.map((f) => [f.code, el.properties[f.id]?.map((v) => v.value).join(',') ?? null])) };
  };

  beforeAll(async () => {
    e = await startBitrix24E2E({ sandbox: { clock, accessTokenTtlSec: 10 * 365 * 86400 }, policies: immediateRetryPolicies(), now: () => new Date(clock.now()) });
    admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
    const rules = scenarioRules('alert');
    rules.workingTime = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] };
    rules.headsOfSales = ['2'];
    rules.reports = { hourLocal: 9, digest: 'daily', kpiLine: true, hostRecord: true };
    const r = await api('/api/rules', 'PUT', rules);
    expect([r.status, r.status === 201 ? null : await r.text()]).toEqual([201, null]);
    const p = await api('/api/plans', 'PUT', { managerId: '3', metric: 'dealsWon', periodStart: '2026-11-01', periodEnd: '2026-11-30', target: 4 });
    expect(p.status).toBe(200);
  });
  afterAll(async () => {
    await e.stop();
  });

  it('install made the metrics list with every field, typed for the portal’s own filters', () => {
    const fields = e.sandbox.listFields().filter((f) => f.iblockId === list().id);
    expect(list().name).toBe(metricsRecordSchema('en').name);
    expect(fields.map((f) => [f.code, f.type])).toEqual(
      metricsRecordSchema('en').fields.map((f) => [f.code, f.type === 'employee' ? 'S:employee' : f.type === 'number' ? 'N' : 'S']),
    );
  });

  it('Monday’s work shows up in Tuesday’s digest, KPI line and list element', async () => {
    clock.set(at('2026-11-16T08:00:00Z'));
    const deal = e.sandbox.createDeal({ title: 'Big order', stageId: 'NEW', assignedById: 3, opportunity: 120000 }, 3).id;
    e.sandbox.addActivity({ ownerId: deal, typeId: 2, direction: 2, subject: 'Call', completed: true, responsibleId: 3, callDurationSec: 95, startTime: new Date(clock.now()) }, 3);
    e.sandbox.addActivity({ ownerId: deal, typeId: 2, direction: 1, subject: 'Call back', completed: true, responsibleId: 3, callDurationSec: 20, startTime: new Date(clock.now()) }, 3);
    clock.set(at('2026-11-16T12:00:00Z'));
    e.sandbox.moveDeal(deal, 'WON', 3);
    await e.settle();

    await runAt('2026-11-17T05:59:00Z');
    expect(e.sandbox.notifications(2).filter((n) => n.tag?.startsWith('stageguard:metrics-digest'))).toEqual([]);

    await runAt('2026-11-17T06:05:00Z');
    const [digest] = e.sandbox.notifications(2).filter((n) => n.tag === 'stageguard:metrics-digest:2');
    expect(digest!.message.split('\n').slice(0, 3)).toEqual([
      'Stageguard: results for 11/16/2026',
      'Team: calls 2 (in 1, out 1, over 30 s 1), meetings 0, offers 0, emails 0, chats 0, new deals 1, won 1 worth 120,000',
      // NEW straight to WON skipped the stages between: the rules (alert mode) recorded a violation.
      '• Irina Belova: calls 2, new deals 1, won 1 worth 120,000, violations 1',
    ]);
    // The link opens the app inside the portal (app.info's ID, kept at set-up), where the portal signs the user in.
    expect(digest!.message).toContain(`Dashboard: https://${e.sandbox.portal.domain}/marketplace/app/5/`);

    const [kpi] = e.sandbox.notifications(3).filter((n) => n.tag === 'stageguard:kpi:3');
    // 1 won of 4; 16 days 6 hours of 30 elapsed (plan days are UTC days): forecast 1 × 30 / 16.25 ≈ 2.
    expect(kpi!.message.split('\n')[0]).toBe('Irina Belova, your plan 11/01/2026 – 11/30/2026: deals won 1 of 4 (25%, forecast 2).');

    expect(element('stageguard-3-2026-11')).toMatchObject({
      name: 'Irina Belova · 2026-11',
      MANAGER: '3',
      PERIOD: '2026-11',
      PERIOD_START: '2026-11-01',
      PERIOD_END: '2026-11-16',
      CALLS_IN: '1',
      CALLS_OUT: '1',
      CALLS_OVER30S: '1',
      DEALS_CREATED: '1',
      DEALS_WON: '1',
      WON_AMOUNT: '120000',
      VIOLATIONS: '1',
    });
  });

  it('more ticks that day write nothing more to the portal', async () => {
    e.sandbox.resetStats();
    await runAt('2026-11-17T09:00:00Z');
    await runAt('2026-11-17T14:00:00Z');
    expect(e.sandbox.stats().httpRequests).toBe(0);
  });

  it('Wednesday rewrites the same element with the month to date and replaces the digest instead of piling it up', async () => {
    clock.set(at('2026-11-17T10:00:00Z'));
    const deal = e.sandbox.createDeal({ title: 'Second order', stageId: 'NEW', assignedById: 3, opportunity: 5000 }, 3).id;
    e.sandbox.addActivity({ ownerId: deal, typeId: 2, direction: 2, subject: 'Call', completed: true, responsibleId: 3, callDurationSec: 40, startTime: new Date(clock.now()) }, 3);
    await e.settle();
    const elements = e.sandbox.listElements(list().id).length;

    await runAt('2026-11-18T06:10:00Z');
    expect(e.sandbox.listElements(list().id)).toHaveLength(elements);
    expect(element('stageguard-3-2026-11')).toMatchObject({ PERIOD_END: '2026-11-17', CALLS_OUT: '2', CALLS_OVER30S: '2', DEALS_CREATED: '2', DEALS_WON: '1' });
    const digests = e.sandbox.notifications(2).filter((n) => n.tag === 'stageguard:metrics-digest:2');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.message.split('\n')[0]).toBe('Stageguard: results for 11/17/2026');
    expect(e.sandbox.replacedNotifications().some((n) => n.tag === 'stageguard:metrics-digest:2')).toBe(true);
  });

  it('an app update runs set-up again and finds the list: no second list, no second field', async () => {
    const lists = e.sandbox.lists().length;
    const fields = e.sandbox.listFields().length;
    e.sandbox.updateApp();
    await e.settle();
    expect(await e.t.db.query(`SELECT status FROM portals WHERE id = $1`, [e.portalId])).toEqual([{ status: 'active' }]);
    expect([e.sandbox.lists().length, e.sandbox.listFields().length]).toEqual([lists, fields]);
  });
});

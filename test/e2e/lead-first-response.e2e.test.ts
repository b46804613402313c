import { ManualClock } from '../../src/sandbox/bitrix24/index.js';
import { issueSession } from '../../src/ui/session.js';
import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';
import { immediateRetryPolicies, scenarioRules } from './rules-scenarios.js';

// Bitrix24 keeps leads apart from deals, and a new lead must be answered as fast as a new deal.
// Moscow is UTC+3; working hours Mon–Fri 09:00–18:00; first answer within 30 working minutes.
const at = (iso: string) => new Date(iso);

describe('slow first response to Bitrix24 leads', () => {
  const clock = new ManualClock(at('2026-11-20T14:50:00Z'));
  let e: Bitrix24E2E;
  let unanswered: number;
  let answered: number;
  let junk: number;

  beforeAll(async () => {
    e = await startBitrix24E2E({ sandbox: { clock, accessTokenTtlSec: 10 * 365 * 86400 }, policies: immediateRetryPolicies(), now: () => new Date(clock.now()) });
    const admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
    const c = scenarioRules('alert');
    c.workingTime = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] };
    c.pipelines[0]!.discipline = { stalledAfterWorkingDays: 5, requireNextContact: false, nextContactGraceHours: 0, firstResponseSlaMinutes: 30, escalateAfterHours: 24, overdueTasks: false, digest: { enabled: false, hourLocal: 9 } };
    const r = await fetch(`${e.rt.url}/api/rules`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(c) });
    expect(r.status).toBe(201);
  });
  afterAll(async () => {
    await e.stop();
  });

  const scanAt = async (iso: string) => {
    clock.set(at(iso));
    await e.rt.ctx.queue.send('discipline-scan', { portalId: e.portalId });
    await e.settle();
  };
  const leadViolations = async () =>
    e.t.db.query(
      `SELECT deal_id AS lead, manager_id, resolved_at IS NOT NULL AS resolved, details->>'responseWorkingMinutes' AS minutes FROM violations
        WHERE portal_id = $1 AND details->>'entity' = 'lead' ORDER BY deal_id`,
      [e.portalId],
    );

  it('Friday evening: three leads come in; one is called back at once, one is closed as junk on Saturday', async () => {
    unanswered = e.sandbox.createLead({ TITLE: 'Website form: 40 chairs', ASSIGNED_BY_ID: 3 }, 3);
    answered = e.sandbox.createLead({ TITLE: 'Call-back request', ASSIGNED_BY_ID: 4 }, 4);
    junk = e.sandbox.createLead({ TITLE: 'Spam', ASSIGNED_BY_ID: 5 }, 5);
    clock.set(at('2026-11-20T14:55:00Z'));
    e.sandbox.addActivity({ ownerId: answered, ownerTypeId: 1, typeId: 2, direction: 2, subject: 'Called back', completed: true, responsibleId: 4, callDurationSec: 120, startTime: new Date(clock.now()) }, 4);
    clock.set(at('2026-11-21T09:00:00Z'));
    e.sandbox.updateLead(junk, { STATUS_ID: 'JUNK' }, 5);
    await e.settle();
    const leads = await e.t.db.query(`SELECT id, responsible_id, open FROM leads WHERE portal_id = $1 ORDER BY id`, [e.portalId]);
    expect(leads).toEqual([
      { id: String(unanswered), responsible_id: '3', open: true },
      { id: String(answered), responsible_id: '4', open: true },
      { id: String(junk), responsible_id: '5', open: false },
    ]);
    const [call] = await e.t.db.query(`SELECT lead_ids, deal_ids FROM activities WHERE portal_id = $1`, [e.portalId]);
    expect(call).toEqual({ lead_ids: [String(answered)], deal_ids: [] });
  });

  it('Monday 09:20 Moscow: 30 working minutes have not passed yet (Friday 17:50–18:00 and Monday from 09:00)', async () => {
    await scanAt('2026-11-23T06:20:00Z');
    expect(await leadViolations()).toEqual([]);
  });

  it('Monday 10:00: the unanswered lead is late and its manager is told; the answered and the junk lead are not judged late', async () => {
    await scanAt('2026-11-23T07:00:00Z');
    expect(await leadViolations()).toEqual([{ lead: String(unanswered), manager_id: '3', resolved: false, minutes: '70' }]);
    const notes = e.sandbox.notifications(3).filter((n) => n.message.includes('Website form: 40 chairs'));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(/^Lead «Website form: 40 chairs»/);
    await scanAt('2026-11-23T07:15:00Z');
    expect(e.sandbox.notifications(3).filter((n) => n.message.includes('Website form: 40 chairs'))).toHaveLength(1);
  });

  it('the manager calls at last: the violation is resolved by the next scan', async () => {
    clock.set(at('2026-11-23T07:20:00Z'));
    e.sandbox.addActivity({ ownerId: unanswered, ownerTypeId: 1, typeId: 2, direction: 2, subject: 'Sorry for the wait', completed: true, responsibleId: 3, callDurationSec: 300, startTime: new Date(clock.now()) }, 3);
    await e.settle();
    await scanAt('2026-11-23T07:30:00Z');
    expect(await leadViolations()).toEqual([{ lead: String(unanswered), manager_id: '3', resolved: true, minutes: '70' }]);
  });

  it('a lead whose event never arrived is picked up by the next reconcile and judged like the others', async () => {
    e.sandbox.deadEndpoint = true;
    clock.set(at('2026-11-23T07:40:00Z'));
    const lost = e.sandbox.createLead({ TITLE: 'Lost event lead', ASSIGNED_BY_ID: 4 }, 4);
    // Stageguard is unreachable while the event goes out, and Bitrix24 never sends it again.
    await e.sandbox.waitForDeliveries();
    e.sandbox.deadEndpoint = false;
    await e.settle();
    expect(await e.t.db.query(`SELECT id FROM leads WHERE portal_id = $1 AND id = $2`, [e.portalId, String(lost)])).toEqual([]);
    await e.rt.ctx.queue.send('reconcile', { portalId: e.portalId });
    await e.settle();
    expect(await e.t.db.query(`SELECT open FROM leads WHERE portal_id = $1 AND id = $2`, [e.portalId, String(lost)])).toEqual([{ open: true }]);
    await scanAt('2026-11-23T08:20:00Z');
    expect((await leadViolations()).filter((v: { lead: string }) => v.lead === String(lost))).toEqual([{ lead: String(lost), manager_id: '4', resolved: false, minutes: '40' }]);
  });

  it('the daily digest to the heads of sales counts the open lead violations with the first pipeline', async () => {
    const admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
    const current = (await (await fetch(`${e.rt.url}/api/rules`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { config: any };
    current.config.pipelines[0].discipline.digest = { enabled: true, hourLocal: 9 };
    const r = await fetch(`${e.rt.url}/api/rules`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(current.config) });
    expect(r.status).toBe(201);
    await scanAt('2026-11-24T06:30:00Z');
    const digest = e.sandbox.notifications(1).filter((n) => n.tag?.startsWith('stageguard:discipline-digest'));
    expect(digest).toHaveLength(1);
    expect(digest[0]!.message).toMatch(/slow first response 1/);
  });
});

import { ManualClock } from '../../src/sandbox/bitrix24/index.js';
import { issueSession } from '../../src/ui/session.js';
import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';
import { immediateRetryPolicies, scenarioRules } from './rules-scenarios.js';

// One clock for the portal and for Stageguard. Moscow is UTC+3; working hours Mon–Fri 09:00–18:00.
// Friday 2026-11-20 17:55 Moscow is 14:55Z.
const at = (iso: string) => new Date(iso);

function disciplineRules(timeZone: string) {
  const c = scenarioRules('alert');
  c.workingTime = { timeZone, days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] };
  c.pipelines[0]!.discipline = {
    stalledAfterWorkingDays: 2,
    requireNextContact: true,
    nextContactGraceHours: 4,
    firstResponseSlaMinutes: 30,
    escalateAfterHours: 24,
    overdueTasks: true,
    digest: { enabled: false, hourLocal: 9 },
  };
  // Stalling is judged by the pipeline default here, not the example's per-stage limits.
  for (const s of c.pipelines[0]!.stages) delete s.maxDaysInStage;
  return c;
}

describe('discipline checks on schedule (Bitrix24 sandbox, controllable clock)', () => {
  const clock = new ManualClock(at('2026-11-20T14:55:00Z'));
  let e: Bitrix24E2E;
  let admin: string;
  const put = (config: unknown) =>
    fetch(`${e.rt.url}/api/rules`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(config) });

  beforeAll(async () => {
    e = await startBitrix24E2E({
      sandbox: { clock, accessTokenTtlSec: 10 * 365 * 86400 },
      policies: immediateRetryPolicies(),
      now: () => new Date(clock.now()),
    });
    admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
    const r = await put(disciplineRules('Europe/Moscow'));
    expect([r.status, r.status === 201 ? null : await r.text()]).toEqual([201, null]);
  });
  afterAll(async () => {
    await e.stop();
  });

  async function scanAt(iso: string) {
    clock.set(at(iso));
    await e.rt.ctx.queue.send('discipline-scan', { portalId: e.portalId });
    await e.settle();
  }
  const violations = async (dealId: number) =>
    e.t.db.query(`SELECT kind, detected_at, escalated_at, resolved_at FROM violations WHERE portal_id = $1 AND deal_id = $2 AND kind <> 'stage_skipped' ORDER BY kind`, [e.portalId, String(dealId)]);
  const open = async (dealId: number) => (await violations(dealId)).filter((v: { resolved_at: Date | null }) => !v.resolved_at).map((v: { kind: string }) => v.kind);
  const notes = (userId: number, dealTitle: string) => e.sandbox.notifications(userId).filter((n) => n.message.includes(dealTitle));

  let healthy: number;
  let problem: number;
  let skipper: number;

  it('seeds a healthy deal, a neglected one and a skipped one on Friday evening', async () => {
    clock.set(at('2026-11-20T14:56:00Z'));
    healthy = e.sandbox.createDeal({ title: 'Healthy deal', stageId: 'NEW', assignedById: 3, opportunity: 1000 }, 3).id;
    e.sandbox.addActivity({ ownerId: healthy, typeId: 2, direction: 2, subject: 'First call', completed: true, responsibleId: 3, callDurationSec: 95, startTime: new Date(clock.now()) }, 3);
    e.sandbox.addActivity({ ownerId: healthy, typeId: 1, subject: 'Meeting next week', completed: false, responsibleId: 3, startTime: at('2026-12-02T09:00:00Z') }, 3);
    problem = e.sandbox.createDeal({ title: 'Neglected deal', stageId: 'NEW', assignedById: 4, opportunity: 2000 }, 4).id;
    skipper = e.sandbox.createDeal({ title: 'Skipped deal', stageId: 'NEW', assignedById: 5, opportunity: 3000 }, 5).id;
    e.sandbox.addActivity({ ownerId: skipper, typeId: 2, direction: 2, subject: 'Call', completed: true, responsibleId: 5, startTime: new Date(clock.now()) }, 5);
    e.sandbox.addActivity({ ownerId: skipper, typeId: 1, subject: 'Meeting', completed: false, responsibleId: 5, startTime: at('2026-12-02T09:00:00Z') }, 5);
    clock.set(at('2026-11-20T15:00:00Z'));
    e.sandbox.moveDeal(skipper, 'FINAL_INVOICE', 5);
    await e.settle();
    expect(await e.t.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1`, [e.portalId])).toEqual([{ n: 3 }]);
  });

  it('Saturday noon: the neglected deal has no next contact; a Friday-evening deal is not late for its first answer outside working hours', async () => {
    await scanAt('2026-11-21T09:00:00Z');
    expect(await open(problem)).toEqual(['next_contact_missing']);
    expect(await open(healthy)).toEqual([]);
    expect(notes(4, 'Neglected deal')).toHaveLength(1);
  });

  it('the same data judged in UTC working hours: the first answer is late already (time zone changes the outcome)', async () => {
    expect((await put(disciplineRules('UTC'))).status).toBe(201);
    await scanAt('2026-11-21T09:05:00Z');
    expect(await open(problem)).toEqual(['next_contact_missing', 'slow_first_response']);
    expect((await put(disciplineRules('Europe/Moscow'))).status).toBe(201);
    await scanAt('2026-11-21T09:10:00Z');
    // Back in Moscow hours the SLA has not run out: the finding cleared by itself.
    expect(await open(problem)).toEqual(['next_contact_missing']);
  });

  it('a second run finds the same problem and alerts nobody again', async () => {
    const before = e.sandbox.notifications().length;
    await scanAt('2026-11-21T10:00:00Z');
    expect(await open(problem)).toEqual(['next_contact_missing']);
    expect(e.sandbox.notifications().length).toBe(before);
  });

  it('Monday 10:00 Moscow: the SLA has run out in working minutes, and the day-old violation is escalated once to the heads of sales', async () => {
    await scanAt('2026-11-23T07:00:00Z');
    expect(await open(problem)).toEqual(['next_contact_missing', 'slow_first_response']);
    const missing = (await violations(problem)).find((v: { kind: string }) => v.kind === 'next_contact_missing');
    expect(missing.escalated_at).not.toBeNull();
    expect(notes(1, 'Neglected deal').length).toBeGreaterThanOrEqual(1);
    expect(notes(2, 'Neglected deal').length).toBeGreaterThanOrEqual(1);
    const headNotes = [notes(1, 'Neglected deal').length, notes(2, 'Neglected deal').length];
    await scanAt('2026-11-23T08:00:00Z');
    expect([notes(1, 'Neglected deal').length, notes(2, 'Neglected deal').length]).toEqual(headNotes);
    expect(await open(healthy)).toEqual([]);
  });

  it('Tuesday evening: two working days without a sign of life is a stalled deal; the fix task past its deadline is overdue', async () => {
    // The healthy deal's manager keeps working it: a call on Monday.
    clock.set(at('2026-11-23T09:00:00Z'));
    e.sandbox.addActivity({ ownerId: healthy, typeId: 2, direction: 1, subject: 'Client called back', completed: true, responsibleId: 3, callDurationSec: 200, startTime: new Date(clock.now()) }, 3);
    await e.settle();
    await scanAt('2026-11-24T16:00:00Z');
    expect(await open(problem)).toEqual(['deal_stalled', 'next_contact_missing', 'slow_first_response']);
    // Nothing has happened on the skipped deal since Friday either: stalled, and its fix task is late.
    expect(await open(skipper)).toEqual(['deal_stalled', 'task_overdue']);
    expect(await open(healthy)).toEqual([]);
  });

  it('resolves each finding by itself once the problem is fixed', async () => {
    clock.set(at('2026-11-24T16:10:00Z'));
    e.sandbox.addActivity({ ownerId: problem, typeId: 2, direction: 2, subject: 'Finally called', completed: true, responsibleId: 4, callDurationSec: 40, startTime: new Date(clock.now()) }, 4);
    e.sandbox.addActivity({ ownerId: problem, typeId: 1, subject: 'Demo', completed: false, responsibleId: 4, startTime: at('2026-12-03T09:00:00Z') }, 4);
    e.sandbox.addActivity({ ownerId: skipper, typeId: 4, direction: 2, subject: 'Invoice sent', completed: true, responsibleId: 5, startTime: new Date(clock.now()) }, 5);
    const fixTask = e.sandbox.tasks().find((t) => t.ufCrmTask.includes(`D_${skipper}`))!;
    e.sandbox.completeTask(fixTask.id);
    await e.settle();
    await scanAt('2026-11-24T16:30:00Z');
    expect(await open(problem)).toEqual([]);
    expect(await open(skipper)).toEqual([]);
    const all = await violations(problem);
    // The slow first response came twice: on Saturday under UTC hours (cleared when the rules went
    // back to Moscow) and again on Monday. Each occurrence keeps its own row, times and resolution.
    expect(all.map((v: { kind: string }) => v.kind)).toEqual(['deal_stalled', 'next_contact_missing', 'slow_first_response', 'slow_first_response']);
    expect(all.every((v: { resolved_at: Date | null }) => v.resolved_at !== null)).toBe(true);
    const slow = all.filter((v: { kind: string }) => v.kind === 'slow_first_response').map((v: { detected_at: Date; resolved_at: Date }) => [v.detected_at.toISOString(), v.resolved_at.toISOString()]);
    expect(slow.sort()).toEqual([
      ['2026-11-21T09:05:00.000Z', '2026-11-21T09:10:00.000Z'],
      ['2026-11-23T07:00:00.000Z', '2026-11-24T16:30:00.000Z'],
    ]);
  });
});

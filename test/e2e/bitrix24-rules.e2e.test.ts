import type { ActionRow } from '../../src/actions/action.repository.js';
import { addWorkingDays } from '../../src/rules/index.js';
import { issueSession } from '../../src/ui/session.js';
import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';
import { immediateRetryPolicies, scenarioRules } from './rules-scenarios.js';

// Crash injection: every action's first attempt "dies" right after the host accepted the write and
// before the result is recorded, as a killed worker would.
const crashed = new Set<string>();
const faults = {
  afterHostWrite: (row: ActionRow) => {
    const key = `${row.portalId}:${row.id}`;
    if (!crashed.has(key)) {
      crashed.add(key);
      throw new Error(`simulated crash after host write of action ${row.id}`);
    }
  },
};

describe.each(['alert', 'enforce'] as const)('stage rules end to end on Bitrix24 (%s mode)', (mode) => {
  let e: Bitrix24E2E;
  let admin: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${e.rt.url}/api${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...(init.headers ?? {}) } });

  beforeAll(async () => {
    e = await startBitrix24E2E({ features: { actionFaults: faults }, policies: immediateRetryPolicies() });
    admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
    const r = await api('/rules', { method: 'PUT', body: JSON.stringify(scenarioRules(mode)) });
    expect(r.status).toBe(201);
    e.sandbox.deliveryMode = 'manual';
  });
  afterAll(async () => {
    await e.stop();
  });

  /** Deliver every queued event three times, run all jobs (with one crash per action), repeat until quiet. */
  async function deliverTripleAndRun(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const sent = await e.sandbox.flushEvents({ duplicate: 3 });
      const ran = await e.rt.ctx.queue.drain();
      if (sent.length === 0 && ran === 0) return;
    }
    throw new Error('did not settle');
  }

  it('catches NEW → FINAL_INVOICE skipping two required stages, once', async () => {
    const deal = e.sandbox.createDeal({ title: `Skipper ${mode}`, stageId: 'NEW', assignedById: 3, opportunity: 5000, companyId: 12 }, 3);
    await deliverTripleAndRun();
    e.sandbox.moveDeal(deal.id, 'FINAL_INVOICE', 3);
    await deliverTripleAndRun();

    const violations = await e.t.db.query(`SELECT kind, manager_id, details FROM violations WHERE portal_id = $1 AND deal_id = $2`, [e.portalId, String(deal.id)]);
    expect(violations).toHaveLength(1);
    expect(violations[0].kind).toBe('stage_skipped');
    expect(violations[0].manager_id).toBe('3');
    expect(violations[0].details.skippedStageIds).toEqual(['PREPARATION', 'PREPAYMENT_INVOICE']);

    const notes = e.sandbox.notifications().filter((n) => n.message.includes(`Skipper ${mode}`));
    expect(notes.map((n) => n.userId).sort()).toEqual([1, 2]);
    const tasks = e.sandbox.tasks().filter((t) => t.ufCrmTask.includes(`D_${deal.id}`));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.responsibleId).toBe(3);
    const comments = e.sandbox.comments(deal.id);
    expect(comments).toHaveLength(1);
    const name = (id: string) => e.sandbox.stages(0).find((st) => st.statusId === id)!.name;
    expect(comments[0]!.comment).toContain(name('PREPARATION'));
    expect(comments[0]!.comment).toContain(name('PREPAYMENT_INVOICE'));

    if (mode === 'enforce') {
      expect(e.sandbox.deal(deal.id)!.stageId).toBe('NEW');
      // The rollback came back as a stage change of its own; it is the app's, never judged.
      const verdicts = await e.t.db.query(`SELECT to_stage_id, verdict FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 ORDER BY at, id`, [e.portalId, String(deal.id)]);
      expect(verdicts.map((v: { to_stage_id: string; verdict: string }) => `${v.to_stage_id}:${v.verdict}`)).toEqual(['NEW:ok', 'FINAL_INVOICE:violation', 'NEW:own_move']);
    } else {
      expect(e.sandbox.deal(deal.id)!.stageId).toBe('FINAL_INVOICE');
    }
    // Each action crashed once after its host write, and still happened exactly once.
    const actions = await e.t.db.query(`SELECT kind, status, attempts FROM actions WHERE portal_id = $1 AND deal_id = $2`, [e.portalId, String(deal.id)]);
    expect(actions.filter((a: { status: string; attempts: number }) => a.status !== "done" || a.attempts !== 2)).toEqual([]);
  });

  it('lets a client who is ready to buy jump NEW → FINAL_INVOICE (fast track)', async () => {
    const deal = e.sandbox.createDeal({ title: `Ready ${mode}`, stageId: 'NEW', assignedById: 4, opportunity: 9000, companyId: 14 }, 4);
    await deliverTripleAndRun();
    const r = await api(`/deals/${deal.id}/goals`, { method: 'POST', body: JSON.stringify({ code: 'ready_to_buy' }) });
    expect(r.status).toBe(201);
    const again = await api(`/deals/${deal.id}/goals`, { method: 'POST', body: JSON.stringify({ code: 'ready_to_buy' }) });
    expect(again.status).toBe(200);
    await deliverTripleAndRun();
    e.sandbox.moveDeal(deal.id, 'FINAL_INVOICE', 4);
    await deliverTripleAndRun();

    expect(await e.t.db.query(`SELECT id FROM violations WHERE portal_id = $1 AND deal_id = $2`, [e.portalId, String(deal.id)])).toEqual([]);
    const [t] = await e.t.db.query(`SELECT verdict FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 AND to_stage_id = 'FINAL_INVOICE'`, [e.portalId, String(deal.id)]);
    expect(t.verdict).toBe('fast_track');
    expect(e.sandbox.deal(deal.id)!.stageId).toBe('FINAL_INVOICE');
    // The goal's own reactions ran once: one notification per head of sales, one comment.
    expect(e.sandbox.notifications().filter((n) => n.message.includes(`Ready ${mode}`)).map((n) => n.userId).sort()).toEqual([1, 2]);
    expect(e.sandbox.comments(deal.id)).toHaveLength(1);
  });

  it('reacts to "requirements received" marked in the deal card: moves, reassigns, sets the company, sets the legal task, clears the mark', async () => {
    const deal = e.sandbox.createDeal({ title: `Contract ${mode}`, stageId: 'PREPARATION', assignedById: 3, opportunity: 12000, companyId: 12 }, 3);
    await deliverTripleAndRun();
    const enumId = e.sandbox.userFields().find((f) => f.fieldName === 'UF_CRM_STAGEGUARD_GOAL')!.list.find((i) => i.xmlId === 'requirements_received')!.id;
    const markedAt = new Date();
    e.sandbox.updateDeal(deal.id, { uf: { UF_CRM_STAGEGUARD_GOAL: enumId } }, 3);
    await deliverTripleAndRun();

    const after = e.sandbox.deal(deal.id)!;
    expect(after.stageId).toBe('PREPAYMENT_INVOICE');
    expect(after.assignedById).toBe(5);
    expect(after.uf.UF_CRM_STAGEGUARD_GOAL ?? null).toBeNull();
    expect((e.sandbox as unknown as { ctx: { state: { crmEntity(t: number, id: number): { fields: Record<string, unknown> } } } }).ctx.state.crmEntity(4, 12).fields.COMPANY_TYPE).toBe('CUSTOMER');

    const legal = e.sandbox.tasks().filter((t) => t.title === `Legal: approve contract for Contract ${mode}`);
    expect(legal).toHaveLength(1);
    expect(legal[0]!.responsibleId).toBe(1);
    const expected = addWorkingDays(markedAt, 1, scenarioRules(mode).workingTime).getTime();
    expect(Math.abs(legal[0]!.deadline! - expected)).toBeLessThanOrEqual(60_000);

    expect(e.sandbox.comments(deal.id)).toHaveLength(1);
    // The app's own move to PREPAYMENT_INVOICE is never a violation.
    expect(await e.t.db.query(`SELECT id FROM violations WHERE portal_id = $1 AND deal_id = $2`, [e.portalId, String(deal.id)])).toEqual([]);
    const goals = await e.t.db.query(`SELECT goal_code, source FROM deal_goals WHERE portal_id = $1 AND deal_id = $2`, [e.portalId, String(deal.id)]);
    expect(goals).toEqual([{ goal_code: 'requirements_received', source: 'deal_field' }]);
  });

  it('refuses an invalid config with the path of the problem and keeps the active one', async () => {
    const before = (await (await api('/rules')).json()) as { version: number };
    const bad = scenarioRules(mode);
    const goal = bad.pipelines[0]!.goals.find((g) => g.code === 'requirements_received')!;
    goal.reactions[0] = { type: 'moveToStage', stageId: 'NO_SUCH_STAGE' };
    const r = await api('/rules', { method: 'PUT', body: JSON.stringify(bad) });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: string; message: string; details: { path: string }[] };
    expect(body.details.map((d) => d.path)).toContain('pipelines.0.goals.1.reactions.0.stageId');
    expect(body.message).toContain('pipelines.0.goals.1.reactions.0.stageId');
    const now = (await (await api('/rules')).json()) as { version: number };
    expect(now.version).toBe(before.version);
  });
});

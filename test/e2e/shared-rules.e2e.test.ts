import type { ActionRow } from '../../src/actions/action.repository.js';
import { addWorkingDays } from '../../src/rules/index.js';
import { HOST_DRIVERS, sharedScenarioRules, type HostDriver } from './host-drivers.js';
import { immediateRetryPolicies } from './rules-scenarios.js';

// The rules scenarios, once, against every host: the same moves, goals and expectations on the
// Bitrix24 sandbox portal and the amoCRM sandbox account, through each host's own wire formats.
//
// Crash injection: every action's first attempt "dies" right after the host accepted the write and
// before the result is recorded, as a killed worker would; every event arrives three times.
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

const CASES = HOST_DRIVERS.flatMap((driver) => (['alert', 'enforce'] as const).map((mode) => ({ driver, mode, name: `${driver.host}, ${mode}` })));

describe.each(CASES)('stage rules end to end ($name)', ({ driver, mode }) => {
  let h: HostDriver;
  const label = `${driver.host} ${mode}`;
  const db = (sql: string, params: unknown[]) => h.t.db.query(sql, params);

  beforeAll(async () => {
    h = await driver.start({ features: { actionFaults: faults }, policies: immediateRetryPolicies() });
    const r = await h.api('/rules', { method: 'PUT', body: JSON.stringify(sharedScenarioRules(h, mode)) });
    expect(r.status).toBe(201);
    h.holdEvents();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Each action crashed once after its host write, and still happened exactly once. */
  async function expectEveryActionDoneOnceAfterACrash(dealId: string): Promise<void> {
    const actions = await db(`SELECT kind, status, attempts FROM actions WHERE portal_id = $1 AND deal_id = $2`, [h.portalId, dealId]);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a: { status: string; attempts: number }) => a.status !== 'done' || a.attempts !== 2)).toEqual([]);
  }

  it('catches NEW → INVOICE skipping two required stages, once', async () => {
    const title = `Skipper ${label}`;
    const deal = await h.createDeal({ title, stage: 'NEW', responsible: 'manager', amount: 5000 });
    await h.deliverTripleAndRun();
    await h.moveDeal(deal, 'INVOICE', 'manager');
    await h.deliverTripleAndRun();

    const violations = await db(`SELECT kind, manager_id, details FROM violations WHERE portal_id = $1 AND deal_id = $2`, [h.portalId, deal]);
    expect(violations).toHaveLength(1);
    expect(violations[0].kind).toBe('stage_skipped');
    expect(violations[0].manager_id).toBe(h.user('manager'));
    expect(violations[0].details.skippedStageIds).toEqual([h.stage('QUALIFY'), h.stage('PREPAY')]);

    expect(h.notifications().filter((n) => n.message.includes(title)).map((n) => n.userId).sort()).toEqual([h.user('head1'), h.user('head2')].sort());
    const tasks = h.tasks(deal);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.responsibleId).toBe(h.user('manager'));
    const comments = h.comments(deal);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain(h.stageName('QUALIFY'));
    expect(comments[0]).toContain(h.stageName('PREPAY'));

    if (mode === 'enforce') {
      expect(h.dealStage(deal)).toBe('NEW');
      // The rollback came back as a stage change of its own; it is the app's, never judged.
      const verdicts = await db(`SELECT to_stage_id, verdict FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 ORDER BY at, id`, [h.portalId, deal]);
      expect(verdicts.map((v: { to_stage_id: string; verdict: string }) => `${v.to_stage_id}:${v.verdict}`)).toEqual([
        `${h.stage('NEW')}:ok`,
        `${h.stage('INVOICE')}:violation`,
        `${h.stage('NEW')}:own_move`,
      ]);
    } else {
      expect(h.dealStage(deal)).toBe('INVOICE');
    }
    await expectEveryActionDoneOnceAfterACrash(deal);
  });

  it('lets a client who is ready to buy jump NEW → INVOICE (fast track, goal marked with the app button)', async () => {
    const title = `Ready ${label}`;
    const deal = await h.createDeal({ title, stage: 'NEW', responsible: 'manager2', amount: 9000 });
    await h.deliverTripleAndRun();
    expect(await h.markGoalViaApi(deal, 'ready_to_buy')).toBe(201);
    expect(await h.markGoalViaApi(deal, 'ready_to_buy')).toBe(200);
    await h.deliverTripleAndRun();
    await h.moveDeal(deal, 'INVOICE', 'manager2');
    await h.deliverTripleAndRun();

    expect(await db(`SELECT id FROM violations WHERE portal_id = $1 AND deal_id = $2`, [h.portalId, deal])).toEqual([]);
    const [t] = await db(`SELECT verdict FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 AND to_stage_id = $3`, [h.portalId, deal, h.stage('INVOICE')]);
    expect(t.verdict).toBe('fast_track');
    expect(h.dealStage(deal)).toBe('INVOICE');
    // The goal's own reactions ran once: one notification per head of sales, one comment.
    expect(h.notifications().filter((n) => n.message.includes(title)).map((n) => n.userId).sort()).toEqual([h.user('head1'), h.user('head2')].sort());
    expect(h.comments(deal)).toHaveLength(1);
    await expectEveryActionDoneOnceAfterACrash(deal);
  });

  it('reacts to "requirements received" marked in the deal card: moves, reassigns, sets the company, sets the legal task, clears the mark', async () => {
    const title = `Contract ${label}`;
    const deal = await h.createDeal({ title, stage: 'QUALIFY', responsible: 'manager', amount: 12000 });
    await h.deliverTripleAndRun();
    const markedAt = new Date();
    await h.markGoalInCard(deal, 'requirements_received', 'manager');
    await h.deliverTripleAndRun();

    expect(h.dealStage(deal)).toBe('PREPAY');
    expect(h.responsible(deal)).toBe(h.user('closer'));
    expect(h.goalMark(deal)).toBeNull();
    expect(h.clientFieldValue()).toBe(h.clientField.value);

    const legal = h.tasks(deal).filter((task) => task.title === `Legal: approve contract for ${title}`);
    expect(legal).toHaveLength(1);
    expect(legal[0]!.responsibleId).toBe(h.user('legal'));
    const expected = addWorkingDays(markedAt, 1, sharedScenarioRules(h, mode).workingTime).getTime();
    expect(Math.abs(legal[0]!.deadline! - expected)).toBeLessThanOrEqual(60_000);

    expect(h.comments(deal)).toHaveLength(1);
    // The app's own move to PREPAY is never a violation.
    expect(await db(`SELECT id FROM violations WHERE portal_id = $1 AND deal_id = $2`, [h.portalId, deal])).toEqual([]);
    const goals = await db(`SELECT goal_code, source FROM deal_goals WHERE portal_id = $1 AND deal_id = $2`, [h.portalId, deal]);
    expect(goals).toEqual([{ goal_code: 'requirements_received', source: 'deal_field' }]);
    await expectEveryActionDoneOnceAfterACrash(deal);
  });

  it('refuses an invalid config with the path of the problem and keeps the active one', async () => {
    const before = (await (await h.api('/rules')).json()) as { version: number };
    const bad = sharedScenarioRules(h, mode);
    const goal = bad.pipelines[0]!.goals.find((g) => g.code === 'requirements_received')!;
    goal.reactions[0] = { type: 'moveToStage', stageId: 'NO_SUCH_STAGE' };
    const r = await h.api('/rules', { method: 'PUT', body: JSON.stringify(bad) });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: string; message: string; details: { path: string }[] };
    expect(body.details.map((d) => d.path)).toContain('pipelines.0.goals.1.reactions.0.stageId');
    expect(body.message).toContain('pipelines.0.goals.1.reactions.0.stageId');
    const now = (await (await h.api('/rules')).json()) as { version: number };
    expect(now.version).toBe(before.version);
  });
});

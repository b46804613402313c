import type { Frame, Page } from 'playwright-core';
import { startUiHarness, type UiHarness } from './support/ui-harness.js';
import { B2B_STAGE, b2bFiveStageRules, NEGOTIATION_DEAL, NEGOTIATION_TITLE, seedPortalA, type SeededPortal } from './support/ui-seed.js';

describe('deal tab (manager)', () => {
  let h: UiHarness;
  let a: SeededPortal;
  let manager: string;
  let tab: Page;
  let frame: Frame;

  beforeAll(async () => {
    h = await startUiHarness();
    a = await seedPortalA(h.rt, new Date());
    const admin = h.session(a.portal.id, 'admin');
    expect((await h.api(admin, '/api/rules', { method: 'PUT', body: JSON.stringify(b2bFiveStageRules()) })).status).toBe(201);
    manager = h.session(a.portal.id, 'manager', '201', 'Pavel Petrov');
    ({ tab, frame } = await h.open('deal', manager, { dealId: NEGOTIATION_DEAL }));
  });
  const actionsOfGoal = (portalId: string) =>
    h.db.db.query(`SELECT kind, status FROM actions WHERE portal_id = $1 AND cause->>'dealId' = $2 AND cause->>'goalCode' = 'requirements_received'`, [
      portalId,
      NEGOTIATION_DEAL,
    ]);
  afterAll(async () => {
    await h?.close();
  });

  it('shows the deal and where it stands: stages passed, the required stage it skipped, the current one', async () => {
    expect(await frame.textContent('h1')).toBe(NEGOTIATION_TITLE);
    const state = (id: string) => frame.getAttribute(`.stage[data-stage="${id}"]`, 'data-state');
    expect(await state(B2B_STAGE.identification)).toBe('passed');
    expect(await state(B2B_STAGE.qualification)).toBe('passed');
    expect(await state(B2B_STAGE.offer)).toBe('skipped');
    expect(await frame.getAttribute(`.stage[data-stage="${B2B_STAGE.offer}"]`, 'class')).toContain('stage-violated');
    expect(await state(B2B_STAGE.negotiation)).toBe('current');
    expect(await state(B2B_STAGE.won)).toBe('ahead');
  });

  it('lists the exit conditions of the current stage, met and missing', async () => {
    const conds = await frame.$$eval('.cond', (els) => els.map((e) => [e.textContent, e.getAttribute('data-met')]));
    // Negotiation asks for amount and closeDate filled and the goal "ready_to_buy".
    expect(conds).toEqual([
      [expect.stringContaining('Amount'), 'true'],
      [expect.stringContaining('Close date'), 'false'],
      [expect.stringContaining('Ready to buy'), 'false'],
    ]);
  });

  it('shows a button for each goal of the current stage', async () => {
    const goals = await frame.$$eval('[data-goal]', (els) => els.map((e) => e.getAttribute('data-goal')));
    expect(goals).toEqual(['requirements_received', 'ready_to_buy', 'refused', 'postponed']);
    await h.screenshot(tab, frame, 'deal');
  });

  it('marks a goal with its button: the goal is reached and its reactions are recorded as actions', async () => {
    await frame.click('[data-goal="requirements_received"]');
    await frame.waitForSelector('.notice.good');
    expect(await frame.textContent('.notice.good')).toContain('3');

    const goals = await h.db.db.query(`SELECT goal_code, stage_id, source, by_user_id FROM deal_goals WHERE portal_id = $1 AND deal_id = $2`, [a.portal.id, NEGOTIATION_DEAL]);
    expect(goals).toEqual([{ goal_code: 'requirements_received', stage_id: B2B_STAGE.negotiation, source: 'app', by_user_id: '201' }]);

    const view = await h.api(manager, `/api/deals/${NEGOTIATION_DEAL}`);
    expect(view.body.goalsReached.map((g: any) => g.goalCode)).toEqual(['requirements_received']);
    // Every reaction became an action caused by this goal on this deal, and the deal lists all of them.
    const recorded = await actionsOfGoal(a.portal.id);
    expect(recorded.map((x: any) => [x.kind, x.status]).sort()).toEqual([['comment', 'pending'], ['create_task', 'pending'], ['set_client_field', 'pending']]);
    expect(view.body.actions.map((x: any) => x.kind).sort()).toEqual(['comment', 'create_task', 'set_client_field']);

    // The page shows the button as done and the queued actions, with the task's title.
    expect(await frame.isDisabled('[data-goal="requirements_received"]')).toBe(true);
    expect(await frame.textContent('[data-action="create_task"]')).toContain(`Legal: approve contract for ${NEGOTIATION_TITLE}`);
    await h.screenshot(tab, frame, 'deal-goal-marked');
  });

  it('marks the same goal only once', async () => {
    const again = await h.api(manager, `/api/deals/${NEGOTIATION_DEAL}/goals`, { method: 'POST', body: JSON.stringify({ code: 'requirements_received' }) });
    expect(again.body.status).toBe('already_reached');
    expect(await actionsOfGoal(a.portal.id)).toHaveLength(3);
  });

  it('speaks the portal language', async () => {
    const ru = await h.open('deal', manager, { dealId: NEGOTIATION_DEAL, locale: 'ru' });
    expect(await ru.frame.textContent('#page-deal h2')).toBe('Стадии');
    expect(await ru.frame.getAttribute(`.stage[data-stage="${B2B_STAGE.offer}"]`, 'title')).toBe('пропущена');
    // Goal titles come from the config in the user's language.
    expect(await ru.frame.textContent('[data-goal="ready_to_buy"]')).toBe('Готов купить');
    await h.screenshot(ru.tab, ru.frame, 'deal-ru');
    await ru.tab.close();
  });

  it('reports no page errors (CSP violations, exceptions)', () => {
    expect(h.pageErrors).toEqual([]);
  });
});

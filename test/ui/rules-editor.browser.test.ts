import type { Frame, Page } from 'playwright-core';
import { startUiHarness, type UiHarness } from './support/ui-harness.js';
import { B2B_STAGE, b2bFiveStageRules, seedPortalA, type SeededPortal } from './support/ui-seed.js';

describe('rules editor (admin)', () => {
  let h: UiHarness;
  let a: SeededPortal;
  let admin: string;
  let tab: Page;
  let frame: Frame;

  const rules = async () => (await h.api(admin, '/api/rules')).body;
  const versions = async () => (await h.api(admin, '/api/rules/versions')).body as { version: number }[];
  const row = (stageId: string) => `tr[data-stage="${stageId}"]`;
  // The notice of the previous save may still be up: wait for the one naming this version.
  const savedAs = (v: number) => frame.waitForSelector(`#rules-toolbar .notice.good:has-text("as version ${v}.")`);
  const noErrors = () => frame.waitForFunction(() => (globalThis as any).document.querySelectorAll('.field-error').length === 0);

  beforeAll(async () => {
    h = await startUiHarness();
    a = await seedPortalA(h.rt, new Date());
    admin = h.session(a.portal.id, 'admin');
    expect((await h.api(admin, '/api/rules', { method: 'PUT', body: JSON.stringify(b2bFiveStageRules()) })).status).toBe(201);
    ({ tab, frame } = await h.open('rules', admin));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loads the portal pipelines and the active rules into the form', async () => {
    expect(await frame.textContent('#rules-toolbar')).toContain('version 1');
    expect(await frame.$$eval('.tab[data-pipeline]', (els) => els.map((e) => e.textContent))).toEqual(['B2B']);
    expect(await frame.$$eval('.stages-table tbody tr', (els) => els.map((e) => e.getAttribute('data-stage')))).toEqual([
      B2B_STAGE.identification,
      B2B_STAGE.qualification,
      B2B_STAGE.offer,
      B2B_STAGE.negotiation,
    ]);
    expect(await frame.isChecked(`${row(B2B_STAGE.qualification)} input[name="required"]`)).toBe(true);
    expect(await frame.isChecked(`${row(B2B_STAGE.identification)} input[name="required"]`)).toBe(false);
    expect(await frame.inputValue('select[data-path="pipelines.0.skipping.mode"]')).toBe('enforce');
    // Users come from the portal: the heads of sales show by name.
    expect(await frame.textContent('[data-path="headsOfSales"] .chip')).toContain('Olga Head');
  });

  it('shows a validation message beside the field the API names, and refuses to save it', async () => {
    await frame.fill(`${row(B2B_STAGE.offer)} input[type="number"]`, '-3');
    const message = await frame.waitForSelector('.field-error[data-error-for="pipelines.0.stages.2.maxDaysInStage"]');
    expect(await message.textContent()).toMatch(/>0|positive|small/i);
    // Right beside it: in the same table cell as the input.
    expect(await message.evaluate((el: any) => el.parentElement.querySelector('input[type="number"]') !== null)).toBe(true);
    expect(await frame.getAttribute(`${row(B2B_STAGE.offer)} input[type="number"]`, 'aria-invalid')).toBe('true');
    await h.screenshot(tab, frame, 'rules-validation');

    await frame.click('#rules-save');
    await frame.waitForSelector('.field-error[data-error-for="pipelines.0.stages.2.maxDaysInStage"]');
    expect(await versions()).toHaveLength(1);
  });

  it('saves an edit as a new version', async () => {
    await frame.fill(`${row(B2B_STAGE.offer)} input[type="number"]`, '12');
    await frame.check(`${row(B2B_STAGE.identification)} input[name="required"]`);
    await frame.selectOption('select[data-path="pipelines.0.skipping.mode"]', 'alert');
    await noErrors();
    await frame.click('#rules-save');
    await savedAs(2);

    const active = await rules();
    expect(active.version).toBe(2);
    const stages = active.config.pipelines[0].stages;
    expect(stages.find((s: any) => s.stageId === B2B_STAGE.identification).required).toBe(true);
    expect(stages.find((s: any) => s.stageId === B2B_STAGE.offer).maxDaysInStage).toBe(12);
    expect(active.config.pipelines[0].skipping.mode).toBe('alert');
    expect(active.authorId).toBe('100');
  });

  it('shows what changed between versions', async () => {
    await frame.click('[data-diff="2"]');
    await frame.waitForSelector('.diff-table');
    const changes = await frame.$$eval('.diff-table tbody tr', (els) => els.map((e) => [e.getAttribute('data-kind'), e.querySelector('code')!.textContent]));
    expect(changes).toEqual(
      expect.arrayContaining([
        ['changed', 'pipelines › B2B › stages › Identification › required'],
        ['changed', 'pipelines › B2B › stages › Offer › maxDaysInStage'],
        ['changed', 'pipelines › B2B › skipping › mode'],
      ]),
    );
    expect(changes).toHaveLength(3);
    await h.screenshot(tab, frame, 'rules-history');
  });

  it('rolls back to an earlier version, as a new version', async () => {
    await frame.click('[data-restore="1"]');
    await frame.click('[data-confirm-restore="1"]');
    await savedAs(3);
    const active = await rules();
    expect(active.version).toBe(3);
    expect(active.comment).toBe('restored version 1');
    expect(active.config).toEqual((await h.api(admin, '/api/rules/versions/1')).body.config);
    // The form shows the restored config.
    expect(await frame.inputValue('select[data-path="pipelines.0.skipping.mode"]')).toBe('enforce');
  });

  it('adds a goal with a reaction and users picked from the portal', async () => {
    await frame.click('#rules-add-goal');
    const at = 'pipelines.0.goals.6';
    await frame.waitForSelector(`.field-error[data-error-for="${at}.title.ru"]`);
    await frame.fill(`input[data-path="${at}.code"]`, 'demo_booked');
    await frame.selectOption(`select[data-path="${at}.stageId"]`, B2B_STAGE.qualification);
    await frame.fill(`input[data-path="${at}.title.ru"]`, 'Демо назначено');
    await frame.fill(`input[data-path="${at}.title.en"]`, 'Demo booked');
    await frame.selectOption(`[data-path="${at}"] select.add-reaction`, 'createTask');
    await frame.waitForSelector(`.field-error[data-error-for="${at}.reactions.0.titleTemplate"]`);
    await frame.fill(`input[data-path="${at}.reactions.0.titleTemplate"]`, 'Prepare the demo for {{deal.title}}');
    await frame.selectOption(`select[data-path="${at}.reactions.0.assignee"]`, 'user');
    await frame.selectOption(`select[data-path="${at}.reactions.0.assignee.userId"]`, '102');
    await frame.selectOption('[data-path="pipelines.0.skipping.alertUserIds"] select.chip-add', '202');
    await noErrors();
    await h.screenshot(tab, frame, 'rules');
    await frame.click('#rules-save');
    await savedAs(4);

    const active = await rules();
    expect(active.version).toBe(4);
    const p = active.config.pipelines[0];
    expect(p.goals.find((g: any) => g.code === 'demo_booked')).toEqual({
      code: 'demo_booked',
      stageId: B2B_STAGE.qualification,
      title: { ru: 'Демо назначено', en: 'Demo booked' },
      reactions: [{ type: 'createTask', titleTemplate: 'Prepare the demo for {{deal.title}}', assignee: { userId: '102' }, due: { hours: 24 } }],
    });
    expect(p.skipping.alertUserIds).toEqual(['202']);
  });

  it('edits the discipline checks, and can hand them back to the defaults', async () => {
    await frame.fill('input[data-path="pipelines.0.discipline.stalledAfterWorkingDays"]', '4');
    await frame.fill('input[data-path="pipelines.0.discipline.firstResponseSlaMinutes"]', '0');
    await frame.waitForSelector('.field-error[data-error-for="pipelines.0.discipline.firstResponseSlaMinutes"]');
    await frame.fill('input[data-path="pipelines.0.discipline.firstResponseSlaMinutes"]', '45');
    await noErrors();
    await frame.click('#rules-save');
    await savedAs(5);
    expect((await rules()).config.pipelines[0].discipline).toMatchObject({ stalledAfterWorkingDays: 4, firstResponseSlaMinutes: 45 });

    await frame.click('text=Use the defaults');
    await frame.waitForSelector('#rules-set-discipline');
    await frame.click('#rules-save');
    await savedAs(6);
    expect((await rules()).config.pipelines[0].discipline).toBeUndefined();
  });

  it('sets what is written back to the CRM, and can hand it back to the defaults', async () => {
    await frame.click('#rules-set-reports');
    await frame.selectOption('select[data-path="reports.digest"]', 'weekly');
    await frame.fill('input[data-path="reports.hourLocal"]', '25');
    await frame.waitForSelector('.field-error[data-error-for="reports.hourLocal"]');
    await frame.fill('input[data-path="reports.hourLocal"]', '8');
    await frame.uncheck('input[data-path="reports.kpiLine"]');
    await noErrors();
    await frame.click('#rules-save');
    await savedAs(7);
    expect((await rules()).config.reports).toEqual({ hourLocal: 8, digest: 'weekly', kpiLine: false, hostRecord: true });

    await frame.click('#rules-reports-defaults');
    await frame.waitForSelector('#rules-set-reports');
    await frame.click('#rules-save');
    await savedAs(8);
    expect((await rules()).config.reports).toBeUndefined();
  });

  it('is read-only for a head of sales', async () => {
    const head = h.session(a.portal.id, 'head', '100');
    const { frame: f, tab: t2 } = await h.open('rules', head);
    expect(await f.getAttribute('fieldset.editor', 'disabled')).not.toBeNull();
    expect(await f.isDisabled(`${row(B2B_STAGE.identification)} input[name="required"]`)).toBe(true);
    expect(await f.$('#rules-save')).toBeNull();
    expect(await f.$('[data-restore]')).toBeNull();
    await t2.close();
  });

  it('reports no page errors (CSP violations, exceptions)', () => {
    expect(h.pageErrors).toEqual([]);
  });
});

import type { Frame, Page } from 'playwright-core';
import { startUiHarness, type UiHarness } from './support/ui-harness.js';
import { B2B_STAGE, NEGOTIATION_DEAL, seedPortalA, type SeededPortal } from './support/ui-seed.js';

describe('violations & audit, install progress', () => {
  let h: UiHarness;
  let a: SeededPortal;
  let head: string;

  beforeAll(async () => {
    h = await startUiHarness();
    a = await seedPortalA(h.rt, new Date());
    head = h.session(a.portal.id, 'head');
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('violations page', () => {
    let tab: Page;
    let frame: Frame;
    const rows = () => frame.$$eval('#violations-table tbody tr[data-kind]', (els) => els.map((e) => [e.getAttribute('data-kind'), e.getAttribute('data-deal')]));
    const settled = (n: number) =>
      frame.waitForFunction((count) => (globalThis as any).document.querySelectorAll('#violations-table tbody tr[data-kind]').length === count, n);

    beforeAll(async () => {
      ({ tab, frame } = await h.open('violations', head));
    });

    it('lists the violations, newest first, with what Stageguard did about each', async () => {
      expect(await rows()).toEqual([
        ['deal_stalled', '509'],
        ['exit_conditions_unmet', '503'],
        ['stage_skipped', NEGOTIATION_DEAL],
        ['next_contact_missing', '508'],
        ['stage_skipped', '510'],
      ]);
      const skipped = await frame.textContent(`#violations-table tr[data-deal="${NEGOTIATION_DEAL}"]`);
      expect(skipped).toContain('Enforce (move back)');
      expect(skipped).toContain('Move');
      expect(skipped).toContain('Task');
      expect(skipped).toContain('Pavel Petrov');
      expect(skipped).toContain('Negotiation');
      expect(await frame.textContent('#violations-table tr[data-deal="508"]')).toContain('resolved');
    });

    it('filters by manager, kind, stage, period and open state', async () => {
      await frame.selectOption('select[name="managerId"]', '202');
      await settled(2);
      expect(await rows()).toEqual([
        ['next_contact_missing', '508'],
        ['stage_skipped', '510'],
      ]);
      await frame.check('input[name="open"]');
      await settled(1);
      expect(await rows()).toEqual([['stage_skipped', '510']]);
      await frame.selectOption('select[name="managerId"]', '');
      await frame.selectOption('select[name="kind"]', 'stage_skipped');
      await settled(2);
      await frame.selectOption('select[name="stageId"]', B2B_STAGE.offer);
      await settled(1);
      expect(await rows()).toEqual([['stage_skipped', '510']]);
      // A period that ends before the violation leaves nothing.
      const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
      await frame.fill('input[name="to"]', day(8));
      await frame.waitForSelector('#violations-table tr.empty');
      await frame.fill('input[name="to"]', '');
      await settled(1);
    });

    it('shows the audit log of writes to the host', async () => {
      const audit = await frame.$$eval('#audit-table tbody tr', (els) => els.map((e) => e.textContent));
      expect(audit.some((r) => r!.includes('Write to the CRM') && r!.includes('move_stage'))).toBe(true);
      expect(audit.some((r) => r!.includes('Installed'))).toBe(true);
    });

    it('opens a violation’s deal in the deal view', async () => {
      await frame.selectOption('select[name="kind"]', '');
      await frame.selectOption('select[name="stageId"]', '');
      await frame.uncheck('input[name="open"]');
      await settled(5);
      await h.screenshot(tab, frame, 'violations');
      await frame.click(`#violations-table tr[data-deal="${NEGOTIATION_DEAL}"] a`);
      await frame.waitForSelector('#page-deal h1');
      expect(await frame.textContent('#page-deal h1')).toContain('Acme');
    });

    it('names a Bitrix24 lead’s violation as a lead, with no link to a deal card', async () => {
      await h.rt.ctx.db.query(
        `INSERT INTO violations (portal_id, dedupe_key, finding_key, kind, deal_id, manager_id, pipeline_id, details, detected_at)
         VALUES ($1, 'slow_first_response:lead:301@x', 'slow_first_response:lead:301', 'slow_first_response', '301', '202', NULL, $2::jsonb, now())`,
        [a.portal.id, JSON.stringify({ entity: 'lead', dealTitle: 'Website form', responseWorkingMinutes: 70, slaMinutes: 30 })],
      );
      const { tab: t2, frame: f2 } = await h.open('violations', head);
      await f2.waitForSelector('#violations-table tr[data-deal="301"]');
      const cell = await f2.$eval('#violations-table tr[data-deal="301"] td:nth-child(3)', (td) => ({ text: td.textContent, links: td.querySelectorAll('a').length }));
      expect(cell).toEqual({ text: 'Lead #301 Website form', links: 0 });
      await t2.close();
    });
  });

  describe('install page', () => {
    it('shows set-up and history-import progress as bars', async () => {
      const admin = h.session(a.portal.id, 'admin');
      const { tab, frame } = await h.open('install', admin);
      // Set-up is done, the import is not: the install as a whole still runs.
      expect(await frame.getAttribute('.install-state', 'data-state')).toBe('running');
      expect(await frame.getAttribute('#install-setup [role="progressbar"]', 'aria-valuenow')).toBe('100');
      expect(await frame.getAttribute('#install-import [role="progressbar"]', 'aria-valuenow')).toBe('64');
      expect(await frame.textContent('#install-import')).toContain('640 of 1,000');
      await h.screenshot(tab, frame, 'install');

      // The import moves on; the page polls and follows it.
      await h.db.db.query(`UPDATE sync_state SET done = 1000, status = 'done' WHERE portal_id = $1 AND kind = 'history_import'`, [a.portal.id]);
      await frame.waitForSelector('#install-import [aria-valuenow="100"]', { timeout: 10_000 });
      expect(await frame.getAttribute('.install-state', 'data-state')).toBe('done');
      await tab.close();
    });

    it('is not offered to a manager', async () => {
      const manager = h.session(a.portal.id, 'manager', '201');
      const { tab, frame } = await h.open('install', manager);
      expect(await frame.textContent('main')).toContain('no access');
      expect(await frame.$$eval('.nav-item', (els) => els.map((e) => e.getAttribute('href')))).toEqual(['#/violations']);
      await tab.close();
    });
  });

  it('speaks Russian by default for a Russian portal, and switches language in place', async () => {
    const { tab, frame } = await h.open('violations', head, { locale: 'ru' });
    expect(await frame.textContent('#page-violations h2')).toBe('Нарушения');
    expect(await frame.getAttribute('html', 'lang')).toBe('ru');
    await frame.selectOption('select.lang', 'pl');
    await frame.waitForSelector('html[lang="pl"]');
    await frame.waitForFunction(() => (globalThis as any).document.querySelector('#page-violations h2')?.textContent === 'Naruszenia');
    await frame.selectOption('select.lang', 'en');
    await frame.waitForFunction(() => (globalThis as any).document.querySelector('#page-violations h2')?.textContent === 'Violations');
    await tab.close();
  });

  it('reports no page errors (CSP violations, exceptions)', () => {
    expect(h.pageErrors).toEqual([]);
  });
});

import type { Frame, Page } from 'playwright-core';
import { reportsFeature } from './support/reports-feature.js';
import { startUiHarness, type UiHarness } from './support/ui-harness.js';
import { B2B_PIPELINE_ID, seedPortalA, type SeededPortal } from './support/ui-seed.js';

/**
 * The dashboard over the real reports API and the seeded portal: ten deals of two managers created in
 * the last 30 days. Their furthest stages give reached = 10, 9, 7, 5, 3 along Identification →
 * Qualification → Offer → Negotiation → Won, so the team bottleneck is Negotiation → Won (60 %).
 */
describe('dashboard (head of sales)', () => {
  let h: UiHarness;
  let a: SeededPortal;
  let head: string;
  let tab: Page;
  let frame: Frame;
  let query: string;

  const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const loaded = (n: number) => frame.waitForFunction((k) => (globalThis as any).document.querySelector('.dashboard-body')?.dataset.loaded === String(k), n);
  const chart = (id: string) => frame.evaluate((cid) => {
    const c = (globalThis as any).Chart.getChart(cid);
    return { data: c.data.datasets.map((d: any) => d.data), colors: c.data.datasets[0].backgroundColor, labels: c.data.labels, series: c.data.datasets.map((d: any) => d.label) };
  }, id);

  beforeAll(async () => {
    h = await startUiHarness([reportsFeature()]);
    const now = new Date();
    a = await seedPortalA(h.rt, now);
    head = h.session(a.portal.id, 'head');
    // A plan for this month, set through the API as a head of sales does.
    const first = new Date(now.getFullYear(), now.getMonth(), 1);
    const last = new Date(now.getFullYear(), now.getMonth() + 1, 0);
    for (const [managerId, metric, target] of [['202', 'dealsWon', 4], ['201', 'dealsCreated', 10]] as const) {
      const r = await h.api(head, '/api/plans', { method: 'PUT', body: JSON.stringify({ managerId, metric, periodStart: day(first), periodEnd: day(last), target }) });
      expect(r.status).toBe(200);
    }
    ({ tab, frame } = await h.open('dashboard', head));
    await loaded(1);
    // "Last 30 days" holds every seeded deal whatever the day of the month.
    await frame.selectOption('select[name="period"]', 'last30');
    await loaded(2);
    await frame.waitForSelector('#funnel-chart[data-drawn]');
    await frame.waitForSelector('#violations-chart[data-drawn]');
    const from = await frame.inputValue('input[name="from"]');
    const to = new Date(`${await frame.inputValue('input[name="to"]')}T00:00:00`);
    to.setDate(to.getDate() + 1);
    query = `pipelineId=${B2B_PIPELINE_ID}&from=${from}&to=${day(to)}`;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('draws the funnel with the bottleneck marked', async () => {
    const funnel = await chart('funnel-chart');
    expect(funnel.data[0]).toEqual([10, 9, 7, 5, 3]);
    expect(funnel.labels).toEqual(['Identification', 'Qualification (90 %)', 'Offer (77.8 %)', 'Negotiation (71.4 %)', 'Won (60 %)']);
    // Only the stage the bottleneck step leads into is red.
    expect(funnel.colors.map((c: string) => c === '#ff5752')).toEqual([false, false, false, false, true]);
    expect(await frame.textContent('#bottleneck')).toBe('Bottleneck: Negotiation → Won, conversion 60 %');
  });

  it('shows the manager × step heatmap as the API computes it, with weakest steps and best converters', async () => {
    const api = (await h.api(head, `/api/reports/conversion-matrix?${query}`)).body;
    const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10} %`);
    const rows = await frame.$$eval('#heatmap tbody tr', (els) =>
      els.map((e) => Array.from(e.querySelectorAll('td')).map((td: any) => td.textContent.replace(' ★', ''))),
    );
    expect(rows).toEqual([
      ['Pavel Petrov', ...api.managers[0].conversions.map(pct)],
      ['Maria Sidorova', ...api.managers[1].conversions.map(pct)],
      ['Team', ...api.team.map(pct)],
    ]);
    expect(rows[1]).toEqual(['Maria Sidorova', '100 %', '80 %', '75 %', '66.7 %']);

    const bottleneck = (await h.api(head, `/api/reports/bottleneck?${query}`)).body;
    const stepIndex = (s: any) => api.steps.findIndex((x: any) => x.fromStageId === s.fromStageId && x.toStageId === s.toStageId);
    const weak = await frame.$$eval('#heatmap td.weak', (els) => els.map((e: any) => `${e.parentElement.dataset.manager}:${e.cellIndex - 1}`));
    expect(weak.sort()).toEqual(bottleneck.managers.filter((m: any) => m.weakestStep).map((m: any) => `${m.managerId}:${stepIndex(m.weakestStep)}`).sort());
    // Maria beats the team at every step; her weakest is where she beats it least: Qualification → Offer.
    expect(weak).toContain('202:1');
    const best = await frame.$$eval('#heatmap td.best', (els) => els.map((e: any) => `${e.parentElement.dataset.manager}:${e.cellIndex - 1}`));
    expect(best.sort()).toEqual(bottleneck.bestConverters.map((b: any) => `${b.managerId}:${stepIndex(b)}`).sort());
    expect(await frame.textContent('#best-converters')).toContain('Maria Sidorova converts best');
  });

  it('shows plan vs fact with progress bars and the run-rate forecast', async () => {
    const plans = (await h.api(head, `/api/reports/plan-fact?${query}`)).body as any[];
    expect(plans).toHaveLength(2);
    for (const p of plans) {
      const row = `#plan-fact tr[data-manager="${p.managerId}"][data-metric="${p.metric}"]`;
      expect(await frame.getAttribute(`${row} [role="progressbar"]`, 'aria-valuenow')).toBe(String(Math.round(p.progressPercent)));
      expect(await frame.textContent(row)).toContain(p.forecast === null ? '—' : p.forecast.toLocaleString('en-GB', { maximumFractionDigits: 2 }));
    }
    expect(await frame.textContent('#plan-fact tr[data-manager="202"]')).toContain('Deals won');
  });

  it('shows sales velocity and dwell time from the time report', async () => {
    const time = (await h.api(head, `/api/reports/time?${query}`)).body;
    expect(await frame.textContent('.kpis')).toContain(`${Math.round(time.winRate * 1000) / 10} %`);
    expect(await frame.textContent('.kpis')).toContain(String(time.openDeals));
    const stages = await frame.$$eval('#dwell tbody tr', (els) => els.map((e) => e.getAttribute('data-stage')));
    expect(stages).toEqual(time.dwell.map((d: any) => d.stageId));
  });

  it('charts the violations of the period by day and kind', async () => {
    const v = await chart('violations-chart');
    const total = v.data.flat().reduce((n: number, x: number) => n + x, 0);
    expect(total).toBe(5);
    expect(v.series).toEqual(['Stage skipped', 'Exit conditions unmet', 'Deal stalled', 'No next contact']);
    await h.screenshot(tab, frame, 'dashboard');
  });

  it('follows the period picker: a period before the deals holds none of them', async () => {
    await frame.fill('input[name="from"]', '2020-01-01');
    await frame.fill('input[name="to"]', '2020-01-31');
    await loaded(4);
    expect(await frame.textContent('#page-dashboard')).toContain('No data for this period.');
  });

  it('reports no page errors (CSP violations, exceptions)', () => {
    expect(h.pageErrors).toEqual([]);
  });
});

import type { Frame, Page } from 'playwright-core';
import { reportsStandIn } from './support/reports-stand-in.js';
import { startUiHarness, type UiHarness } from './support/ui-harness.js';
import { B2B_PIPELINE_ID, B2B_STAGE, seedPortalA, type SeededPortal } from './support/ui-seed.js';

describe('dashboard (head of sales)', () => {
  const seen: { path: string; query: Record<string, string> }[] = [];
  let h: UiHarness;
  let a: SeededPortal;
  let tab: Page;
  let frame: Frame;

  beforeAll(async () => {
    h = await startUiHarness([reportsStandIn(seen)]);
    a = await seedPortalA(h.rt, new Date());
    ({ tab, frame } = await h.open('dashboard', h.session(a.portal.id, 'head')));
    await frame.waitForSelector('#funnel-chart[data-drawn]');
    await frame.waitForSelector('#violations-chart[data-drawn]');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('asks the reports for the chosen pipeline and period', () => {
    const funnel = seen.find((s) => s.path === '/funnel')!;
    expect(funnel.query.pipelineId).toBe(B2B_PIPELINE_ID);
    expect(funnel.query.from).toMatch(/^\d{4}-\d{2}-01$/);
  });

  it('draws the funnel with the bottleneck marked', async () => {
    expect(await frame.textContent('#bottleneck')).toContain('Negotiation → Won');
    expect(await frame.textContent('#bottleneck')).toContain('60');
    const bars = await frame.evaluate(() => {
      const chart = (globalThis as any).Chart.getChart('funnel-chart');
      return { data: chart.data.datasets[0].data, colors: chart.data.datasets[0].backgroundColor, labels: chart.data.labels };
    });
    expect(bars.data).toEqual([10, 9, 6, 5, 3]);
    // Only the stage the bottleneck leads into is red.
    expect(bars.colors.filter((c: string) => c === '#ff5752')).toHaveLength(1);
    expect(bars.colors[4]).toBe('#ff5752');
    expect(bars.labels[0]).toBe('Identification');
  });

  it('shows the manager × step heatmap with each manager’s weakest step', async () => {
    const rows = await frame.$$eval('#heatmap tbody tr', (els) => els.map((e) => Array.from(e.querySelectorAll('td')).map((td: any) => td.textContent)));
    expect(rows[0]).toEqual(['Pavel Petrov', '100 %', '40 %', '100 %', '50 %']);
    expect(rows[2]![0]).toBe('Team');
    const weak = await frame.$$eval('#heatmap td.weak', (els) => els.map((e) => (e.parentElement as any).dataset.manager + ':' + e.cellIndex));
    expect(weak).toEqual(['201:2', '202:4']);
  });

  it('shows plan vs fact with progress bars', async () => {
    const bars = await frame.$$eval('#plan-fact [role="progressbar"]', (els) => els.map((e) => e.getAttribute('aria-valuenow')));
    expect(bars).toEqual(['25', '67', '100']);
    expect(await frame.textContent('#plan-fact tr[data-manager="202"][data-metric="wonAmount"]')).toContain('Payments received');
  });

  it('charts the violations of the period by day and kind', async () => {
    const series = await frame.evaluate(() => {
      const chart = (globalThis as any).Chart.getChart('violations-chart');
      return chart.data.datasets.map((d: any) => [d.label, d.data.reduce((x: number, y: number) => x + y, 0)]);
    });
    // The seeded violations that fall in this month; all five when the month is old enough.
    const total = series.reduce((n: number, [, c]: [string, number]) => n + c, 0);
    expect(total).toBeGreaterThan(0);
    expect(series.map(([label]: [string]) => label)).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it('refreshes for another period', async () => {
    const before = seen.length;
    await frame.selectOption('select[name="period"]', 'last30');
    await frame.waitForFunction((n) => (globalThis as any).document.querySelector('.dashboard-body')?.dataset.loaded === String(n), 2);
    expect(seen.length).toBeGreaterThan(before);
    const last = seen.filter((s) => s.path === '/funnel').at(-1)!;
    const days = (Date.parse(last.query.to!) - Date.parse(last.query.from!)) / 86_400_000;
    expect(days).toBe(30);
    await frame.waitForSelector('#violations-chart[data-drawn]');
    const total = await frame.evaluate(() =>
      (globalThis as any).Chart.getChart('violations-chart').data.datasets.reduce((n: number, d: any) => n + d.data.reduce((x: number, y: number) => x + y, 0), 0),
    );
    expect(total).toBe(5);
    await frame.waitForSelector('#funnel-chart[data-drawn]');
    await h.screenshot(tab, frame, 'dashboard');
  });

  it('reports no page errors (CSP violations, exceptions)', () => {
    expect(h.pageErrors).toEqual([]);
  });
});

// The head of sales' dashboard: period and pipeline pickers; the funnel with its bottleneck marked;
// the manager × step conversion heatmap; plan vs fact; violations over time.
import { api } from '../api.js';
import { emptyRow, formatDate, formatNumber, formatPercent, progressBar, section, userNames } from '../components.js';
import { baseOptions, COLORS, loadChart } from '../charts.js';
import { clear, field, h, select } from '../dom.js';
import { t } from '../i18n.js';
import { bucketOf, buckets, lastDay, nextDay, PRESETS, presetRange } from './dashboard-period.js';
import { bottleneckOf, funnelOf, matrixOf, planFactOf, timeOf } from './reports-adapter.js';
import { VIOLATION_KINDS } from './violations.js';

export async function render(main, { boot, isCurrent }) {
  const [pipelines, users] = await Promise.all([api('/api/pipelines'), api('/api/users').catch(() => [])]);
  const userName = userNames(users);
  const state = { preset: 'thisMonth', ...presetRange('thisMonth'), pipelineId: (pipelines.find((p) => p.isDefault) ?? pipelines[0])?.id ?? '' };
  const charts = [];
  const body = h('div', { class: 'dashboard-body' });

  const fromInput = h('input', { type: 'date', name: 'from', value: state.from, onchange: (e) => custom({ from: e.target.value }) });
  const toInput = h('input', { type: 'date', name: 'to', value: lastDay(state.to), onchange: (e) => custom({ to: nextDay(e.target.value) }) });
  const presetSelect = select(
    {
      name: 'period',
      onchange: (e) => {
        state.preset = e.target.value;
        if (state.preset !== 'custom') Object.assign(state, presetRange(state.preset));
        fromInput.value = state.from;
        toInput.value = lastDay(state.to);
        refresh();
      },
    },
    PRESETS.map((p) => [p, t(`period.${p}`)]),
    state.preset,
  );
  function custom(change) {
    Object.assign(state, change, { preset: 'custom' });
    presetSelect.value = 'custom';
    if (state.from && state.to && state.from < state.to) refresh();
  }
  const controls = h(
    'div',
    { class: 'card controls' },
    field(t('dash.period'), presetSelect),
    field(t('common.from'), fromInput),
    field(t('common.to'), toInput),
    field(t('dash.pipeline'), select({ name: 'pipeline', onchange: (e) => ((state.pipelineId = e.target.value), refresh()) }, pipelines.map((p) => [p.id, p.name]), state.pipelineId)),
  );
  main.append(controls, body);

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    const query = { pipelineId: state.pipelineId, from: state.from, to: state.to };
    const get = (path, q = query) => api(path, { query: q }).then((data) => ({ data }), (error) => ({ error }));
    const [funnel, bottleneck, matrix, planFact, time, violations] = await Promise.all([
      get('/api/reports/funnel'),
      get('/api/reports/bottleneck'),
      get('/api/reports/conversion-matrix'),
      get('/api/reports/plan-fact', { from: state.from, to: state.to }),
      get('/api/reports/time'),
      get('/api/violations', { from: state.from, to: state.to, limit: 500 }),
    ]);
    if (mine !== seq || !isCurrent()) return;
    for (const c of charts.splice(0)) c.destroy();
    const pipeline = pipelines.find((p) => p.id === state.pipelineId);
    const stageName = (id) => pipeline?.stages.find((s) => s.id === id)?.name ?? id;
    const bn = bottleneck.data ? bottleneckOf(bottleneck.data) : { team: null, byManager: new Map(), best: [] };
    clear(
      body,
      kpiStrip(time),
      h('div', { class: 'grid two' }, funnelCard(funnel, bn, stageName, boot, charts), violationsCard(violations, state, boot, charts)),
      heatmapCard(matrix, bn, stageName, userName),
      planFactCard(planFact, userName),
      dwellCard(time),
    );
    body.dataset.loaded = String(mine);
  }

  await refresh();
}

/** Draws once chart.js is in; data-drawn tells tests (and anyone curious) the chart is there. */
function draw(boot, canvas, charts, build) {
  loadChart(boot.assetBase).then(
    (Chart) => {
      if (!canvas.isConnected) return;
      charts.push(build(Chart));
      canvas.dataset.drawn = 'true';
    },
    () => canvas.replaceWith(h('p', { class: 'muted' }, t('common.failed'))),
  );
}

function unavailable(result) {
  return h('p', { class: 'muted' }, result.error?.status === 404 ? t('dash.unavailable') : t('common.failed'));
}

function kpiStrip(time) {
  if (!time.data) return null;
  const k = timeOf(time.data);
  const item = (label, value) => h('div', { class: 'kpi' }, h('span', { class: 'kpi-value' }, value), h('span', { class: 'kpi-label' }, label));
  return h(
    'div',
    { class: 'kpis' },
    item(t('dash.velocity'), k.velocity === null ? '—' : t('dash.perDay', { v: formatNumber(k.velocity) })),
    item(t('dash.winRate'), formatPercent(k.winRate)),
    item(t('dash.cycle'), formatNumber(k.cycleDays, 1)),
    item(t('dash.openDeals'), formatNumber(k.openDeals)),
  );
}

function funnelCard(result, bn, stageName, boot, charts) {
  if (!result.data) return section(t('dash.funnel'), unavailable(result));
  const { stages, overall } = funnelOf(result.data);
  if (!stages.length || stages.every((s) => !s.reached)) return section(t('dash.funnel'), h('p', { class: 'muted' }, t('dash.noData')));
  const neck = bn.team;
  const canvas = h('canvas', { id: 'funnel-chart', 'aria-label': t('dash.funnel'), role: 'img' });
  const card = section(
    t('dash.funnel'),
    h('div', { class: 'chart-box' }, canvas),
    neck
      ? h('p', { class: 'notice error', id: 'bottleneck' }, t('dash.bottleneck', { from: stageName(neck.fromStageId), to: stageName(neck.toStageId), pct: formatPercent(neck.conversion) }))
      : null,
    overall !== null ? h('p', { class: 'muted' }, t('dash.overall', { pct: formatPercent(overall) })) : null,
  );
  draw(boot, canvas, charts, (Chart) => {
    const nameOf = (s) => (stageName(s.id) === s.id ? s.name : stageName(s.id));
    const labels = stages.map((s, i) => (i > 0 && s.conversion !== null ? `${nameOf(s)} (${formatPercent(s.conversion)})` : nameOf(s)));
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: t('dash.reached'),
            data: stages.map((s) => s.reached),
            backgroundColor: stages.map((s) => (neck && s.id === neck.toStageId ? COLORS.red : COLORS.blue)),
            borderRadius: 4,
          },
        ],
      },
      options: { ...baseOptions(), indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  });
  return card;
}

function heat(ratio) {
  // Red (low) to green (high) through yellow; the text stays dark enough to read on any of them.
  const hue = Math.round(Math.max(0, Math.min(1, ratio)) * 120);
  return `hsl(${hue}, 70%, 82%)`;
}

function heatmapCard(result, bn, stageName, userName) {
  if (!result.data) return section(t('dash.heatmap'), unavailable(result));
  const m = matrixOf(result.data);
  if (!m.steps.length || !m.rows.length) return section(t('dash.heatmap'), h('p', { class: 'muted' }, t('dash.noData')));
  const same = (a, b) => !!a && !!b && a.fromStageId === b.fromStageId && a.toStageId === b.toStageId;
  const cell = (ratio, { weak = false, best = false } = {}) => {
    const td = h('td', { class: ['cell', weak && 'weak', best && 'best'], title: [weak && t('dash.weakest'), best && t('dash.best')].filter(Boolean).join(' · ') }, formatPercent(ratio), best ? ' ★' : '');
    if (ratio !== null && ratio !== undefined) td.style.background = heat(ratio);
    return td;
  };
  const flags = (managerId, step) => ({
    weak: same(bn.byManager.get(managerId), step),
    best: bn.best.some((b) => b.managerId === managerId && same(b, step)),
  });
  return section(
    t('dash.heatmap'),
    h(
      'table',
      { class: 'table heatmap', id: 'heatmap' },
      h('thead', {}, h('tr', {}, h('th', {}, t('dash.manager')), m.steps.map((s) => h('th', { class: 'num' }, `${stageName(s.fromStageId)} → ${stageName(s.toStageId)}`)))),
      h(
        'tbody',
        {},
        m.rows.map((r) => h('tr', { 'data-manager': r.managerId }, h('td', {}, userName(r.managerId)), r.values.map((v, i) => cell(v, flags(r.managerId, m.steps[i]))))),
        h('tr', { class: 'team' }, h('td', {}, h('strong', {}, t('dash.team'))), m.team.map((v) => cell(v))),
      ),
    ),
    h('p', { class: 'muted small' }, h('span', { class: 'legend-weak' }, '▢'), ' ', t('dash.weakestLegend'), ' · ★ ', t('dash.bestLegend')),
    bn.best.length
      ? h(
          'ul',
          { class: 'list recommendations', id: 'best-converters' },
          bn.best.map((b) =>
            h('li', { 'data-manager': b.managerId }, t('dash.bestAt', { user: userName(b.managerId), from: stageName(b.fromStageId), to: stageName(b.toStageId), pct: formatPercent(b.conversion), n: b.sample })),
          ),
        )
      : null,
  );
}

function hoursText(hours) {
  if (hours === null || hours === undefined) return '—';
  return hours < 48 ? t('dash.hours', { n: formatNumber(hours, 1) }) : t('dash.days', { n: formatNumber(hours / 24, 1) });
}

function dwellCard(result) {
  if (!result.data) return null;
  const { dwell } = timeOf(result.data);
  if (!dwell.length) return null;
  return section(
    t('dash.dwell'),
    h(
      'table',
      { class: 'table', id: 'dwell' },
      h('thead', {}, h('tr', {}, h('th', {}, t('rules.stage')), h('th', { class: 'num' }, t('dash.median')), h('th', { class: 'num' }, 'p90'), h('th', { class: 'num' }, t('dash.samples')))),
      h(
        'tbody',
        {},
        dwell.map((d) =>
          h('tr', { 'data-stage': d.stageId }, h('td', {}, d.name), h('td', { class: 'num' }, hoursText(d.medianHours)), h('td', { class: 'num' }, hoursText(d.p90Hours)), h('td', { class: 'num' }, formatNumber(d.samples))),
        ),
      ),
    ),
  );
}

/**
 * Mid-period, fact below plan is normal; what matters is whether the run rate gets there. So the bar's
 * colour follows the forecast when there is one, and the fact only when there is not.
 */
function paceTone(r) {
  const target = r.target ?? 0;
  const expected = r.forecast ?? r.fact ?? 0;
  if (!target || expected >= target) return 'good';
  return expected >= 0.8 * target ? 'fair' : 'poor';
}

function planFactCard(result, userName) {
  if (!result.data) return section(t('dash.kpi'), unavailable(result));
  const rows = planFactOf(result.data);
  return section(
    t('dash.kpi'),
    h(
      'table',
      { class: 'table', id: 'plan-fact' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, t('dash.manager')), h('th', {}, t('dash.metric')), h('th', {}, t('dash.planPeriod')), h('th', { class: 'num' }, t('dash.plan')), h('th', { class: 'num' }, t('dash.fact')), h('th', {}, t('dash.progress')), h('th', { class: 'num' }, t('dash.forecast'))),
      ),
      h(
        'tbody',
        {},
        rows.length
          ? rows.map((r) =>
              h(
                'tr',
                { 'data-manager': r.managerId, 'data-metric': r.metric },
                h('td', {}, userName(r.managerId)),
                h('td', {}, t(`metric.${r.metric}`, {}, r.metric)),
                h('td', { class: 'small' }, r.periodStart ? `${formatDate(r.periodStart)} – ${formatDate(r.periodEnd)}` : '—'),
                h('td', { class: 'num' }, formatNumber(r.target, 2)),
                h('td', { class: 'num' }, formatNumber(r.fact, 2)),
                h('td', {}, progressBar(r.percent ?? 0, { tone: paceTone(r), label: `${userName(r.managerId)}: ${t(`metric.${r.metric}`, {}, r.metric)}` })),
                h('td', { class: 'num' }, formatNumber(r.forecast, 2)),
              ),
            )
          : emptyRow(7, t('dash.noData')),
      ),
    ),
  );
}

function violationsCard(result, state, boot, charts) {
  if (!result.data) return section(t('dash.violationsOverTime'), unavailable(result));
  const { keys, step } = buckets(state.from, state.to);
  const kinds = VIOLATION_KINDS.filter((k) => result.data.some((v) => v.kind === k));
  for (const v of result.data) if (!kinds.includes(v.kind)) kinds.push(v.kind);
  const counts = new Map(kinds.map((k) => [k, new Map(keys.map((d) => [d, 0]))]));
  for (const v of result.data) {
    const b = bucketOf(v.detectedAt, state.from, step);
    const series = counts.get(v.kind);
    if (series.has(b)) series.set(b, series.get(b) + 1);
  }
  const canvas = h('canvas', { id: 'violations-chart', 'aria-label': t('dash.violationsOverTime'), role: 'img' });
  const card = section(
    t('dash.violationsOverTime'),
    result.data.length ? h('div', { class: 'chart-box' }, canvas) : h('p', { class: 'muted' }, t('dash.noData')),
  );
  if (!result.data.length) return card;
  const palette = [COLORS.red, COLORS.orange, COLORS.blue, COLORS.green, '#9b59b6', '#525c69', '#e67e22', '#1abc9c'];
  draw(
    boot,
    canvas,
    charts,
    (Chart) =>
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: keys.map((d) => d.slice(5)),
          datasets: kinds.map((k, i) => ({ label: t(`kind.${k}`, {}, k), data: keys.map((d) => counts.get(k).get(d)), backgroundColor: palette[i % palette.length] })),
        },
        options: { ...baseOptions(), plugins: { legend: { position: 'bottom' } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
      }),
  );
  return card;
}

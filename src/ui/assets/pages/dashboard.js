// The head of sales' dashboard: period and pipeline pickers; the funnel with its bottleneck marked;
// the manager × step conversion heatmap; plan vs fact; violations over time.
import { api } from '../api.js';
import { userNames } from '../components.js';
import { clear, field, h, select } from '../dom.js';
import { t } from '../i18n.js';
import { funnelCard, violationsCard } from './dashboard-charts.js';
import { lastDay, nextDay, PRESETS, presetRange } from './dashboard-period.js';
import { dwellCard, heatmapCard, kpiStrip, planFactCard } from './dashboard-tables.js';
import { bottleneckOf } from './reports-adapter.js';

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

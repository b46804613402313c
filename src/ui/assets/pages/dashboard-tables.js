// The dashboard's tables: headline figures, the manager × step heatmap, plan vs fact, time in stage.
import { emptyRow, formatDate, formatNumber, formatPercent, progressBar, section } from '../components.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { unavailable } from './dashboard-charts.js';
import { matrixOf, planFactOf, timeOf } from './reports-adapter.js';

export function kpiStrip(time) {
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

function heat(ratio) {
  // Red (low) to green (high) through yellow; the text stays dark enough to read on any of them.
  const hue = Math.round(Math.max(0, Math.min(1, ratio)) * 120);
  return `hsl(${hue}, 70%, 82%)`;
}

export function heatmapCard(result, bn, stageName, userName) {
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

export function dwellCard(result) {
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

export function planFactCard(result, userName) {
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

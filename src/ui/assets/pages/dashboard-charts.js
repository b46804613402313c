// The dashboard's charts: the funnel with its bottleneck, and violations over time. chart.js is
// loaded on first use, from our own server.
import { formatPercent, section } from '../components.js';
import { baseOptions, COLORS, loadChart } from '../charts.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { bucketOf, buckets } from './dashboard-period.js';
import { funnelOf } from './reports-adapter.js';
import { VIOLATION_KINDS } from './violations.js';

export function unavailable(result) {
  return h('p', { class: 'muted' }, result.error?.status === 404 ? t('dash.unavailable') : t('common.failed'));
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

export function funnelCard(result, bn, stageName, boot, charts) {
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

export function violationsCard(result, state, boot, charts) {
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

// The reports API's answers, in the shapes the dashboard draws. Kept in one place so a change in the
// reports API touches this file only.

const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));

/** { stages: [{ id, name, reached, conversion }], overall } — conversion is from the previous stage. */
export function funnelOf(raw, pipeline) {
  const rows = raw?.stages ?? raw?.funnel ?? [];
  const stages = rows.map((s, i) => ({
    id: String(s.stageId ?? s.id),
    name: s.name ?? s.stageName ?? pipeline?.stages.find((x) => x.id === String(s.stageId ?? s.id))?.name ?? String(s.stageId ?? s.id),
    reached: num(s.reached ?? s.count) ?? 0,
    conversion: num(s.conversion ?? s.stepConversion ?? (i > 0 && rows[i - 1].reached ? s.reached / rows[i - 1].reached : null)),
  }));
  return { stages, overall: num(raw?.overall ?? raw?.overallConversion) };
}

/** { team: { fromStageId, toStageId, conversion } | null, byManager: Map(managerId → step) } */
export function bottleneckOf(raw) {
  const step = (s) => (s ? { fromStageId: String(s.fromStageId ?? s.from), toStageId: String(s.toStageId ?? s.to), conversion: num(s.conversion ?? s.teamConversion) } : null);
  const byManager = new Map();
  for (const m of raw?.managers ?? []) {
    const weakest = m.weakestStep ?? m.step ?? m;
    if (weakest) byManager.set(String(m.managerId), step(weakest));
  }
  return { team: step(raw?.team ?? raw?.teamBottleneck ?? null), byManager };
}

/** { steps: [{ fromStageId, toStageId }], team: [ratio], rows: [{ managerId, values: [ratio|null] }] } */
export function matrixOf(raw) {
  const steps = (raw?.steps ?? []).map((s) => ({ fromStageId: String(s.fromStageId ?? s.from), toStageId: String(s.toStageId ?? s.to) }));
  const key = (s) => `${s.fromStageId}>${s.toStageId}`;
  const pick = (cells) => {
    if (Array.isArray(cells)) return steps.map((_, i) => num(cells[i]?.conversion ?? cells[i]));
    return steps.map((s) => num(cells?.[key(s)]?.conversion ?? cells?.[key(s)] ?? cells?.[s.toStageId]));
  };
  const rows = (raw?.managers ?? raw?.rows ?? []).map((m) => ({ managerId: String(m.managerId), values: pick(m.conversions ?? m.steps ?? m.cells) }));
  return { steps, team: pick(raw?.team?.conversions ?? raw?.team?.steps ?? raw?.team ?? []), rows };
}

/** [{ managerId, metric, target, fact, percent, forecast }] */
export function planFactOf(raw) {
  const rows = Array.isArray(raw) ? raw : (raw?.rows ?? raw?.plans ?? []);
  return rows.map((r) => ({
    managerId: String(r.managerId),
    metric: r.metric,
    target: num(r.target ?? r.plan),
    fact: num(r.fact ?? r.actual),
    percent: num(r.progressPercent ?? r.percent ?? (r.progress !== undefined ? r.progress * 100 : null)) ?? (num(r.target) ? (num(r.fact) / num(r.target)) * 100 : null),
    forecast: num(r.forecast ?? r.runRateForecast),
  }));
}

/** { velocity, winRate, cycleDays, openDeals } from the time report, any of them null when absent. */
export function timeOf(raw) {
  return {
    velocity: num(raw?.velocity?.perDay ?? raw?.velocity ?? raw?.salesVelocity),
    winRate: num(raw?.winRate ?? raw?.velocity?.winRate),
    cycleDays: num(raw?.cycle?.meanDays ?? raw?.cycleDays ?? raw?.meanCycleDays ?? raw?.velocity?.meanCycleDays),
    openDeals: num(raw?.openDeals ?? raw?.velocity?.openDeals),
  };
}

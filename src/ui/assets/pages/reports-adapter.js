// The reports API's answers (src/reports/reports.service.ts), in the shapes the dashboard draws. Kept
// in one place so a change in the reports API touches this file only.

const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));

/** { stages: [{ id, name, reached, conversion }], overall } — conversion is from the previous stage. */
export function funnelOf(raw) {
  const stages = (raw?.stages ?? []).map((s) => ({ id: String(s.stageId), name: s.name ?? String(s.stageId), reached: num(s.reached) ?? 0, conversion: num(s.conversion) }));
  return { stages, overall: num(raw?.overall) };
}

/**
 * { team: step | null, byManager: Map(managerId → weakest step), best: [{ ...step, managerId, conversion, sample }] }
 * A manager with no deal at any from-stage has no weakest step (null) and is left out.
 */
export function bottleneckOf(raw) {
  const step = (s) => (s ? { fromStageId: String(s.fromStageId), toStageId: String(s.toStageId), conversion: num(s.conversion) } : null);
  const byManager = new Map();
  for (const m of raw?.managers ?? []) if (m.weakestStep) byManager.set(String(m.managerId), step(m.weakestStep));
  const best = (raw?.bestConverters ?? []).map((b) => ({ ...step(b), managerId: String(b.managerId), sample: num(b.sample) }));
  return { team: step(raw?.team ?? null), byManager, best };
}

/** { steps: [{ fromStageId, toStageId }], team: [ratio], rows: [{ managerId, values: [ratio|null] }] } */
export function matrixOf(raw) {
  const steps = (raw?.steps ?? []).map((s) => ({ fromStageId: String(s.fromStageId), toStageId: String(s.toStageId) }));
  const pick = (cells) => steps.map((_, i) => num(cells?.[i]));
  const rows = (raw?.managers ?? []).map((m) => ({ managerId: String(m.managerId), values: pick(m.conversions), reached: m.reached ?? [] }));
  return { steps, team: pick(raw?.team), rows };
}

/** [{ managerId, metric, periodStart, periodEnd, target, fact, percent, forecast }]; the plan's days are inclusive. */
export function planFactOf(raw) {
  return (Array.isArray(raw) ? raw : []).map((r) => ({
    managerId: String(r.managerId),
    metric: r.metric,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    target: num(r.target),
    fact: num(r.fact),
    percent: num(r.progressPercent),
    forecast: num(r.forecast),
  }));
}

/** The time report: headline figures, and dwell time per stage in hours (median, p90). */
export function timeOf(raw) {
  return {
    velocity: num(raw?.velocity),
    winRate: num(raw?.winRate),
    cycleDays: num(raw?.cycle?.meanDays ?? raw?.cycleDays),
    openDeals: num(raw?.openDeals),
    dwell: (raw?.dwell ?? []).map((d) => ({ stageId: String(d.stageId), name: d.name, samples: num(d.samples) ?? 0, medianHours: num(d.medianHours), p90Hours: num(d.p90Hours) })),
  };
}

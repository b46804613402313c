import { parseIsoDate } from '../../rules/working-time.js';
import type { ActivityMetric } from '../report-filter.js';
import type { KpiPlan } from './kpi-line.js';
import type { DigestPlan } from './metrics-digest.js';
import { addDays, type LocalPeriod } from './writeback-period.js';

/** A plan-vs-fact row as ReportsService.planFact gives it. */
export interface PlanFactRow {
  managerId: string;
  metric: string;
  /** YYYY-MM-DD, first day. */
  periodStart: string;
  /** YYYY-MM-DD, last day (inclusive). */
  periodEnd: string;
  target: number;
  fact: number;
  forecast: number | null;
}

/** A plan row's days as a local period (its end day is inclusive in the row). */
export function planPeriod(p: Pick<PlanFactRow, 'periodStart' | 'periodEnd'>): LocalPeriod {
  return { start: parseIsoDate(p.periodStart)!, end: addDays(parseIsoDate(p.periodEnd)!, 1) };
}

/** The team's plans: every manager's plan for the same metric and period, summed; no forecast if any lacks one. */
export function teamPlans(rows: readonly PlanFactRow[]): DigestPlan[] {
  const groups = new Map<string, DigestPlan>();
  for (const r of rows) {
    const key = `${r.metric}|${r.periodStart}|${r.periodEnd}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { metric: r.metric as ActivityMetric, period: planPeriod(r), target: r.target, fact: r.fact, forecast: r.forecast });
      continue;
    }
    g.target += r.target;
    g.fact += r.fact;
    g.forecast = g.forecast === null || r.forecast === null ? null : g.forecast + r.forecast;
  }
  return [...groups.values()];
}

/** Each manager's plans, in the rows' order, for their KPI line. */
export function plansByManager(rows: readonly PlanFactRow[]): Map<string, KpiPlan[]> {
  const out = new Map<string, KpiPlan[]>();
  for (const r of rows) {
    const plan: KpiPlan = { metric: r.metric as ActivityMetric, period: planPeriod(r), target: r.target, fact: r.fact, forecast: r.forecast };
    out.set(r.managerId, [...(out.get(r.managerId) ?? []), plan]);
  }
  return out;
}

import type { Locale } from '../../rules/rules-config.schema.js';
import type { ActivityCounters } from '../report-filter.js';
import { formatPeriod } from './writeback-format.js';
import { planItem } from './metrics-digest.js';
import { writebackPhrases } from './writeback-messages.js';
import type { LocalPeriod } from './writeback-period.js';

export interface KpiPlan {
  metric: keyof ActivityCounters;
  period: LocalPeriod;
  target: number;
  fact: number;
  forecast: number | null;
}

/**
 * A manager's daily line: each plan running today with fact, target, progress and forecast. One
 * line per plan period (a month plan and a week plan read as two). Null with no plan: without a
 * target there is no progress to tell, and a daily message of bare counts would soon be ignored.
 */
export function buildKpiLine(input: { locale: Locale; managerName: string; plans: readonly KpiPlan[]; dashboardUrl: string | null }): string | null {
  if (input.plans.length === 0) return null;
  const t = writebackPhrases(input.locale);
  const byPeriod = new Map<string, KpiPlan[]>();
  for (const p of input.plans) {
    const key = formatPeriod(input.locale, p.period);
    byPeriod.set(key, [...(byPeriod.get(key) ?? []), p]);
  }
  const lines = [...byPeriod].map(([period, plans]) => t.kpiLine(input.managerName, period, plans.map((p) => planItem(t, input.locale, p)).join('; ')));
  if (input.dashboardUrl) lines.push(t.dashboard(input.dashboardUrl));
  return lines.join('\n');
}

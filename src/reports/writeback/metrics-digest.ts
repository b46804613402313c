import type { Locale } from '../../rules/rules-config.schema.js';
import { ratio } from '../math/ratio.js';
import type { ActivityCounters } from '../report-filter.js';
import { formatCount, formatPercent, formatPeriod } from './writeback-format.js';
import { writebackPhrases, type WritebackPhrases } from './writeback-messages.js';
import type { LocalPeriod } from './writeback-period.js';

export interface DigestManager {
  name: string;
  counters: ActivityCounters;
  violations: number;
}

export interface DigestPipeline {
  name: string;
  /** Over the trailing window (`funnelDays`): one day of deals says little about a funnel. */
  overall: number | null;
  bottleneck: { fromStage: string; toStage: string; conversion: number } | null;
}

/** A plan summed over the team: every manager's plan for the same metric and period. */
export interface DigestPlan {
  metric: keyof ActivityCounters;
  period: LocalPeriod;
  target: number;
  fact: number;
  forecast: number | null;
}

export interface MetricsDigestInput {
  locale: Locale;
  period: LocalPeriod;
  team: ActivityCounters;
  managers: readonly DigestManager[];
  pipelines: readonly DigestPipeline[];
  funnelDays: number;
  plans: readonly DigestPlan[];
  dashboardUrl: string | null;
  /** Manager lines beyond this are folded into "…and N more" (a notification is read on a phone). */
  maxManagers?: number;
}

function managerLine(t: WritebackPhrases, locale: Locale, m: DigestManager): string {
  const c = m.counters;
  const n = (x: number) => formatCount(locale, x);
  const parts = [
    c.callsIn + c.callsOut > 0 ? `${t.calls} ${n(c.callsIn + c.callsOut)}` : null,
    c.meetings ? `${t.metric.meetings} ${n(c.meetings)}` : null,
    c.offers ? `${t.metric.offers} ${n(c.offers)}` : null,
    c.dealsCreated ? `${t.metric.dealsCreated} ${n(c.dealsCreated)}` : null,
    c.dealsWon ? t.won(n(c.dealsWon), n(c.wonAmount)) : null,
    m.violations ? `${t.violations} ${n(m.violations)}` : null,
  ].filter((p): p is string => p !== null);
  return `• ${m.name}: ${parts.length ? parts.join(', ') : t.noActivity}`;
}

/**
 * The head of sales' metrics digest: the team's figures for the period, one line per manager (most
 * deals won first, then most calls), each pipeline's conversion and bottleneck over the trailing
 * window, the team's plans to date with their forecast, and the dashboard link.
 */
export function buildMetricsDigest(input: MetricsDigestInput): string {
  const { locale } = input;
  const t = writebackPhrases(locale);
  const n = (x: number) => formatCount(locale, x);
  const c = input.team;
  const lines = [t.digestTitle(formatPeriod(locale, input.period))];

  const teamParts = [
    `${t.calls} ${n(c.callsIn + c.callsOut)} (${t.callsDetail(n(c.callsIn), n(c.callsOut), n(c.callsOver30s))})`,
    `${t.metric.meetings} ${n(c.meetings)}`,
    `${t.metric.offers} ${n(c.offers)}`,
    `${t.metric.emails} ${n(c.emails)}`,
    `${t.metric.chats} ${n(c.chats)}`,
    `${t.metric.dealsCreated} ${n(c.dealsCreated)}`,
    t.won(n(c.dealsWon), n(c.wonAmount)),
  ];
  lines.push(`${t.team}: ${teamParts.join(', ')}`);

  const managers = [...input.managers].sort(
    (a, b) =>
      b.counters.dealsWon - a.counters.dealsWon ||
      b.counters.wonAmount - a.counters.wonAmount ||
      b.counters.callsIn + b.counters.callsOut - (a.counters.callsIn + a.counters.callsOut) ||
      a.name.localeCompare(b.name, locale),
  );
  const max = input.maxManagers ?? 25;
  for (const m of managers.slice(0, max)) lines.push(managerLine(t, locale, m));
  if (managers.length > max) lines.push(t.moreManagers(managers.length - max));

  for (const p of input.pipelines) {
    const funnel = t.funnel(p.name, input.funnelDays, formatPercent(locale, p.overall));
    lines.push(p.bottleneck ? `${funnel}; ${t.bottleneck(p.bottleneck.fromStage, p.bottleneck.toStage, formatPercent(locale, p.bottleneck.conversion))}` : funnel);
  }

  const byPeriod = new Map<string, DigestPlan[]>();
  for (const plan of input.plans) {
    const key = formatPeriod(locale, plan.period);
    byPeriod.set(key, [...(byPeriod.get(key) ?? []), plan]);
  }
  for (const [period, plans] of byPeriod) {
    lines.push(`${t.planHeader(period)} ${plans.map((p) => planItem(t, locale, p)).join('; ')}`);
  }

  if (input.dashboardUrl) lines.push(t.dashboard(input.dashboardUrl));
  return lines.join('\n');
}

export function planItem(t: WritebackPhrases, locale: Locale, p: { metric: keyof ActivityCounters; target: number; fact: number; forecast: number | null }): string {
  return t.planItem(
    t.metric[p.metric],
    formatCount(locale, p.fact),
    formatCount(locale, p.target),
    formatPercent(locale, ratio(p.fact, p.target)),
    p.forecast === null ? null : formatCount(locale, p.forecast),
  );
}

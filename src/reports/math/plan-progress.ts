import { ratio } from './ratio.js';

const DAY = 86_400_000;

export interface PlanProgress {
  /** fact ÷ target × 100; null when the target is 0. */
  progressPercent: number | null;
  /** The fact extrapolated at its current pace to the period's end. */
  forecast: number | null;
}

/**
 * Progress and run-rate forecast for a plan over [start, end) (end exclusive), seen at `now`:
 * forecast = fact ÷ elapsed days × period days. Edge cases:
 * - now before the period starts (nothing elapsed): forecast null — there is no pace yet;
 * - now at or after the end: the period is over, forecast = fact;
 * - an empty period (end ≤ start): forecast = fact.
 */
export function planProgress(input: { target: number; fact: number; start: Date; end: Date; now: Date }): PlanProgress {
  const { target, fact, start, end, now } = input;
  const periodMs = end.getTime() - start.getTime();
  const elapsedMs = Math.min(now.getTime(), end.getTime()) - start.getTime();
  let forecast: number | null;
  if (periodMs <= 0 || now.getTime() >= end.getTime()) forecast = fact;
  else if (elapsedMs <= 0) forecast = null;
  else forecast = ratio(fact * (periodMs / DAY), elapsedMs / DAY);
  const pct = ratio(fact, target);
  return { progressPercent: pct === null ? null : pct * 100, forecast };
}

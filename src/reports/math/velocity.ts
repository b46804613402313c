import { ratio } from './ratio.js';

/** Win rate = won ÷ (won + lost); null when nothing closed. */
export function winRate(won: number, lost: number): number | null {
  return ratio(won, won + lost);
}

/**
 * Sales velocity (money per day) = open deals × win rate × mean won amount ÷ mean cycle length in days.
 * Null when any input is unknown or the mean cycle is 0 days (no meaningful rate).
 */
export function salesVelocity(input: { openDeals: number; winRate: number | null; meanWonAmount: number | null; meanCycleDays: number | null }): number | null {
  const { openDeals, winRate: w, meanWonAmount, meanCycleDays } = input;
  if (w === null || meanWonAmount === null || meanCycleDays === null) return null;
  return ratio(openDeals * w * meanWonAmount, meanCycleDays);
}

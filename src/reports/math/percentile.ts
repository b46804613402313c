/**
 * The p-th percentile (0 ≤ p ≤ 1) by linear interpolation between the closest ranks — the method of
 * PostgreSQL's percentile_cont, Excel's PERCENTILE.INC and numpy's default: sort the n values, take the
 * position h = (n − 1) × p, and interpolate between the values at floor(h) and ceil(h).
 * So the median of [1, 2, 3, 4] is 2.5 and its p90 is 3.7. No values → null.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length || !(p >= 0 && p <= 1)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export const median = (values: readonly number[]) => percentile(values, 0.5);
export const p90 = (values: readonly number[]) => percentile(values, 0.9);

/** a ÷ b, or null when the answer is not a finite number (b = 0, a missing input): reports never show NaN or Infinity. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  const r = a / b;
  return Number.isFinite(r) ? r : null;
}

export function mean(values: readonly number[]): number | null {
  if (!values.length) return null;
  return ratio(
    values.reduce((s, v) => s + v, 0),
    values.length,
  );
}

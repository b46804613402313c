import { ratio } from './ratio.js';

/**
 * Upper bounds (minutes, inclusive) of the first-response buckets: within 15 min, 1 h, 4 h, 1 day,
 * and a last open-ended bucket for everything slower. Kept as data so the SQL and the answer agree.
 */
export const FIRST_RESPONSE_BOUNDS_MINUTES = [15, 60, 240, 1440] as const;

export interface ResponseBucket {
  /** Inclusive upper bound in minutes; null for the last bucket (slower than every bound). */
  upToMinutes: number | null;
  deals: number;
  /** deals ÷ deals that were answered; null when none was. */
  share: number | null;
}

/**
 * Turns cumulative counts ("answered within b minutes", one per bound, as SQL counts them cheaply)
 * into disjoint buckets. `within[i]` must be the count of answered deals with minutes ≤ bounds[i].
 * A response of exactly 15 minutes is "within 15 min".
 */
export function responseBuckets(within: readonly number[], answered: number, bounds: readonly number[] = FIRST_RESPONSE_BOUNDS_MINUTES): ResponseBucket[] {
  if (within.length !== bounds.length) throw new RangeError('one cumulative count per bound');
  const out: ResponseBucket[] = [];
  let below = 0;
  bounds.forEach((b, i) => {
    const deals = within[i]! - below;
    out.push({ upToMinutes: b, deals, share: ratio(deals, answered) });
    below = within[i]!;
  });
  out.push({ upToMinutes: null, deals: answered - below, share: ratio(answered - below, answered) });
  return out;
}

/** Which bucket a single response falls in (index into responseBuckets' answer); the SQL applies the same rule. */
export function bucketIndex(minutes: number, bounds: readonly number[] = FIRST_RESPONSE_BOUNDS_MINUTES): number {
  const i = bounds.findIndex((b) => minutes <= b);
  return i === -1 ? bounds.length : i;
}

/**
 * Minutes from a deal's creation to its first contact; never negative (the call that created the deal
 * may have started a few seconds before the deal did). Null when nobody has reached the client yet.
 */
export function responseMinutes(createdAt: Date, firstContactAt: Date | null): number | null {
  if (firstContactAt === null) return null;
  return Math.max(0, (firstContactAt.getTime() - createdAt.getTime()) / 60_000);
}

import { reachedCounts, stepConversions } from './funnel.js';

/**
 * Conversions are ratios of small integers computed in floating point, so two equal gaps can differ in
 * the last bit (0.8 − 0.5 vs 0.6 − 0.3). Differences below this count as ties, which then go to the
 * earliest step as the definitions say.
 */
export const TIE_EPSILON = 1e-9;

export interface StepConversion {
  /** Index of the step: step i goes from funnel stage i to stage i + 1. */
  step: number;
  conversion: number;
}

export interface ManagerFunnel {
  managerId: string;
  reached: number[];
  conversions: (number | null)[];
}

/** The manager × step matrix: each manager's reached counts and step conversions, ordered by manager id. */
export function conversionMatrix(stageCount: number, byManager: ReadonlyMap<string, ReadonlyMap<number, number>>): ManagerFunnel[] {
  return [...byManager.keys()]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((managerId) => {
      const reached = reachedCounts(stageCount, byManager.get(managerId)!);
      return { managerId, reached, conversions: stepConversions(reached) };
    });
}

/** The team's bottleneck: the step with the lowest conversion; on a tie the earliest step. Steps with no conversion (nobody at the from-stage) are skipped. */
export function teamBottleneck(conversions: readonly (number | null)[]): StepConversion | null {
  let best: StepConversion | null = null;
  conversions.forEach((c, step) => {
    if (c === null) return;
    if (!best || c < best.conversion - TIE_EPSILON) best = { step, conversion: c };
  });
  return best;
}

export interface WeakestStep {
  step: number;
  conversion: number;
  teamConversion: number;
  /** Team conversion minus the manager's: how far below the team they are at this step. */
  gap: number;
}

/**
 * A manager's weakest step: the step where team conversion minus theirs is largest (ties → earliest).
 * Steps where the manager had no deal at the from-stage, or the team has no conversion, are skipped.
 * A manager at or above the team everywhere still gets the step with the largest (least negative) gap.
 */
export function weakestStep(team: readonly (number | null)[], manager: ManagerFunnel): WeakestStep | null {
  let best: WeakestStep | null = null;
  team.forEach((t, step) => {
    const mine = manager.conversions[step];
    if (t === null || mine === null || mine === undefined || manager.reached[step] === 0) return;
    const gap = t - mine;
    if (!best || gap > best.gap + TIE_EPSILON) best = { step, conversion: mine, teamConversion: t, gap };
  });
  return best;
}

export interface BestConverter {
  step: number;
  managerId: string;
  conversion: number;
  /** Deals the manager had at the from-stage. */
  sample: number;
}

/**
 * Who converts best out of each stage: highest step conversion among managers with at least
 * `minSample` deals at the from-stage (one lucky deal does not make anyone the best). Ties → the larger
 * sample, then the lower manager id. Steps where nobody qualifies are left out.
 */
export function bestConverters(matrix: readonly ManagerFunnel[], minSample: number): BestConverter[] {
  const steps = matrix[0]?.conversions.length ?? 0;
  const out: BestConverter[] = [];
  for (let step = 0; step < steps; step++) {
    let best: BestConverter | null = null;
    for (const m of matrix) {
      const c = m.conversions[step];
      const sample = m.reached[step]!;
      if (c === null || c === undefined || sample < Math.max(1, minSample)) continue;
      const better = !best || c > best.conversion + TIE_EPSILON || (Math.abs(c - best.conversion) <= TIE_EPSILON && sample > best.sample);
      if (better) best = { step, managerId: m.managerId, conversion: c, sample };
    }
    if (best) out.push(best);
  }
  return out;
}

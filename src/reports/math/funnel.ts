import { ratio } from './ratio.js';

export interface FunnelStageInput {
  id: string;
  name: string;
  sort: number;
  semantics: 'process' | 'success' | 'failure';
}

export interface FunnelStep {
  fromStageId: string;
  toStageId: string;
}

/**
 * The funnel: the pipeline's in-progress stages by sort, then the success stage. Failure stages stand
 * outside it. (A pipeline with several success stages keeps the first by sort.)
 */
export function funnelStages<S extends FunnelStageInput>(stages: readonly S[]): S[] {
  const bySort = [...stages].sort((a, b) => a.sort - b.sort || a.id.localeCompare(b.id));
  const success = bySort.find((s) => s.semantics === 'success');
  return [...bySort.filter((s) => s.semantics === 'process'), ...(success ? [success] : [])];
}

export function funnelSteps(stageIds: readonly string[]): FunnelStep[] {
  return stageIds.slice(1).map((to, i) => ({ fromStageId: stageIds[i]!, toStageId: to }));
}

/**
 * reached[i] = number of deals whose furthest funnel index is ≥ i. `furthest` maps a funnel index
 * (0-based) to how many deals got exactly that far; deals that never entered a funnel stage are not
 * in it. A skip passes the stages it jumps over and a backward move undoes nothing, because only the
 * furthest index counts; so reached never grows along the funnel.
 */
export function reachedCounts(stageCount: number, furthest: ReadonlyMap<number, number>): number[] {
  const reached = new Array<number>(stageCount).fill(0);
  for (const [index, deals] of furthest) {
    const top = Math.min(index, stageCount - 1);
    for (let i = 0; i <= top; i++) reached[i]! += deals;
  }
  return reached;
}

/** Step conversion A→B = reached(B) ÷ reached(A), one per step; null where reached(A) = 0. */
export function stepConversions(reached: readonly number[]): (number | null)[] {
  return reached.slice(1).map((b, i) => ratio(b, reached[i]!));
}

/** Overall conversion = reached(success) ÷ reached(first stage). */
export function overallConversion(reached: readonly number[]): number | null {
  if (reached.length < 2) return null;
  return ratio(reached.at(-1)!, reached[0]!);
}

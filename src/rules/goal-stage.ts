import type { Reaction } from './rules-config.schema.js';

/**
 * The stage an assign reaction refers to when it names none: where the goal sends the deal, or the
 * goal's own stage when it does not move it. "Best converter at the target stage" means the stage the
 * deal is heading into, which is what makes a hand-over to a specialist useful.
 */
export function defaultReactionStageId(goalStageId: string, reactions: Reaction[]): string {
  const move = reactions.find((r) => r.type === 'moveToStage');
  return move?.type === 'moveToStage' ? move.stageId : goalStageId;
}

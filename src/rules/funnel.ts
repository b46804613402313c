import type { Pipeline, Stage, StageTransition } from '../domain/crm.js';

/**
 * Stages of `pipeline` the deal has stood in: the stage it was created in, every stage it entered or
 * left, and the one it is leaving now. Both ends of each step are taken so a row missing from the
 * host's history (a gap between one step's `to` and the next one's `from`) loses no stage. Stage ids
 * are unique only within a pipeline (amoCRM reuses 142/143 everywhere), so other pipelines' entries
 * are ignored.
 */
export function visitedStageIds(pipelineId: string, history: StageTransition[], transition: StageTransition): Set<string> {
  const visited = new Set<string>();
  for (const step of [...history, transition]) {
    if (step.fromStageId !== null && (step.fromPipelineId ?? step.pipelineId) === pipelineId) visited.add(step.fromStageId);
    if (step !== transition && step.pipelineId === pipelineId) visited.add(step.toStageId);
  }
  return visited;
}

/**
 * The stage a forward move is measured from. Normally the stage being left; but failure stages sort
 * after everything else, so a deal reopened from "Lost" would look like a backward move to any
 * stage — even straight to "Won". A reopened deal is judged from the last in-process stage it stood in.
 */
export function effectiveFromStage(pipeline: Pipeline, from: Stage, history: StageTransition[]): Stage {
  if (from.semantics !== 'failure') return from;
  for (const step of [...history].reverse()) {
    const candidates = [
      step.pipelineId === pipeline.id ? step.toStageId : null,
      (step.fromPipelineId ?? step.pipelineId) === pipeline.id ? step.fromStageId : null,
    ];
    for (const id of candidates) {
      const stage = pipeline.stages.find((s) => s.id === id);
      if (stage && stage.semantics !== 'failure') return stage;
    }
  }
  return from;
}

/** In-process stages strictly between two stages, in funnel order. */
export function stagesBetween(pipeline: Pipeline, from: Stage, to: Stage): Stage[] {
  return pipeline.stages
    .filter((s) => s.semantics === 'process' && s.sort > from.sort && s.sort < to.sort)
    .sort((a, b) => a.sort - b.sort);
}

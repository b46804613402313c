import type { Deal, Pipeline, Stage } from '../domain/crm.js';
import type { FastTrack, PipelineRules } from './rules-config.schema.js';
import { dealFieldEquals } from './deal-fields.js';
import { stagesBetween } from './funnel.js';

/** Required stages a forward move jumps over without the deal ever having stood in them. */
export function skippedRequiredStages(
  pipeline: Pipeline,
  rules: PipelineRules,
  from: Stage,
  to: Stage,
  visited: ReadonlySet<string>,
): Stage[] {
  const required = new Set(rules.stages.filter((s) => s.required).map((s) => s.stageId));
  return stagesBetween(pipeline, from, to).filter((s) => required.has(s.id) && !visited.has(s.id));
}

export function matchingFastTrack(
  rules: PipelineRules,
  fromStageId: string,
  toStageId: string,
  deal: Deal,
  reachedGoals: readonly string[],
): FastTrack | undefined {
  return rules.skipping.fastTracks.find(
    (track) =>
      track.fromStageId === fromStageId &&
      track.toStageId === toStageId &&
      ('goalReached' in track.when
        ? reachedGoals.includes(track.when.goalReached)
        : dealFieldEquals(deal, track.when.fieldEquals.field, track.when.fieldEquals.value)),
  );
}

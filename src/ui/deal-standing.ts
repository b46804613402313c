import type { Activity, Deal, Pipeline, StageSemantics } from '../domain/crm.js';
import { isDealFieldFilled } from '../rules/deal-fields.js';
import type { LocalizedText, PipelineRules } from '../rules/index.js';
import type { StoredTransition } from '../sync/projection.repository.js';

export type StageState = 'passed' | 'skipped' | 'current' | 'ahead';

export interface DealStanding {
  stages: { id: string; name: string; semantics: StageSemantics; required: boolean; state: StageState }[];
  /** What the current stage asks before the deal may leave it forward; null when it asks nothing. */
  exit: {
    stageId: string;
    fields: { name: string; met: boolean }[];
    goals: { code: string; title: LocalizedText | null; met: boolean }[];
    nextContact: { met: boolean } | null;
  } | null;
  configured: boolean;
}

/**
 * A planned contact is an open activity whose deadline (or start) is still ahead: the same test the
 * deal processor applies when it judges a move, so the tab never promises what the rules refuse.
 */
export function hasPlannedContact(activities: Activity[], now: Date): boolean {
  return activities.some((a) => {
    if (a.completed) return false;
    const when = a.deadline ?? a.startAt;
    return when !== null && Date.parse(when) >= now.getTime();
  });
}

/**
 * Where the deal stands in its pipeline, for the deal tab. A stage the deal stood in (entered, left,
 * or was created in) is passed; an in-process stage before the current one that it never stood in
 * was skipped. From a failure stage, "before" is measured from the furthest in-process stage reached.
 */
export function dealStanding(input: {
  deal: Deal;
  pipeline: Pipeline | null;
  rules: PipelineRules | undefined;
  transitions: StoredTransition[];
  reachedGoalCodes: string[];
  activities: Activity[];
  now: Date;
}): DealStanding {
  const { deal, pipeline, rules } = input;
  if (!pipeline) return { stages: [], exit: null, configured: false };
  const visited = new Set<string>([deal.stageId]);
  for (const t of input.transitions) {
    if (t.pipelineId === pipeline.id) visited.add(t.toStageId);
    if (t.fromStageId !== null && (t.fromPipelineId ?? t.pipelineId) === pipeline.id) visited.add(t.fromStageId);
  }
  const ordered = [...pipeline.stages].sort((a, b) => a.sort - b.sort);
  const current = ordered.find((s) => s.id === deal.stageId);
  const reachedSort =
    current?.semantics === 'failure'
      ? Math.max(-Infinity, ...ordered.filter((s) => s.semantics === 'process' && visited.has(s.id)).map((s) => s.sort))
      : (current?.sort ?? -Infinity);
  const required = new Set((rules?.stages ?? []).filter((s) => s.required).map((s) => s.stageId));

  const stages = ordered.map((s) => {
    let state: StageState;
    if (s.id === deal.stageId) state = 'current';
    else if (visited.has(s.id)) state = 'passed';
    else if (s.semantics === 'process' && s.sort < reachedSort) state = 'skipped';
    else state = 'ahead';
    return { id: s.id, name: s.name, semantics: s.semantics, required: required.has(s.id), state };
  });

  const stageRule = rules?.stages.find((s) => s.stageId === deal.stageId);
  const cond = stageRule?.exitConditions;
  const asksSomething = !!cond && (cond.fieldsFilled.length > 0 || cond.goalsReached.length > 0 || cond.nextContactPlanned);
  const exit =
    cond && asksSomething
      ? {
          stageId: deal.stageId,
          fields: cond.fieldsFilled.map((name) => ({ name, met: isDealFieldFilled(deal, name) })),
          goals: cond.goalsReached.map((code) => ({
            code,
            title: rules?.goals.find((g) => g.code === code)?.title ?? null,
            met: input.reachedGoalCodes.includes(code),
          })),
          nextContact: cond.nextContactPlanned ? { met: hasPlannedContact(input.activities, input.now) } : null,
        }
      : null;
  return { stages, exit, configured: !!rules };
}

import type { Deal, Pipeline, StageTransition } from '../domain/crm.js';
import type { ActionSpec } from '../domain/actions.js';
import type { RulesConfig } from './rules-config.schema.js';
import type { MissingConditions } from './exit-conditions.js';

export interface TransitionInput {
  /** The whole portal config; the pipeline's part is picked by transition.pipelineId. */
  config: RulesConfig;
  pipeline: Pipeline;
  /** The deal as it is now (after the move). */
  deal: Deal;
  /** Earlier transitions of this deal, oldest first, without the one being judged. */
  history: StageTransition[];
  transition: StageTransition;
  /** Goal codes reached on this deal so far. */
  reachedGoals: string[];
  /** The deal has an open planned activity (call, meeting, task) in the future. */
  hasPlannedNextContact: boolean;
  /** The app made this move itself (an enforce rollback or a goal reaction). */
  ownMove: boolean;
  now: Date;
}

export type TransitionVerdict =
  | 'ok'
  | 'backward'
  | 'failure'
  | 'fast_track'
  | 'own_move'
  | 'pipeline_change'
  | 'violation'
  | 'not_configured';

export type ViolationKind = 'stage_skipped' | 'exit_conditions_unmet' | 'loss_reason_missing';

export interface Violation {
  kind: ViolationKind;
  /** Funnel order. Empty unless kind is stage_skipped. */
  skippedStageIds: string[];
  missing: MissingConditions;
  /** Localized, names the deal and the stages. */
  message: string;
}

export interface TransitionDecision {
  verdict: TransitionVerdict;
  violations: Violation[];
  actions: ActionSpec[];
}

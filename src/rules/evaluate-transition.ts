import type { Stage } from '../domain/crm.js';
import type { GoalRule, PipelineRules, RulesConfig } from './rules-config.schema.js';
import type { TransitionDecision, TransitionInput, TransitionVerdict, Violation } from './transition-decision.js';
import { isDealFieldFilled } from './deal-fields.js';
import { unmetExitConditions, type MissingConditions } from './exit-conditions.js';
import { effectiveFromStage, visitedStageIds } from './funnel.js';
import { rulesMessages } from './rules-messages.js';
import { matchingFastTrack, skippedRequiredStages } from './skip-check.js';
import { violationActions } from './violation-actions.js';

const quiet = (verdict: TransitionVerdict): TransitionDecision => ({ verdict, violations: [], actions: [] });

/** Judges one stage move of one deal. Pure: everything it needs, the clock included, is in `input`. */
export function evaluateTransition(input: TransitionInput): TransitionDecision {
  const { config, pipeline, deal, history, transition, reachedGoals } = input;
  // The app's own rollbacks and goal moves come back as host events; judging them would loop.
  if (input.ownMove) return quiet('own_move');
  const fromPipelineId = transition.fromPipelineId ?? transition.pipelineId;
  if (fromPipelineId !== transition.pipelineId) return quiet('pipeline_change');

  const rules = config.pipelines.find((p) => p.pipelineId === transition.pipelineId);
  const from = pipeline.stages.find((s) => s.id === transition.fromStageId);
  const to = pipeline.stages.find((s) => s.id === transition.toStageId);
  if (!rules || pipeline.id !== transition.pipelineId || !to) return quiet('not_configured');
  // A deal created straight into a stage, or a no-op move: no stage was left, nothing to judge.
  if (transition.fromStageId === null) return quiet('ok');
  if (!from) return quiet('not_configured');
  if (from.id === to.id) return quiet('ok');

  const mode = rules.skipping.mode;
  const violations: Violation[] = [];
  let verdict: TransitionVerdict;
  const messages = rulesMessages(config.locale);

  if (to.semantics === 'failure') {
    verdict = 'failure';
    const lossField = rules.skipping.requireLossReasonField;
    if (mode !== 'off' && lossField !== undefined && !isDealFieldFilled(deal, lossField)) {
      violations.push({
        kind: 'loss_reason_missing',
        skippedStageIds: [],
        missing: { fields: [lossField], goals: [], nextContact: false },
        message: messages.lossReasonMissing(deal.title, to.name, lossField),
      });
    }
  } else {
    const base = effectiveFromStage(pipeline, from, history);
    if (to.sort < base.sort) return quiet('backward');
    if (mode === 'off' || to.sort === base.sort) return quiet('ok');
    verdict = 'ok';

    const skipped = skippedRequiredStages(pipeline, rules, base, to, visitedStageIds(pipeline.id, history, transition));
    if (skipped.length > 0) {
      if (matchingFastTrack(rules, base.id, to.id, deal, reachedGoals)) {
        verdict = 'fast_track';
      } else {
        violations.push({
          kind: 'stage_skipped',
          skippedStageIds: skipped.map((s) => s.id),
          missing: { fields: [], goals: [], nextContact: false },
          message: messages.stageSkipped(deal.title, from.name, to.name, skipped.map((s) => s.name)),
        });
      }
    }

    // A fast track lets the deal jump stages, not leave its own stage half-done.
    const stageRule = rules.stages.find((s) => s.stageId === base.id);
    const missing = unmetExitConditions(stageRule, deal, reachedGoals, input.hasPlannedNextContact);
    if (missing) {
      violations.push({
        kind: 'exit_conditions_unmet',
        skippedStageIds: [],
        missing,
        message: exitMessage(config, rules, deal.title, base, missing),
      });
    }
  }

  if (violations.length === 0) return quiet(verdict);
  return {
    verdict: 'violation',
    violations,
    actions: violationActions(violations, { config, rules, deal, transition, from, now: input.now }),
  };
}

function exitMessage(config: RulesConfig, rules: PipelineRules, dealTitle: string, stage: Stage, missing: MissingConditions): string {
  const messages = rulesMessages(config.locale);
  return messages.exitConditionsUnmet(dealTitle, stage.name, {
    fields: missing.fields.map((f) => messages.fieldLabels[f] ?? f),
    goals: missing.goals.map((code) => goalTitle(rules.goals.find((g) => g.code === code), config, code)),
    nextContact: missing.nextContact,
  });
}

function goalTitle(goal: GoalRule | undefined, config: RulesConfig, fallback: string): string {
  if (!goal) return fallback;
  return goal.title[config.locale] ?? goal.title.en;
}

import type { ActionKind, ActionSpec } from '../domain/actions.js';
import type { Deal, Pipeline } from '../domain/crm.js';
import type { GoalRule, Reaction, RulesConfig, TaskDue } from './rules-config.schema.js';
import { renderDealTemplate } from './deal-template.js';
import { defaultReactionStageId } from './goal-stage.js';
import { addWorkingDays } from './working-time.js';

export interface ConversionStats {
  /** Per stage id: the manager with the best conversion at that stage over the last 90 days. */
  bestConverterByStage: Record<string, string | undefined>;
}

export interface GoalInput {
  config: RulesConfig;
  pipeline: Pipeline;
  /** The deal as it is now; its stageId is where the goal was marked. */
  deal: Deal;
  goalCode: string;
  /** The mark came from the deal's "Stage goal" field, which must then be cleared for the next mark. */
  fromDealField: boolean;
  stats: ConversionStats;
  now: Date;
}

export interface GoalOutcome {
  actions: ActionSpec[];
  /** Reactions that could not be carried out, in words for the operator; the others still run. */
  errors: string[];
}

// The deal moves first, so hand-over, tasks and messages concern the deal where it ends up. The mark
// is cleared last: run in this order, a crash half-way leaves the mark set, so the goal is retried
// (the idempotency keys keep the retry from repeating what was done) rather than silently dropped.
const KIND_ORDER: ActionKind[] = ['move_stage', 'set_responsible', 'set_client_field', 'create_task', 'notify', 'comment'];

export function evaluateGoal(input: GoalInput): GoalOutcome {
  const { config, deal, goalCode } = input;
  const rules = config.pipelines.find((p) => p.pipelineId === deal.pipelineId);
  const goal = rules?.goals.find((g) => g.code === goalCode);
  if (!rules || !goal) return { actions: [], errors: [`goal "${goalCode}" is not configured for pipeline "${deal.pipelineId}"`] };
  if (goal.stageId !== deal.stageId) {
    return { actions: [], errors: [`goal "${goalCode}" belongs to stage "${goal.stageId}", the deal is at "${deal.stageId}"`] };
  }

  // Tasks "for the responsible" go to whoever holds the deal once the goal's hand-over is done: the
  // person who must act next, not the one the deal was just taken from.
  const assign = goal.reactions.find((r) => r.type === 'assign');
  const newResponsible = assign?.type === 'assign' ? assigneeOf(assign, goal, input) : undefined;
  const responsibleAfter = typeof newResponsible === 'string' ? newResponsible : deal.responsibleId;

  const actions: ActionSpec[] = [];
  const errors: string[] = [];
  goal.reactions.forEach((reaction, index) => {
    const result = reactionActions(reaction, index, goal, input, responsibleAfter);
    if (typeof result === 'string') errors.push(`reaction ${index} (${reaction.type}): ${result}`);
    else actions.push(...result);
  });
  actions.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  if (input.fromDealField) actions.push({ kind: 'clear_goal_mark', slug: 'clear-goal-mark', dealId: deal.id });
  return { actions, errors };
}

/** The actions for one reaction, or why it cannot run. */
function reactionActions(
  reaction: Reaction,
  index: number,
  goal: GoalRule,
  input: GoalInput,
  responsibleAfter: string | null,
): ActionSpec[] | string {
  const { config, deal, now } = input;
  const render = (template: string) => renderDealTemplate(template, deal);
  switch (reaction.type) {
    case 'moveToStage':
      // The config was validated against the pipelines of its day; the host may have dropped the stage since.
      if (!input.pipeline.stages.some((s) => s.id === reaction.stageId)) return `stage "${reaction.stageId}" no longer exists`;
      return [{ kind: 'move_stage', slug: 'move', dealId: deal.id, pipelineId: deal.pipelineId, stageId: reaction.stageId, reason: 'goal' }];
    case 'assign': {
      const userId = assigneeOf(reaction, goal, input);
      if (typeof userId !== 'string') return userId.error;
      return userId === deal.responsibleId ? [] : [{ kind: 'set_responsible', slug: 'assign', dealId: deal.id, userId }];
    }
    case 'setClientField': {
      const entityId = reaction.entity === 'company' ? deal.companyId : deal.contactId;
      if (entityId === null) return `the deal has no ${reaction.entity}`;
      const { entity, field, value } = reaction;
      return [{ kind: 'set_client_field', slug: `client-field:${index}`, entity, entityId, field, value }];
    }
    case 'createTask': {
      const responsibleId =
        reaction.assignee === 'responsible'
          ? responsibleAfter
          : reaction.assignee === 'head_of_sales'
            ? (config.headsOfSales[0] ?? null)
            : reaction.assignee.userId;
      if (responsibleId === null) return `nobody to assign the task to (${JSON.stringify(reaction.assignee)})`;
      return [
        {
          kind: 'create_task',
          slug: `task:${index}`,
          dealId: deal.id,
          title: render(reaction.titleTemplate),
          description: render(reaction.description ?? ''),
          responsibleId,
          deadline: taskDeadline(reaction.due, now, config).toISOString(),
        },
      ];
    }
    case 'notify': {
      const userIds = reaction.userIds === 'heads_of_sales' ? config.headsOfSales : reaction.userIds;
      if (userIds.length === 0) return 'nobody to notify';
      const message = render(reaction.messageTemplate);
      const tag = `stageguard:goal:${deal.id}:${goal.code}:${index}`;
      // One tag per recipient: the host keeps one notification per tag across all users.
      return [...new Set(userIds)].map((userId) => ({ kind: 'notify', slug: `notify:${index}:${userId}`, userId, message, tag: `${tag}:${userId}` }));
    }
    case 'comment':
      return [{ kind: 'comment', slug: `comment:${index}`, dealId: deal.id, text: render(reaction.textTemplate) }];
  }
}

function assigneeOf(reaction: Extract<Reaction, { type: 'assign' }>, goal: GoalRule, input: GoalInput): string | { error: string } {
  if (reaction.to === 'user') return reaction.userId;
  const rules = input.config.pipelines.find((p) => p.pipelineId === input.deal.pipelineId);
  const stageId = reaction.stageId ?? defaultReactionStageId(goal.stageId, goal.reactions);
  const userId =
    reaction.to === 'stage_owner'
      ? rules?.stages.find((s) => s.stageId === stageId)?.ownerUserId
      : input.stats.bestConverterByStage[stageId];
  return userId ?? { error: `no ${reaction.to === 'stage_owner' ? 'owner' : 'best converter'} known for stage "${stageId}"` };
}

/** Hours are plain clock hours; working days follow addWorkingDays (end of the n-th working day). */
export function taskDeadline(due: TaskDue, now: Date, config: RulesConfig): Date {
  return 'hours' in due ? new Date(now.getTime() + due.hours * 3_600_000) : addWorkingDays(now, due.workingDays, config.workingTime);
}

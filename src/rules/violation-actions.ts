import type { ActionSpec } from '../domain/actions.js';
import type { Deal, Stage, StageTransition } from '../domain/crm.js';
import type { PipelineRules, RulesConfig } from './rules-config.schema.js';
import type { Violation } from './transition-decision.js';
import { rulesMessages } from './rules-messages.js';
import { addWorkingDays } from './working-time.js';

export interface ViolationContext {
  config: RulesConfig;
  rules: PipelineRules;
  deal: Deal;
  transition: StageTransition;
  from: Stage;
  now: Date;
}

/**
 * What the app does about a bad move: tell the heads of sales, leave a trace on the deal, give the
 * manager a task to put it right, and in enforce mode put the deal back. One of each per decision,
 * however many violations the move has, so the people involved get one message, not a burst.
 */
export function violationActions(violations: Violation[], ctx: ViolationContext): ActionSpec[] {
  const { config, rules, deal, transition, from, now } = ctx;
  const messages = rulesMessages(config.locale);
  const enforce = rules.skipping.mode === 'enforce';
  const text = [...violations.map((v) => v.message), ...(enforce ? [messages.rolledBack(deal.title, from.name)] : [])].join('\n');

  const recipients = rules.skipping.alertUserIds.length > 0 ? rules.skipping.alertUserIds : config.headsOfSales;
  // The host replaces a notification with the same tag, so a re-evaluated transition does not ping
  // twice. Bitrix24 keeps one notification per TAG for the whole application (im.notify.system.add),
  // so the tag names the recipient too: otherwise the second head of sales' copy replaces the first's.
  const tag = `stageguard:violation:${deal.id}:${transition.hostHistoryId}`;
  const actions: ActionSpec[] = [...new Set(recipients)].map((userId) => ({
    kind: 'notify',
    slug: `notify:${userId}`,
    userId,
    message: text,
    tag: `${tag}:${userId}`,
  }));
  actions.push({ kind: 'comment', slug: 'comment', dealId: deal.id, text });

  const manager = deal.responsibleId ?? transition.byUserId;
  if (rules.skipping.createFixTask && manager !== null) {
    actions.push({
      kind: 'create_task',
      slug: 'fix-task',
      dealId: deal.id,
      title: messages.fixTaskTitle(deal.title),
      description: text,
      responsibleId: manager,
      deadline: addWorkingDays(now, 1, config.workingTime).toISOString(),
    });
  }
  if (enforce) {
    actions.push({
      kind: 'move_stage',
      slug: 'rollback',
      dealId: deal.id,
      pipelineId: transition.pipelineId,
      stageId: from.id,
      reason: 'rollback',
    });
  }
  return actions;
}

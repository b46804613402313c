import type { ActionRepository } from '../actions/action.repository.js';
import type { AppContext } from '../app/app-context.js';
import type { CrmConnector } from '../connectors/crm-connector.js';
import { withTransaction } from '../db/with-transaction.js';
import type { ActionSpec } from '../domain/actions.js';
import type { Activity, Deal, Pipeline, StageHistoryEntry } from '../domain/crm.js';
import type { Portal } from '../portals/portal.js';
import { QUEUES } from '../queue/queue-policies.js';
import { evaluateGoal, evaluateTransition, type RulesConfig } from '../rules/index.js';
import type { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import type { ViolationRepository } from '../violations/violation.repository.js';
import { bestConverterByStage } from './conversion-stats.query.js';
import type { DealGoalRepository } from './deal-goal.repository.js';
import { deriveTransitions } from './derive-transitions.js';
import type { ProjectionRepository, StoredTransition } from './projection.repository.js';
import type { QueryRunner } from 'typeorm';
import { returningRows } from '../db/returning-rows.js';

export interface ActionJobData {
  portalId: string;
  actionId: string;
}

export interface DealProcessorDeps {
  ctx: AppContext;
  projections: ProjectionRepository;
  actions: ActionRepository;
  violations: ViolationRepository;
  rules: RulesConfigRepository;
  goals: DealGoalRepository;
}

export type GoalSource = 'deal_field' | 'app' | 'activity';

/**
 * sync → rules → actions for deals. Reads the host (the truth), updates projections, judges each
 * new transition once, reacts to goal marks once per stage visit, and records the resulting actions
 * with their jobs in the same transaction as the verdicts.
 */
export class DealProcessor {
  constructor(private readonly d: DealProcessorDeps) {}

  /**
   * Re-read deals and their stage history. `judge: false` (history import) stores transitions as
   * history without judging them: a months-old skip is not an alert.
   */
  async syncDeals(portal: Portal, connector: CrmConnector, dealIds: string[], opts: { judge: boolean } = { judge: true }): Promise<void> {
    const ids = [...new Set(dealIds)];
    const readAt = await this.d.projections.dbNow();
    const found = connector.getDealsWithHistory
      ? await connector.getDealsWithHistory(ids)
      : new Map((await Promise.all(ids.map(async (id) => [id, await connector.getDealWithHistory(id)] as const))).filter((x) => x[1] !== null) as [string, { deal: Deal; history: StageHistoryEntry[] }][]);
    for (const dealId of ids) {
      const one = found.get(dealId);
      if (!one) {
        await this.d.projections.markDealDeleted(portal.id, dealId);
        continue;
      }
      await this.storeDeal(portal, one.deal, one.history, readAt, opts.judge);
      if (opts.judge) await this.evaluateDeal(portal, dealId);
    }
  }

  async storeDeal(portal: Portal, deal: Deal, history: StageHistoryEntry[], readAt: Date, judge: boolean): Promise<StoredTransition[]> {
    const pipelines = await this.d.projections.pipelines(portal.id);
    const stage = pipelines.find((p) => p.id === deal.pipelineId)?.stages.find((s) => s.id === deal.stageId);
    await this.d.projections.upsertDeal(portal.id, deal, readAt, stage?.semantics ?? 'process');
    const known = await this.d.projections.knownHistoryIds(portal.id, deal.id);
    const inserted = await this.d.projections.insertTransitions(portal.id, deriveTransitions(history, known));
    if (!judge) {
      for (const t of inserted) {
        if (await this.d.projections.claimEvaluation(portal.id, t.id)) await this.d.projections.setVerdict(portal.id, t.id, 'imported', false);
      }
    }
    return inserted;
  }

  dealSyncedAt(portalId: string, dealId: string): Promise<Date | null> {
    return this.d.projections.dealSyncedAt(portalId, dealId);
  }

  async evaluateDeal(portal: Portal, dealId: string): Promise<void> {
    const { projections } = this.d;
    const deal = await projections.getDeal(portal.id, dealId);
    if (!deal) return;
    const active = await this.d.rules.active(portal.id);
    const pipelines = await projections.pipelines(portal.id);
    const now = this.d.ctx.now();

    // A goal marked in the deal card counts before the moves are judged: "ready to buy" is what
    // makes the jump to Invoice a fast track.
    if (deal.goalMark && active) {
      await this.markGoal(portal, deal, deal.goalMark, 'deal_field', deal.responsibleId, active.config, pipelines);
    }

    const pending = await projections.unevaluatedTransitions(portal.id, dealId);
    if (!pending.length) return;
    const all = await projections.transitions(portal.id, dealId);
    const activities = await projections.activitiesOfDeal(portal.id, dealId);
    const reachedGoals = (await this.d.goals.reached(portal.id, dealId)).map((g) => g.goalCode);
    // Moves from before the install are history, never judged. The host stamps whole seconds, so
    // a move made in the install's own second must not count as before it.
    const installedAt = portal.installedAt ? Date.parse(portal.installedAt) - 60_000 : 0;

    for (const t of pending) {
      const ownMove = await this.d.actions.matchOwnMove(portal.id, dealId, t.toStageId, t.id);
      const pipeline = pipelines.find((p) => p.id === t.pipelineId);
      const before = Date.parse(t.at) < installedAt;
      let verdict: string;
      let decision: ReturnType<typeof evaluateTransition> | null = null;
      if (ownMove) verdict = 'own_move';
      else if (before) verdict = 'before_install';
      else if (!active || !pipeline) verdict = 'not_configured';
      else {
        decision = evaluateTransition({
          config: active.config,
          pipeline,
          deal,
          history: all.filter((x) => x.id !== t.id && (Date.parse(x.at) < Date.parse(t.at) || (x.at === t.at && Number(x.id) < Number(t.id)))),
          transition: t,
          reachedGoals,
          hasPlannedNextContact: hasPlannedContact(activities, now),
          ownMove: false,
          now,
        });
        verdict = decision.verdict;
      }

      await withTransaction(this.d.ctx.db, async (tx) => {
        // The claim and the verdict's effects commit together: a crash in between re-judges, never loses.
        const claimed = returningRows(await tx.query(
          `UPDATE stage_transitions SET evaluated_at = now(), verdict = $3, own_move = $4
            WHERE portal_id = $1 AND id = $2 AND evaluated_at IS NULL RETURNING id`,
          [portal.id, t.id, verdict, ownMove],
        ));
        if (!claimed.length || !decision) return;
        for (const v of decision.violations) {
          await this.d.violations.record(tx.manager, portal.id, {
            dedupeKey: `transition:${t.id}:${v.kind}`,
            kind: v.kind,
            dealId,
            managerId: t.byUserId ?? deal.responsibleId,
            pipelineId: t.pipelineId,
            stageId: t.toStageId,
            details: {
              fromStageId: t.fromStageId,
              toStageId: t.toStageId,
              skippedStageIds: v.skippedStageIds,
              missing: v.missing,
              message: v.message,
              mode: active?.config.pipelines.find((p) => p.pipelineId === t.pipelineId)?.skipping.mode ?? null,
              actions: decision.actions.map((a) => a.kind),
              transitionId: t.id,
            },
            detectedAt: new Date(t.at),
          });
        }
        await this.recordActions(tx, portal.id, `transition:${t.id}`, { transitionId: t.id, dealId }, decision.actions);
      });
    }
  }

  /** A goal reached on a deal: recorded once per visit of its stage, then its reactions. */
  async markGoal(
    portal: Portal,
    deal: Deal,
    goalCode: string,
    source: GoalSource,
    byUserId: string | null,
    config: RulesConfig,
    pipelines: Pipeline[],
  ): Promise<{ accepted: boolean; duplicate: boolean; actions: ActionSpec[]; errors: string[] }> {
    const pipeline = pipelines.find((p) => p.id === deal.pipelineId);
    const transitions = await this.d.projections.transitions(portal.id, deal.id);
    const visit = [...transitions].reverse().find((t) => t.toStageId === deal.stageId && t.pipelineId === deal.pipelineId);
    const causeKey = `goal:${deal.id}:${goalCode}:${visit?.id ?? 'created'}`;
    const outcome = pipeline
      ? evaluateGoal({
          config,
          pipeline,
          deal,
          goalCode,
          fromDealField: source === 'deal_field',
          stats: { bestConverterByStage: await bestConverterByStage(this.d.ctx.db, portal.id, pipeline, this.d.ctx.now()) },
          now: this.d.ctx.now(),
        })
      : { actions: [], errors: [`pipeline ${deal.pipelineId} is not imported`] };
    const accepted = outcome.actions.length > 0 || outcome.errors.length === 0;
    // A mark the rules cannot use is still cleared from the card, so the manager can choose again.
    const actions =
      !accepted && source === 'deal_field' ? [{ kind: 'clear_goal_mark' as const, slug: 'clear-goal-mark', dealId: deal.id }] : outcome.actions;

    const duplicate = await withTransaction(this.d.ctx.db, async (tx) => {
      if (accepted) {
        const fresh = await this.d.goals.record(tx.manager, portal.id, {
          dealId: deal.id,
          goalCode,
          stageId: deal.stageId,
          source,
          causeKey,
          byUserId,
          at: this.d.ctx.now(),
        });
        if (!fresh) return true;
      }
      await this.recordActions(tx, portal.id, accepted ? causeKey : `${causeKey}:rejected`, { goalCode, dealId: deal.id, source }, actions);
      if (outcome.errors.length) {
        await tx.query(`INSERT INTO audit_log (portal_id, actor, action, details) VALUES ($1, 'rules', 'goal_reaction_errors', $2::jsonb)`, [
          portal.id,
          JSON.stringify({ dealId: deal.id, goalCode, errors: outcome.errors }),
        ]);
      }
      return false;
    });
    return { accepted, duplicate, actions, errors: outcome.errors };
  }

  private async recordActions(tx: QueryRunner, portalId: string, causeKey: string, cause: Record<string, unknown>, specs: ActionSpec[]): Promise<void> {
    const rows = await this.d.actions.record(tx.manager, portalId, causeKey, cause, specs);
    for (const row of rows) {
      await this.d.ctx.queue.send(QUEUES.action.name, { portalId, actionId: row.id } satisfies ActionJobData, { tx, groupId: portalId });
    }
  }

  async syncActivity(portal: Portal, connector: CrmConnector, activityId: string): Promise<string[]> {
    const activity = await connector.getActivity(activityId);
    if (!activity) {
      await this.d.projections.markActivityDeleted(portal.id, activityId);
      return [];
    }
    await this.d.projections.upsertActivity(portal.id, activity);
    return activity.dealIds;
  }
}

function hasPlannedContact(activities: Activity[], now: Date): boolean {
  return activities.some((a) => {
    if (a.completed) return false;
    const when = a.deadline ?? a.startAt;
    return when !== null && Date.parse(when) >= now.getTime();
  });
}

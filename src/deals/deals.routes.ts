import express, { Router } from 'express';
import { z } from 'zod';
import { ActionRepository } from '../actions/action.repository.js';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { parseInput } from '../http/query-params.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import type { DealProcessor } from '../sync/deal-processor.js';
import { DealGoalRepository } from '../sync/deal-goal.repository.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import { sessionOf } from '../ui/session.js';
import { ViolationRepository } from '../violations/violation.repository.js';

const goalBody = z.object({ code: z.string().min(1).max(100) });

/** A deal's projection and its standing against the rules; goal marking from the deal tab. */
export function dealsRouter(ctx: AppContext, processor: DealProcessor): Router {
  const projections = new ProjectionRepository(ctx.db);
  const goals = new DealGoalRepository(ctx.db);
  const actions = new ActionRepository(ctx.db);
  const violations = new ViolationRepository(ctx.db);
  const rules = new RulesConfigRepository(ctx.db);
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const router = Router();

  router.get('/deals/:id', async (req, res) => {
    const { portalId } = sessionOf(res);
    const deal = await projections.getDeal(portalId, req.params.id);
    if (!deal) throw new HttpError(404, 'deal_not_found', `Deal ${req.params.id} is not known for this portal`);
    const [transitions, activities, reached, acts, viols, active, pipelines] = await Promise.all([
      projections.transitions(portalId, deal.id),
      projections.activitiesOfDeal(portalId, deal.id),
      goals.reached(portalId, deal.id),
      actions.listForDeal(portalId, deal.id),
      violations.list(portalId, { dealId: deal.id }),
      rules.active(portalId),
      projections.pipelines(portalId),
    ]);
    const pipelineRules = active?.config.pipelines.find((p) => p.pipelineId === deal.pipelineId);
    res.json({
      deal,
      pipeline: pipelines.find((p) => p.id === deal.pipelineId) ?? null,
      transitions,
      activities,
      goalsReached: reached,
      goalsAvailable: (pipelineRules?.goals ?? []).filter((g) => g.stageId === deal.stageId).map((g) => ({ code: g.code, title: g.title })),
      actions: acts.map((a) => ({ id: a.id, kind: a.kind, status: a.status, spec: a.spec, hostResultId: a.hostResultId })),
      violations: viols,
    });
  });

  router.post('/deals/:id/goals', express.json({ limit: '8kb' }), async (req, res) => {
    const session = sessionOf(res);
    const { code } = parseInput(goalBody, req.body, 'body field');
    const portal = await portals.get(session.portalId);
    const deal = await projections.getDeal(session.portalId, req.params.id);
    if (!portal || !deal) throw new HttpError(404, 'deal_not_found', `Deal ${req.params.id} is not known for this portal`);
    const active = await rules.active(portal.id);
    if (!active) throw new HttpError(409, 'no_rules', 'No rules configured: goals cannot be marked yet');
    const result = await processor.markGoal(portal, deal, code, 'app', session.userId, active.config, await projections.pipelines(portal.id));
    if (!result.accepted) throw new HttpError(400, 'goal_not_applicable', result.errors.join('; '));
    res.status(result.duplicate ? 200 : 201).json({ status: result.duplicate ? 'already_reached' : 'reached', actions: result.actions.map((a) => a.kind) });
  });

  return router;
}

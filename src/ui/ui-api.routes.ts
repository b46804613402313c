import { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { InstallProgress } from '../install/install-progress.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import { DealGoalRepository } from '../sync/deal-goal.repository.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import { dealStanding } from './deal-standing.js';
import { portalUsers } from './portal-users.query.js';
import { requireSession, sessionOf } from './session.js';

/**
 * What the pages need beyond the rules, deals, violations and reports APIs: the portal's pipelines
 * and users for pickers, install progress, and a deal's standing against its stage rules. Every
 * query is scoped by the session's portal; an id of another portal simply is not found.
 */
export function uiApiRouter(ctx: AppContext): Router {
  const projections = new ProjectionRepository(ctx.db);
  const rules = new RulesConfigRepository(ctx.db);
  const goals = new DealGoalRepository(ctx.db);
  const install = new InstallProgress(ctx.db);
  const router = Router();
  router.use(requireSession(ctx.sessionSecret));

  router.get('/pipelines', async (_req, res) => {
    res.json(await projections.pipelines(sessionOf(res).portalId));
  });

  router.get('/users', async (_req, res) => {
    res.json(await portalUsers(ctx.db, sessionOf(res).portalId));
  });

  router.get('/install/status', async (_req, res) => {
    res.json(await install.get(sessionOf(res).portalId));
  });

  router.get('/deals/:id/standing', async (req, res) => {
    const { portalId } = sessionOf(res);
    const deal = await projections.getDeal(portalId, req.params.id);
    if (!deal) throw new HttpError(404, 'deal_not_found', `Deal ${req.params.id} is not known for this portal`);
    const [pipelines, active, transitions, reached, activities] = await Promise.all([
      projections.pipelines(portalId),
      rules.active(portalId),
      projections.transitions(portalId, deal.id),
      goals.reached(portalId, deal.id),
      projections.activitiesOfDeal(portalId, deal.id),
    ]);
    res.json(
      dealStanding({
        deal,
        pipeline: pipelines.find((p) => p.id === deal.pipelineId) ?? null,
        rules: active?.config.pipelines.find((p) => p.pipelineId === deal.pipelineId),
        transitions,
        reachedGoalCodes: reached.map((g) => g.goalCode),
        activities,
        now: ctx.now(),
      }),
    );
  });

  return router;
}

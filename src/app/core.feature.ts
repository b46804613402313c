import { Router } from 'express';
import { actionJobHandler, type ActionFaults } from '../actions/action.job.js';
import { ActionRepository } from '../actions/action.repository.js';
import type { ConnectorRegistry } from '../connectors/connector-registry.js';
import { dealsRouter } from '../deals/deals.routes.js';
import { installJobHandler } from '../install/install.job.js';
import type { HostLifecycle } from '../portals/host-lifecycle.js';
import type { Portal } from '../portals/portal.js';
import { QUEUES } from '../queue/queue-policies.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import { rulesRouter } from '../rules-store/rules.routes.js';
import { DealGoalRepository } from '../sync/deal-goal.repository.js';
import { DealProcessor } from '../sync/deal-processor.js';
import { eventJobHandler } from '../sync/event.job.js';
import { historyImportJobHandler } from '../sync/history-import.job.js';
import { reconcileJobHandler } from '../sync/reconcile.job.js';
import { purgeJobHandler } from '../portals/purge.job.js';
import { disciplineScanJobHandler } from '../scans/discipline-scan.job.js';
import { metricsWritebackJobHandler } from '../scans/metrics-writeback.job.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import { requireSession } from '../ui/session.js';
import { ViolationRepository } from '../violations/violation.repository.js';
import { violationsRouter } from '../violations/violations.routes.js';
import type { AppContext, Feature } from './app-context.js';

export interface CoreWiring {
  registry: (ctx: AppContext) => ConnectorRegistry;
  lifecycles: (ctx: AppContext) => Partial<Record<Portal['host'], HostLifecycle>>;
  /** Extra routers behind the session (reports, …). */
  apiRouters?: ((ctx: AppContext) => Router)[];
  actionFaults?: ActionFaults;
}

/** sync → rules → actions, the session API, install and history import: host-neutral. */
export function coreFeature(w: CoreWiring): Feature {
  const processors = new WeakMap<AppContext, DealProcessor>();
  const processorFor = (ctx: AppContext) => {
    let p = processors.get(ctx);
    if (!p) {
      p = new DealProcessor({
        ctx,
        projections: new ProjectionRepository(ctx.db),
        actions: new ActionRepository(ctx.db),
        violations: new ViolationRepository(ctx.db),
        rules: new RulesConfigRepository(ctx.db),
        goals: new DealGoalRepository(ctx.db),
      });
      processors.set(ctx, p);
    }
    return p;
  };

  return {
    name: 'core',
    routes: (ctx) => {
      const api = Router();
      api.use(requireSession(ctx.sessionSecret));
      api.use(rulesRouter(ctx));
      api.use(dealsRouter(ctx, processorFor(ctx)));
      api.use(violationsRouter(ctx));
      for (const extra of w.apiRouters ?? []) api.use(extra(ctx));
      return [{ path: '/api', router: api }];
    },
    jobs: (ctx) => {
      const registry = w.registry(ctx);
      const lifecycles = w.lifecycles(ctx);
      const processor = processorFor(ctx);
      return [
        { queue: QUEUES.event.name, handler: eventJobHandler({ ctx, registry, processor, lifecycles }) },
        { queue: QUEUES.action.name, handler: actionJobHandler(ctx, registry, w.actionFaults) },
        { queue: QUEUES.install.name, handler: installJobHandler(ctx, lifecycles) },
        { queue: QUEUES.historyImport.name, handler: historyImportJobHandler(ctx, registry, processor) },
        { queue: QUEUES.reconcile.name, handler: reconcileJobHandler(ctx, registry, processor) },
        { queue: QUEUES.maintenance.name, handler: purgeJobHandler(ctx) },
        { queue: QUEUES.disciplineScan.name, handler: disciplineScanJobHandler(ctx, registry) },
        { queue: QUEUES.metricsWriteback.name, handler: metricsWritebackJobHandler(ctx) },
      ];
    },
    // Every 5 minutes, and once right after a worker starts (see runtime startTicks).
    cronTicks: [
      { queue: QUEUES.reconcile.name, schedule: '*/5 * * * *', runAtStart: true },
      { queue: QUEUES.maintenance.name, schedule: '17 * * * *' },
      { queue: QUEUES.disciplineScan.name, schedule: '*/15 * * * *' },
      // Due once a working day after the portal's hour; later ticks find the run recorded and stop.
      { queue: QUEUES.metricsWriteback.name, schedule: '7,22,37,52 * * * *' },
    ],
  };
}

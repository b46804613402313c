import { Router } from 'express';
import type { Feature } from '../../../src/app/app-context.js';
import { reportsRouter } from '../../../src/reports/reports.routes.js';
import { requireSession } from '../../../src/ui/session.js';

/** The real reports API behind the session, as the composition root mounts it, for the dashboard tests. */
export function reportsFeature(): Feature {
  return {
    name: 'reports',
    routes: (ctx) => {
      const api = Router();
      api.use(requireSession(ctx.sessionSecret));
      api.use(reportsRouter(ctx));
      return [{ path: '/api', router: api }];
    },
  };
}

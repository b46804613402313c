import express, { type Express, type Router } from 'express';
import type { Logger } from '../log/logger.js';
import type { AppMetrics } from '../observability/metrics.js';
import { errorHandler, HttpError } from './http-errors.js';
import { requestLog } from './request-log.js';

export interface HttpAppDeps {
  log: Logger;
  metrics: AppMetrics;
  /** Resolves when the database and the queue answer; throws otherwise. */
  checkReady: () => Promise<void>;
  routers?: { path: string; router: Router }[];
  /** Paths whose successful requests are logged at debug only (host webhooks). */
  highVolumePaths?: string[];
}

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    requestLog(deps.log, {
      quiet: (p) => p === '/healthz' || p === '/metrics',
      debugOnly: (p) => (deps.highVolumePaths ?? []).some((h) => p === h || p.startsWith(`${h}/`)),
    }),
  );

  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route pattern, not the raw URL: unbounded label values would blow up the registry.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (req, res) => {
    try {
      await deps.checkReady();
      res.json({ status: 'ready' });
    } catch (err) {
      req.log.warn({ err }, 'not ready');
      res.status(503).json({ status: 'unavailable', message: err instanceof Error ? err.message : String(err) });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  for (const { path, router } of deps.routers ?? []) app.use(path, router);

  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log));
  return app;
}

import type { Server } from 'node:http';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { resolveSecrets } from '../config/local-secrets.js';
import { createDataSource, type Db } from '../db/data-source.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded-postgres.js';
import { runMigrations } from '../db/migrate.js';
import { createHttpApp } from '../http/http-app.js';
import type { Logger } from '../log/logger.js';
import { createMetrics, type AppMetrics } from '../observability/metrics.js';
import { CronTicks } from '../queue/cron-ticks.js';
import { JobQueue } from '../queue/job-queue.js';
import type { QueuePolicy } from '../queue/queue-policies.js';
import { TokenCipher } from '../security/token-cipher.js';
import { reconcileLag } from '../sync/reconcile.job.js';
import type { AppContext, Feature } from './app-context.js';

export interface RuntimeOptions {
  config: Config;
  log: Logger;
  roles: { web: boolean; worker: boolean };
  features: Feature[];
  queuePolicies?: QueuePolicy[];
  now?: () => Date;
  /** Poll interval for workers; tests shorten it. */
  pollingIntervalSeconds?: number;
  /** Tests: register job handlers but leave running them to JobQueue.drain(), deterministically. */
  pollWorkers?: boolean;
}

export interface Runtime {
  ctx: AppContext;
  /** Base URL of the HTTP server when the web role runs. */
  url: string | null;
  cron: CronTicks | null;
  stop(): Promise<void>;
}

export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, log } = opts;
  let embedded: EmbeddedPostgresHandle | null = null;
  let db: Db | null = null;
  let queue: JobQueue | null = null;
  try {
    let url = config.DATABASE_URL;
    if (!url) {
      log.info({ dataDir: path.resolve(config.PG_DATA_DIR), port: config.PG_PORT }, 'starting embedded PostgreSQL');
      embedded = await startEmbeddedPostgres({
        dataDir: config.PG_DATA_DIR,
        port: config.PG_PORT,
        onLog: (line) => log.debug({ pg: line.trim() }, 'embedded postgres'),
      });
      url = embedded.url;
    }
    const secrets = resolveSecrets({
      tokenKey: config.TOKEN_ENCRYPTION_KEY,
      sessionSecret: config.SESSION_SECRET,
      stateDir: path.dirname(path.resolve(config.PG_DATA_DIR)),
    });
    if (secrets.generated) log.warn('TOKEN_ENCRYPTION_KEY/SESSION_SECRET not set: using keys generated into the local state folder');

    db = createDataSource(url, config.DATABASE_POOL_SIZE);
    await db.initialize();
    const applied = await runMigrations(db);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');

    // The depth gauge reads the queue at scrape time, so it is built before the queue it reads.
    const dbForMetrics = db;
    const metrics: AppMetrics = createMetrics(() => q.queueDepths(), { reconcileLag: () => reconcileLag({ db: dbForMetrics }) });
    const q: JobQueue = new JobQueue(url, log, metrics, {
      policies: opts.queuePolicies,
      heartbeatSeconds: config.QUEUE_HEARTBEAT_SECONDS,
      superviseSeconds: config.QUEUE_SUPERVISE_SECONDS,
    });
    queue = q;
    await q.start();

    const ctx: AppContext = {
      config,
      log,
      db,
      queue: q,
      metrics,
      cipher: new TokenCipher(secrets.tokenKey),
      sessionSecret: secrets.sessionSecret,
      now: opts.now ?? (() => new Date()),
    };

    let cron: CronTicks | null = null;
    if (opts.roles.worker) {
      for (const feature of opts.features) {
        for (const { queue: name, handler } of feature.jobs?.(ctx) ?? []) q.register(name, handler);
      }
      cron = new CronTicks(q, opts.features.flatMap((f) => f.cronTicks ?? []));
      if (opts.pollWorkers !== false) {
        await q.startWorkers(config.WORKER_CONCURRENCY, opts.pollingIntervalSeconds ?? 1);
        if (config.CRON_ENABLED) cron.start();
      }
    }

    let server: Server | null = null;
    let url_: string | null = null;
    if (opts.roles.web) {
      const dbRef = db;
      const app = createHttpApp({
        log,
        metrics,
        checkReady: async () => {
          await dbRef.query('SELECT 1');
          await q.ping();
        },
        routers: opts.features.flatMap((f) => f.routes?.(ctx) ?? []),
        highVolumePaths: opts.features.flatMap((f) => f.highVolumePaths ?? []),
      });
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
      });
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
      url_ = `http://127.0.0.1:${port}`;
      log.info({ url: url_, publicUrl: config.publicUrl }, 'http server listening');
    }

    let stopping: Promise<void> | null = null;
    const stop = () =>
      (stopping ??= (async () => {
        log.info('shutting down');
        if (server) {
          const closed = new Promise<void>((r) => server!.close(() => r()));
          server.closeIdleConnections();
          await closed;
        }
        await cron?.stop();
        // Stops fetching, waits for running jobs up to the timeout, then closes the queue's pool.
        await q.stop(config.SHUTDOWN_TIMEOUT_MS);
        await ctx.db.destroy();
        await embedded?.stop();
        log.info('stopped');
      })());

    return { ctx, url: url_, cron, stop };
  } catch (err) {
    await queue?.stop(1000).catch(() => undefined);
    if (db?.isInitialized) await db.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

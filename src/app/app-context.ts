import type { Router } from 'express';
import type { Config } from '../config/config.js';
import type { Db } from '../db/data-source.js';
import type { Logger } from '../log/logger.js';
import type { AppMetrics } from '../observability/metrics.js';
import type { CronTick } from '../queue/cron-ticks.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { TokenCipher } from '../security/token-cipher.js';

/** What every feature module gets: the shared infrastructure, built once by the runtime. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Db;
  queue: JobQueue;
  metrics: AppMetrics;
  cipher: TokenCipher;
  sessionSecret: string;
  /** Wall clock; tests pass a controllable one. */
  now: () => Date;
}

/**
 * A feature plugs into the runtime here; the runtime calls only the parts that fit the process's
 * role (routes in web processes, job handlers and cron ticks in worker processes).
 */
export interface Feature {
  name: string;
  routes?(ctx: AppContext): { path: string; router: Router }[];
  jobs?(ctx: AppContext): { queue: string; handler: (data: any, job: { id: string; name: string; retryCount: number }) => Promise<void> }[];
  cronTicks?: CronTick[];
  /** Paths answered at high volume (host webhooks): their request lines are logged at debug. */
  highVolumePaths?: string[];
}

import { loadConfig } from '../../src/config/config.js';
import type { Feature } from '../../src/app/app-context.js';
import { startRuntime, type Runtime } from '../../src/app/runtime.js';
import { createLogger } from '../../src/log/logger.js';
import type { QueuePolicy } from '../../src/queue/queue-policies.js';

/** The real runtime against a test database: HTTP on an ephemeral port, cron off unless asked. */
export async function startTestRuntime(opts: {
  databaseUrl: string;
  features: Feature[];
  roles?: { web: boolean; worker: boolean };
  policies?: QueuePolicy[];
  env?: Record<string, string>;
  now?: () => Date;
  pollWorkers?: boolean;
}): Promise<Runtime> {
  const config = loadConfig({
    DATABASE_URL: opts.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.SG_TEST_LOG_LEVEL ?? 'silent',
    CRON_ENABLED: 'false',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...opts.env,
  });
  return startRuntime({
    config,
    log: createLogger(config.LOG_LEVEL),
    roles: opts.roles ?? { web: true, worker: true },
    features: opts.features,
    queuePolicies: opts.policies,
    now: opts.now,
    pollingIntervalSeconds: 0.5,
    pollWorkers: opts.pollWorkers,
  });
}

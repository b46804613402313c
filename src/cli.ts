#!/usr/bin/env node
import { ConfigError, loadConfig } from './config/config.js';
import { createDataSource } from './db/data-source.js';
import { startEmbeddedPostgres } from './db/embedded-postgres.js';
import { revertAllMigrations, runMigrations } from './db/migrate.js';
import { createLogger } from './log/logger.js';
import { startRuntime } from './app/runtime.js';
import { allFeatures } from './app/features.js';

const USAGE = 'usage: stageguard [all|web|worker|migrate|migrate:down-all]';

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'all';
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) process.stderr.write(`${line}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);

  if (command === 'migrate' || command === 'migrate:down-all') {
    const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: config.PG_DATA_DIR, port: config.PG_PORT });
    const db = createDataSource(config.DATABASE_URL ?? embedded!.url);
    await db.initialize();
    try {
      if (command === 'migrate') log.info({ applied: await runMigrations(db) }, 'migrations up to date');
      else log.info({ reverted: await revertAllMigrations(db) }, 'all migrations reverted');
    } finally {
      await db.destroy();
      await embedded?.stop();
    }
    return;
  }

  const roles = { all: { web: true, worker: true }, web: { web: true, worker: false }, worker: { web: false, worker: true } }[command];
  if (!roles) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const runtime = await startRuntime({ config, log, roles, features: allFeatures() });
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'signal received');
    runtime.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

main().catch((err) => {
  process.stderr.write(`stageguard failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});

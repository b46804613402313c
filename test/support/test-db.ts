import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDataSource, type Db } from '../../src/db/data-source.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log/logger.js';
import { JobQueue } from '../../src/queue/job-queue.js';

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

const TEMPLATE_LOCK = 7_405_113_777;

function adminUrl(): string {
  const url = process.env.SG_TEST_ADMIN_URL;
  if (!url) throw new Error('SG_TEST_ADMIN_URL is not set: run the tests through jest (test/support/global-setup.ts)');
  return url;
}

function templateName(): string {
  const name = process.env.SG_TEST_TEMPLATE_DB;
  if (!name) throw new Error('SG_TEST_TEMPLATE_DB is not set: run the tests through jest');
  return name;
}

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** Migrate the template once per run (our migrations and the queue's schema), whichever file comes first. */
async function ensureTemplateMigrated(admin: pg.Client): Promise<void> {
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
  try {
    const url = databaseUrl(templateName());
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    const ready = await probe.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'sg_template_ready'`);
    await probe.end();
    if (ready.rowCount) return;
    const db = createDataSource(url, 2);
    await db.initialize();
    await runMigrations(db);
    const queue = new JobQueue(url, createLogger('silent'), null);
    await queue.start();
    await queue.stop(1000);
    await db.query('CREATE TABLE sg_template_ready (at timestamptz DEFAULT now())');
    await db.destroy();
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
  }
}

/** A fresh database cloned from the migrated template: isolated per test file, real PostgreSQL. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `sg_t_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (admin) => {
    if (opts.empty) {
      await admin.query(`CREATE DATABASE ${name}`);
      return;
    }
    await ensureTemplateMigrated(admin);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`);
  });
  const url = databaseUrl(name);
  const db = createDataSource(url, 5);
  await db.initialize();
  return {
    url,
    name,
    db,
    async drop() {
      if (db.isInitialized) await db.destroy();
      await withAdmin((a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

import type { Db } from './data-source.js';

// Several instances may start at once against one database; only one may migrate at a time.
const MIGRATION_LOCK = 7_405_113_001;

export async function runMigrations(db: Db): Promise<string[]> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await db.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

export async function revertAllMigrations(db: Db): Promise<number> {
  let reverted = 0;
  while ((await appliedCount(db)) > 0) {
    await db.undoLastMigration({ transaction: 'each' });
    reverted++;
  }
  return reverted;
}

async function appliedCount(db: Db): Promise<number> {
  const rows = await db.query(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'typeorm_migrations'`,
  );
  if (rows[0].n === 0) return 0;
  return (await db.query('SELECT count(*)::int AS n FROM typeorm_migrations'))[0].n;
}

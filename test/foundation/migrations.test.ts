import { runMigrations, revertAllMigrations } from '../../src/db/migrate.js';
import { allMigrations } from '../../migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await t.drop();
  });

  const userTables = async () =>
    (
      await t.db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY 1`,
      )
    ).map((r: { table_name: string }) => r.table_name);

  it('run every migration up, then every one down, on an empty database, then up again', async () => {
    expect(await userTables()).toEqual([]);

    const applied = await runMigrations(t.db);
    expect(applied).toEqual(allMigrations.map((m) => new m().name));
    expect(await userTables()).toEqual(
      expect.arrayContaining(['portals', 'inbox_events', 'deals', 'stage_transitions', 'activities', 'actions', 'violations', 'rule_configs']),
    );
    expect(await runMigrations(t.db)).toEqual([]);

    expect(await revertAllMigrations(t.db)).toBe(allMigrations.length);
    expect(await userTables()).toEqual([]);

    expect(await runMigrations(t.db)).toHaveLength(allMigrations.length);
  });
});

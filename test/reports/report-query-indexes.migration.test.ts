import { ReportQueryIndexes1764000031000 } from '../../migrations/1764000031000-report-query-indexes.js';
import { ReportDealLookupIndex1764000032000 } from '../../migrations/1764000032000-report-deal-lookup-index.js';
import { FIRST_RESPONSE_BOUNDS_MINUTES } from '../../src/reports/math/first-response.js';
import { FIRST_RESPONSE_SQL } from '../../src/reports/queries/first-response.query.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const NAMES = [
  'activities_first_contact_idx',
  'activities_multi_deal_contact_idx',
  'deals_cohort_idx',
  'deals_deleted_idx',
  'deals_open_idx',
  'stage_transitions_closing_idx',
];

describe('report query indexes migration', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  const present = async () =>
    (await t.db.query(`SELECT indexname FROM pg_indexes WHERE indexname = ANY($1) ORDER BY indexname`, [NAMES])).map((r: any) => r.indexname);

  it('goes down and up again', async () => {
    const m = new ReportQueryIndexes1764000031000();
    const runner = t.db.createQueryRunner();
    try {
      // Whether or not migrations/index.ts lists it yet, end with it applied.
      if ((await present()).length) await m.down(runner);
      expect(await present()).toEqual([]);
      await m.up(runner);
      expect(await present()).toEqual(NAMES);
      await m.down(runner);
      expect(await present()).toEqual([]);
      await m.up(runner);
    } finally {
      await runner.release();
    }
  });

  it('1764000032000 goes down and up again', async () => {
    const m = new ReportDealLookupIndex1764000032000();
    const runner = t.db.createQueryRunner();
    const has = async () => (await t.db.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'deals_lookup_idx'`)).length === 1;
    try {
      if (await has()) await m.down(runner);
      expect(await has()).toBe(false);
      await m.up(runner);
      expect(await has()).toBe(true);
      await m.down(runner);
      expect(await has()).toBe(false);
    } finally {
      await runner.release();
    }
  });

  // The contact indexes are partial: the planner uses them only if it can prove the query's WHERE
  // implies their predicate, which it does by comparing the clauses. This fails if the two drift apart.
  // Every other way into activities is taken away for the test (DDL inside a transaction, rolled back),
  // so with sequential scans off the plan shows the partial indexes exactly when they are usable.
  it('lets the first-response query reach a deal’s first contact through the partial indexes', async () => {
    const runner = t.db.createQueryRunner();
    let plan = '';
    try {
      await runner.startTransaction();
      for (const i of ['activities_report_idx', 'activities_deal_ids_idx', 'activities_portal_responsible_created_idx']) {
        await runner.query(`DROP INDEX IF EXISTS ${i}`);
      }
      await runner.query('ALTER TABLE activities DROP CONSTRAINT activities_pkey');
      await runner.query('SET LOCAL enable_seqscan = off');
      const params = ['00000000-0000-0000-0000-000000000000', new Date('2025-03-01'), new Date('2025-04-01'), null, null, new Date(), ...FIRST_RESPONSE_BOUNDS_MINUTES];
      plan = (await runner.query(`EXPLAIN ${FIRST_RESPONSE_SQL}`, params)).map((r: any) => r['QUERY PLAN']).join('\n');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(plan).toContain('activities_first_contact_idx');
    expect(plan).toContain('activities_multi_deal_contact_idx');
    expect(plan).not.toMatch(/Seq Scan on activities/);
  });
});

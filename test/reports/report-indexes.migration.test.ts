import { ReportIndexes1764000030000 } from '../../migrations/1764000030000-report-indexes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('report indexes migration', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  const present = async () =>
    (await t.db.query(`SELECT indexname FROM pg_indexes WHERE indexname LIKE '%report%' ORDER BY indexname`)).map((r: any) => r.indexname);

  it('goes down and up again', async () => {
    const m = new ReportIndexes1764000030000();
    const runner = t.db.createQueryRunner();
    try {
      // Whether or not migrations/index.ts lists it yet, end with it applied.
      if ((await present()).length) await m.down(runner);
      expect(await present()).toEqual([]);
      await m.up(runner);
      expect(await present()).toEqual(['activities_report_idx', 'deals_report_created_idx', 'stage_transitions_report_at_idx', 'stage_transitions_report_deal_idx']);
      await m.down(runner);
      expect(await present()).toEqual([]);
    } finally {
      await runner.release();
    }
  });
});

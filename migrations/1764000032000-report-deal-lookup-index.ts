import type { MigrationInterface, QueryRunner } from 'typeorm';

// The deals won or lost in a period (a few thousand of a portal's 200,000) are looked up one by one for
// their manager, amount and creation time. From the primary key each lookup is a random heap read;
// from this index it is index-only, about three times faster at bench scale (bench/reports.bench.ts).
export class ReportDealLookupIndex1764000032000 implements MigrationInterface {
  name = 'ReportDealLookupIndex1764000032000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX deals_lookup_idx ON deals (portal_id, id) INCLUDE (responsible_id, amount, host_created_at) WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deals_lookup_idx`);
  }
}

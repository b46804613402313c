import type { MigrationInterface, QueryRunner } from 'typeorm';

// One row per write-back already recorded (a day's KPI lines, a digest period, a day's metrics
// records), written in the transaction that records its actions. Later ticks that day look it up by
// key instead of computing the reports again, even when the run had nothing to send.
export class WritebackRuns1764000040000 implements MigrationInterface {
  name = 'WritebackRuns1764000040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE writeback_runs (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        cause_key text NOT NULL,
        actions int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portal_id, cause_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE writeback_runs`);
  }
}

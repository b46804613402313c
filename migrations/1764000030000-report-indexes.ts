import type { MigrationInterface, QueryRunner } from 'typeorm';

// Indexes for the reports (src/reports/queries). Each report reads one portal over a period, so every
// index leads with portal_id then the period column, and INCLUDEs what the query reads, so that the
// big tables (activities, stage_transitions) are answered by index-only scans.
export class ReportIndexes1764000030000 implements MigrationInterface {
  name = 'ReportIndexes1764000030000';

  async up(q: QueryRunner): Promise<void> {
    // Activity counters: a period's activities of a portal, without touching the heap.
    await q.query(`CREATE INDEX activities_report_idx ON activities (portal_id, host_created_at)
                     INCLUDE (responsible_id, kind, direction, duration_sec, completed) WHERE deleted_at IS NULL`);
    // Funnel cohort and deals created: a portal's deals by creation time.
    await q.query(`CREATE INDEX deals_report_created_idx ON deals (portal_id, host_created_at)
                     INCLUDE (pipeline_id, responsible_id, stage_id) WHERE deleted_at IS NULL`);
    // Won/lost and dwell: the period's transitions with the columns they read.
    await q.query(`CREATE INDEX stage_transitions_report_at_idx ON stage_transitions (portal_id, at)
                     INCLUDE (deal_id, pipeline_id, from_pipeline_id, from_stage_id, to_stage_id, id)`);
    // Furthest stage per deal: all of one deal's stages in one index-only probe.
    await q.query(`CREATE INDEX stage_transitions_report_deal_idx ON stage_transitions (portal_id, deal_id, at, id)
                     INCLUDE (pipeline_id, from_pipeline_id, from_stage_id, to_stage_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of ['stage_transitions_report_deal_idx', 'stage_transitions_report_at_idx', 'deals_report_created_idx', 'activities_report_idx']) {
      await q.query(`DROP INDEX ${i}`);
    }
  }
}

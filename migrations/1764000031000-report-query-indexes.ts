import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A call, email, chat or meeting that took place: the first-response contact rule. */
const CONTACT = `AND kind IN ('call', 'email', 'chat', 'meeting') AND (completed OR (kind = 'call' AND duration_sec > 0))`;

// Second round of indexes for the reports, from the plans seen in bench/reports.bench.ts at full scale
// (200,000 deals, 1,000,000 transitions, 5,000,000 activities in one portal). Index names avoid the
// word "report": the test of 1764000030000 lists its own indexes by that word.
export class ReportQueryIndexes1764000031000 implements MigrationInterface {
  name = 'ReportQueryIndexes1764000031000';

  async up(q: QueryRunner): Promise<void> {
    // Funnel cohort: one pipeline's deals created in the period, index-only (the id is what the
    // per-deal furthest-stage probe needs; deals_report_created_idx does not carry it).
    await q.query(`CREATE INDEX deals_cohort_idx ON deals (portal_id, pipeline_id, host_created_at)
                     INCLUDE (id, responsible_id, stage_id) WHERE deleted_at IS NULL`);
    // Deleted deals are few: period scans over transitions anti-join them instead of looking every
    // deal up by primary key.
    await q.query(`CREATE INDEX deals_deleted_idx ON deals (portal_id, id) WHERE deleted_at IS NOT NULL`);
    // Open deals (velocity): counted from the index alone.
    await q.query(`CREATE INDEX deals_open_idx ON deals (portal_id, pipeline_id, responsible_id)
                     WHERE deleted_at IS NULL AND stage_semantics = 'process'`);
    // Won and lost in the period: only the entries into success/failure stages, not every move of the
    // period (one range per closing stage).
    await q.query(`CREATE INDEX stage_transitions_closing_idx ON stage_transitions (portal_id, pipeline_id, to_stage_id, at)
                     INCLUDE (deal_id)`);
    // First response: a deal's first contact in one probe. Activities bound to exactly one deal (nearly
    // all) by that deal and when they happened, contacts only, so the first entry is the answer; the
    // GIN index on deal_ids would fetch every activity of the deal from the heap instead. The rare
    // activity bound to several deals has its own small GIN index. The predicates are those of
    // queries/first-response.query.ts: the planner uses a partial index only if the query implies it.
    await q.query(`CREATE INDEX activities_first_contact_idx ON activities (portal_id, (deal_ids[1]), (COALESCE(start_at, host_created_at)))
                     WHERE cardinality(deal_ids) = 1 AND deleted_at IS NULL ${CONTACT}`);
    await q.query(`CREATE INDEX activities_multi_deal_contact_idx ON activities USING gin (deal_ids)
                     WHERE cardinality(deal_ids) > 1 AND deleted_at IS NULL ${CONTACT}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of ['activities_multi_deal_contact_idx', 'activities_first_contact_idx', 'stage_transitions_closing_idx', 'deals_open_idx', 'deals_deleted_idx', 'deals_cohort_idx']) {
      await q.query(`DROP INDEX ${i}`);
    }
  }
}

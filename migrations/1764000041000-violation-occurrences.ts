import type { MigrationInterface, QueryRunner } from 'typeorm';

// A scheduled-check violation that cleared and came back is a new occurrence, with its own row: the
// old row keeps when it was detected and resolved, so last month's report does not change when the
// problem recurs this month. finding_key is the finding's own key (src/discipline); dedupe_key, still
// unique, becomes finding_key@detected_at for new occurrences. At most one occurrence is open per
// finding. Transition violations (stage skipped, …) are keyed per transition and have no finding_key.
const SCAN_KINDS = ['deal_stalled', 'next_contact_missing', 'next_contact_overdue', 'slow_first_response', 'task_overdue'];

export class ViolationOccurrences1764000041000 implements MigrationInterface {
  name = 'ViolationOccurrences1764000041000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE violations ADD COLUMN finding_key text`);
    await q.query(`UPDATE violations SET finding_key = dedupe_key WHERE kind = ANY($1)`, [SCAN_KINDS]);
    await q.query(`CREATE UNIQUE INDEX violations_open_finding_idx ON violations (portal_id, finding_key) WHERE resolved_at IS NULL AND finding_key IS NOT NULL`);
    await q.query(`CREATE INDEX violations_finding_idx ON violations (portal_id, finding_key) WHERE finding_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX violations_finding_idx`);
    await q.query(`DROP INDEX violations_open_finding_idx`);
    await q.query(`ALTER TABLE violations DROP COLUMN finding_key`);
  }
}

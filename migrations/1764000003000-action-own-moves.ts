import type { MigrationInterface, QueryRunner } from 'typeorm';

// The app's own moves (enforce rollbacks, goal reactions) come back as ordinary stage history.
// Each move action is matched to the one transition it caused, so that transition is never judged.
export class ActionOwnMoves1764000003000 implements MigrationInterface {
  name = 'ActionOwnMoves1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE actions ADD COLUMN matched_transition_id bigint`);
    await q.query(
      `CREATE INDEX actions_unmatched_moves_idx ON actions (portal_id, deal_id) WHERE kind = 'move_stage' AND matched_transition_id IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX actions_unmatched_moves_idx`);
    await q.query(`ALTER TABLE actions DROP COLUMN matched_transition_id`);
  }
}

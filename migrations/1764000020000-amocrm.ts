import type { MigrationInterface, QueryRunner } from 'typeorm';

// amoCRM widget requests carry a disposable JWT whose `jti` must never be accepted twice
// (one-time-tokens; the host itself does not enforce it). Rows are kept until the token's own
// expiry (30 minutes); after that the token is refused for being expired, so the row can go.
// The per-account webhook secret needs no table: its digest lives in portals.application_token_hash.
export class Amocrm1764000020000 implements MigrationInterface {
  name = 'Amocrm1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE used_widget_tokens (
        jti text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX used_widget_tokens_expires_idx ON used_widget_tokens (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE used_widget_tokens`);
  }
}

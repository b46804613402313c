import type { MigrationInterface, QueryRunner } from 'typeorm';

// Bitrix24 leads, for the first-response check: a new lead must be answered as fast as a new deal.
// Only what that check reads is kept. Activities remember the leads they are bound to.
export class Leads1764000050000 implements MigrationInterface {
  name = 'Leads1764000050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE leads (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        id text NOT NULL,
        title text NOT NULL DEFAULT '',
        responsible_id text,
        status_id text,
        open boolean NOT NULL,
        host_created_at timestamptz NOT NULL,
        synced_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        PRIMARY KEY (portal_id, id)
      )`);
    await q.query(`CREATE INDEX leads_open_idx ON leads (portal_id, host_created_at) WHERE open AND deleted_at IS NULL`);
    await q.query(`ALTER TABLE activities ADD COLUMN lead_ids text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX activities_lead_ids_idx ON activities USING gin (lead_ids) WHERE lead_ids <> '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX activities_lead_ids_idx`);
    await q.query(`ALTER TABLE activities DROP COLUMN lead_ids`);
    await q.query(`DROP TABLE leads`);
  }
}

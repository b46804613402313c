import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TenancyAndInbox1764000000000 implements MigrationInterface {
  name = 'TenancyAndInbox1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        host text NOT NULL CHECK (host IN ('bitrix24', 'amocrm')),
        external_id text NOT NULL,
        domain text NOT NULL,
        status text NOT NULL DEFAULT 'installing'
          CHECK (status IN ('installing', 'active', 'needs_reauth', 'blocked', 'uninstalled')),
        locale text NOT NULL DEFAULT 'ru',
        plan text,
        client_endpoint text,
        server_endpoint text,
        -- AES-256-GCM, "v1.iv.tag.ciphertext" (base64url), AAD = portal id + token kind
        access_token_enc text,
        refresh_token_enc text,
        token_expires_at timestamptz,
        -- HMAC of the application token: enough to compare, useless if the table leaks
        application_token_hash text,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        installed_at timestamptz,
        uninstalled_at timestamptz,
        purge_after timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (host, external_id)
      )`);
    await q.query(`
      CREATE TABLE inbox_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        dedupe_key text NOT NULL,
        event_name text NOT NULL,
        entity_id text,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'ignored', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        error text,
        processed_at timestamptz,
        UNIQUE (portal_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX inbox_events_pending_idx ON inbox_events (portal_id, received_at) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE rate_budgets (
        portal_id uuid PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
        level double precision NOT NULL DEFAULT 0,
        capacity double precision NOT NULL,
        drain_per_sec double precision NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        blocked_until timestamptz
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_portal_at_idx ON audit_log (portal_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE rate_budgets`);
    await q.query(`DROP TABLE inbox_events`);
    await q.query(`DROP TABLE portals`);
  }
}

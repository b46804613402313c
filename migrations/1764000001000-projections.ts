import type { MigrationInterface, QueryRunner } from 'typeorm';

// Projections of the host's data, re-derived from the host on every event (events are hints).
export class Projections1764000001000 implements MigrationInterface {
  name = 'Projections1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pipelines (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        id text NOT NULL,
        name text NOT NULL,
        sort int NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        PRIMARY KEY (portal_id, id)
      )`);
    await q.query(`
      CREATE TABLE stages (
        portal_id uuid NOT NULL,
        pipeline_id text NOT NULL,
        id text NOT NULL,
        name text NOT NULL,
        sort int NOT NULL,
        semantics text NOT NULL CHECK (semantics IN ('process', 'success', 'failure')),
        PRIMARY KEY (portal_id, pipeline_id, id),
        FOREIGN KEY (portal_id, pipeline_id) REFERENCES pipelines(portal_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE host_users (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        id text NOT NULL,
        name text NOT NULL,
        email text,
        active boolean NOT NULL DEFAULT true,
        is_admin boolean NOT NULL DEFAULT false,
        PRIMARY KEY (portal_id, id)
      )`);
    await q.query(`
      CREATE TABLE deals (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        id text NOT NULL,
        pipeline_id text NOT NULL,
        stage_id text NOT NULL,
        title text NOT NULL DEFAULT '',
        responsible_id text,
        amount numeric(18, 2),
        currency text,
        close_date timestamptz,
        probability int,
        company_id text,
        contact_id text,
        goal_mark text,
        fields jsonb NOT NULL DEFAULT '{}'::jsonb,
        host_created_at timestamptz NOT NULL,
        host_updated_at timestamptz NOT NULL,
        stage_semantics text NOT NULL DEFAULT 'process',
        deleted_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portal_id, id)
      )`);
    await q.query(`CREATE INDEX deals_portal_pipeline_stage_idx ON deals (portal_id, pipeline_id, stage_id)`);
    await q.query(`CREATE INDEX deals_portal_responsible_idx ON deals (portal_id, responsible_id, host_created_at)`);
    await q.query(`
      CREATE TABLE stage_transitions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        deal_id text NOT NULL,
        pipeline_id text NOT NULL,
        from_pipeline_id text,
        from_stage_id text,
        to_stage_id text NOT NULL,
        at timestamptz NOT NULL,
        by_user_id text,
        host_history_id text NOT NULL,
        own_move boolean NOT NULL DEFAULT false,
        verdict text,
        evaluated_at timestamptz,
        UNIQUE (portal_id, deal_id, host_history_id)
      )`);
    await q.query(`CREATE INDEX stage_transitions_deal_idx ON stage_transitions (portal_id, deal_id, at, id)`);
    await q.query(`CREATE INDEX stage_transitions_portal_at_idx ON stage_transitions (portal_id, at)`);
    await q.query(`
      CREATE TABLE activities (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'offer', 'chat', 'task', 'other')),
        direction text CHECK (direction IN ('in', 'out')),
        duration_sec int,
        completed boolean NOT NULL DEFAULT false,
        responsible_id text,
        deal_ids text[] NOT NULL DEFAULT '{}',
        subject text NOT NULL DEFAULT '',
        host_created_at timestamptz NOT NULL,
        start_at timestamptz,
        deadline timestamptz,
        deleted_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portal_id, id)
      )`);
    await q.query(`CREATE INDEX activities_portal_responsible_created_idx ON activities (portal_id, responsible_id, host_created_at)`);
    await q.query(`CREATE INDEX activities_deal_ids_idx ON activities USING gin (deal_ids)`);
    await q.query(`
      CREATE TABLE sync_state (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        kind text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
        watermark timestamptz,
        cursor jsonb NOT NULL DEFAULT '{}'::jsonb,
        total int,
        done int NOT NULL DEFAULT 0,
        error text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portal_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['sync_state', 'activities', 'stage_transitions', 'deals', 'host_users', 'stages', 'pipelines']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}

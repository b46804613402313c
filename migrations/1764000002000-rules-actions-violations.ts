import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RulesActionsViolations1764000002000 implements MigrationInterface {
  name = 'RulesActionsViolations1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_configs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        version int NOT NULL,
        config jsonb NOT NULL,
        author_id text NOT NULL,
        author_name text,
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (portal_id, version)
      )`);
    await q.query(`
      CREATE TABLE deal_goals (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        deal_id text NOT NULL,
        goal_code text NOT NULL,
        stage_id text NOT NULL,
        source text NOT NULL CHECK (source IN ('deal_field', 'app', 'activity')),
        cause_key text NOT NULL,
        by_user_id text,
        reached_at timestamptz NOT NULL,
        UNIQUE (portal_id, cause_key)
      )`);
    await q.query(`CREATE INDEX deal_goals_deal_idx ON deal_goals (portal_id, deal_id)`);
    await q.query(`
      CREATE TABLE actions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        idempotency_key text NOT NULL,
        kind text NOT NULL,
        deal_id text,
        payload jsonb NOT NULL,
        cause jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'skipped')),
        attempts int NOT NULL DEFAULT 0,
        host_result_id text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        UNIQUE (portal_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX actions_portal_deal_idx ON actions (portal_id, deal_id, created_at)`);
    await q.query(`
      CREATE TABLE violations (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        dedupe_key text NOT NULL,
        kind text NOT NULL,
        deal_id text NOT NULL,
        manager_id text,
        pipeline_id text,
        stage_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        detected_at timestamptz NOT NULL,
        escalated_at timestamptz,
        resolved_at timestamptz,
        UNIQUE (portal_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX violations_portal_detected_idx ON violations (portal_id, detected_at DESC)`);
    await q.query(`CREATE INDEX violations_open_idx ON violations (portal_id, kind) WHERE resolved_at IS NULL`);
    await q.query(`
      CREATE TABLE plans (
        portal_id uuid NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
        manager_id text NOT NULL,
        metric text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        target numeric(18, 2) NOT NULL CHECK (target >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portal_id, manager_id, metric, period_start, period_end),
        CHECK (period_end >= period_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['plans', 'violations', 'actions', 'deal_goals', 'rule_configs']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}

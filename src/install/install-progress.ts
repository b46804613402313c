import type { Db } from '../db/data-source.js';

export interface InstallState {
  state: 'pending' | 'running' | 'done' | 'failed';
  /** 0–100 across set-up and the history import. */
  percent: number;
  step: string | null;
  error: string | null;
  import: { total: number | null; done: number; status: string } | null;
}

/** Set-up and history-import progress, in sync_state (kind 'setup' and 'history_import'). */
export class InstallProgress {
  constructor(private readonly db: Db) {}

  async reset(portalId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_state (portal_id, kind, status, cursor, done) VALUES ($1, 'setup', 'pending', '{}'::jsonb, 0)
       ON CONFLICT (portal_id, kind) DO UPDATE SET status = 'pending', done = 0, error = NULL, cursor = '{}'::jsonb, updated_at = now()`,
      [portalId],
    );
  }

  async step(portalId: string, step: string, done: number, total: number): Promise<void> {
    await this.db.query(
      `UPDATE sync_state SET status = 'running', cursor = jsonb_build_object('step', $2::text), done = $3, total = $4, updated_at = now()
        WHERE portal_id = $1 AND kind = 'setup'`,
      [portalId, step, done, total],
    );
  }

  async finish(portalId: string, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE sync_state SET status = $2, error = $3, done = COALESCE(total, done), updated_at = now() WHERE portal_id = $1 AND kind = 'setup'`,
      [portalId, error ? 'failed' : 'done', error],
    );
  }

  async get(portalId: string): Promise<InstallState> {
    const rows = await this.db.query(`SELECT * FROM sync_state WHERE portal_id = $1 AND kind IN ('setup', 'history_import')`, [portalId]);
    const setup = rows.find((r: any) => r.kind === 'setup');
    const imp = rows.find((r: any) => r.kind === 'history_import');
    if (!setup) return { state: 'pending', percent: 0, step: null, error: null, import: null };
    const setupShare = setup.total ? (setup.done / setup.total) * 100 : setup.status === 'done' ? 100 : 0;
    return {
      state: setup.status,
      percent: Math.round(Math.min(100, setupShare)),
      step: setup.cursor?.step ?? null,
      error: setup.error,
      import: imp ? { total: imp.total, done: imp.done, status: imp.status } : null,
    };
  }
}

import type { EntityManager } from 'typeorm';
import type { Db } from '../db/data-source.js';

/** Write-backs already recorded, by cause key (migrations/1764000040000-writeback-runs.ts). */
export class WritebackRunRepository {
  constructor(private readonly db: Db) {}

  async done(portalId: string, causeKey: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM writeback_runs WHERE portal_id = $1 AND cause_key = $2`, [portalId, causeKey]);
    return rows.length > 0;
  }

  /** False when another worker recorded the same run first: its actions stand, ours must not. */
  async claim(m: EntityManager, portalId: string, causeKey: string, actions: number): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO writeback_runs (portal_id, cause_key, actions) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING cause_key`,
      [portalId, causeKey, actions],
    );
    return rows.length > 0;
  }
}

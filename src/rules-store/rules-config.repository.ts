import type { Db } from '../db/data-source.js';
import type { RulesConfig } from '../rules/index.js';

export interface RulesVersion {
  version: number;
  config: RulesConfig;
  authorId: string;
  authorName: string | null;
  comment: string | null;
  createdAt: string;
}

function toVersion(r: any): RulesVersion {
  return {
    version: r.version,
    config: r.config,
    authorId: r.author_id,
    authorName: r.author_name,
    comment: r.comment,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Versioned rule configs: every save is a new version; the newest one is active. */
export class RulesConfigRepository {
  constructor(private readonly db: Db) {}

  async active(portalId: string): Promise<RulesVersion | null> {
    const rows = await this.db.query(`SELECT * FROM rule_configs WHERE portal_id = $1 ORDER BY version DESC LIMIT 1`, [portalId]);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async version(portalId: string, version: number): Promise<RulesVersion | null> {
    const rows = await this.db.query(`SELECT * FROM rule_configs WHERE portal_id = $1 AND version = $2`, [portalId, version]);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async history(portalId: string): Promise<Omit<RulesVersion, 'config'>[]> {
    const rows = await this.db.query(
      `SELECT version, author_id, author_name, comment, created_at FROM rule_configs WHERE portal_id = $1 ORDER BY version DESC`,
      [portalId],
    );
    return rows.map((r: any) => {
      const { config: _c, ...rest } = toVersion({ ...r, config: null });
      return rest;
    });
  }

  /**
   * Saves a validated config as the next version. Two admins saving at once both succeed, in
   * some order, each with its own version number: the unique key makes the loser retry.
   */
  async save(portalId: string, config: RulesConfig, author: { id: string; name?: string }, comment?: string): Promise<RulesVersion> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const rows = await this.db.query(
          `INSERT INTO rule_configs (portal_id, version, config, author_id, author_name, comment)
           SELECT $1, COALESCE(MAX(version), 0) + 1, $2::jsonb, $3, $4, $5 FROM rule_configs WHERE portal_id = $1
           RETURNING *`,
          [portalId, JSON.stringify(config), author.id, author.name ?? null, comment ?? null],
        );
        return toVersion(rows[0]);
      } catch (err: any) {
        if (err?.code !== '23505' && err?.driverError?.code !== '23505') throw err;
      }
    }
    throw new Error('could not save the rules config: too many concurrent saves');
  }
}

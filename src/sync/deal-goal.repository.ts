import type { EntityManager } from 'typeorm';
import type { Db } from '../db/data-source.js';

export class DealGoalRepository {
  constructor(private readonly db: Db) {}

  /** A goal is reached once per visit of its stage: the cause key says which visit. */
  async record(
    m: EntityManager,
    portalId: string,
    g: { dealId: string; goalCode: string; stageId: string; source: 'deal_field' | 'app' | 'activity'; causeKey: string; byUserId: string | null; at: Date },
  ): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO deal_goals (portal_id, deal_id, goal_code, stage_id, source, cause_key, by_user_id, reached_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (portal_id, cause_key) DO NOTHING RETURNING id`,
      [portalId, g.dealId, g.goalCode, g.stageId, g.source, g.causeKey, g.byUserId, g.at],
    );
    return rows.length > 0;
  }

  async reached(portalId: string, dealId: string): Promise<{ goalCode: string; stageId: string; reachedAt: string; source: string }[]> {
    const rows = await this.db.query(
      `SELECT goal_code, stage_id, reached_at, source FROM deal_goals WHERE portal_id = $1 AND deal_id = $2 ORDER BY reached_at, id`,
      [portalId, dealId],
    );
    return rows.map((r: any) => ({ goalCode: r.goal_code, stageId: r.stage_id, reachedAt: new Date(r.reached_at).toISOString(), source: r.source }));
  }
}

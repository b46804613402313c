import type { Db } from '../../db/data-source.js';
import type { FunnelStageInput } from '../math/funnel.js';

/** The pipeline asked for, or the portal's default (else the first by sort) when none is named. */
export async function resolvePipelineId(db: Db, portalId: string, pipelineId: string | undefined): Promise<string | null> {
  const rows = await db.query(
    `SELECT id FROM pipelines WHERE portal_id = $1 AND ($2::text IS NULL OR id = $2)
      ORDER BY is_default DESC, sort, id LIMIT 1`,
    [portalId, pipelineId ?? null],
  );
  return rows[0]?.id ?? null;
}

export async function pipelineStages(db: Db, portalId: string, pipelineId: string): Promise<FunnelStageInput[]> {
  const rows = await db.query(`SELECT id, name, sort, semantics FROM stages WHERE portal_id = $1 AND pipeline_id = $2 ORDER BY sort, id`, [portalId, pipelineId]);
  return rows.map((r: any) => ({ id: r.id, name: r.name, sort: Number(r.sort), semantics: r.semantics }));
}

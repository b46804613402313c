import type { Db } from '../../db/data-source.js';
import type { ReportFilter } from '../report-filter.js';

export interface FurthestRow {
  managerId: string | null;
  /** 0-based index into the funnel. */
  index: number;
  deals: number;
}

/**
 * Cohort: the pipeline's deals created in [from, to) (not deleted). For each, the furthest funnel
 * stage it ever entered, to date: its current stage, every stage it moved to, and every stage it
 * moved from (it was in that stage, so it entered it). Stages outside the funnel (failure) have no
 * position and pass nothing. Counted per responsible manager and furthest index; the reached counts
 * are derived from these few rows in pure code.
 */
export async function furthestFunnelIndex(db: Db, f: ReportFilter & { pipelineId: string }, funnel: readonly string[]): Promise<FurthestRow[]> {
  const rows = await db.query(
    `WITH cohort AS (
       SELECT d.id, d.responsible_id, array_position($5::text[], d.stage_id) AS cur
         FROM deals d
        WHERE d.portal_id = $1 AND d.pipeline_id = $2 AND d.deleted_at IS NULL
          AND d.host_created_at >= $3 AND d.host_created_at < $4
          AND ($6::text IS NULL OR d.responsible_id = $6)
     ), furthest AS (
       SELECT c.responsible_id,
              GREATEST(c.cur, (
                SELECT max(GREATEST(
                         array_position($5::text[], t.to_stage_id),
                         CASE WHEN t.from_pipeline_id IS NULL OR t.from_pipeline_id = t.pipeline_id
                              THEN array_position($5::text[], t.from_stage_id) END))
                  FROM stage_transitions t
                 WHERE t.portal_id = $1 AND t.deal_id = c.id AND t.pipeline_id = $2)) AS idx
         FROM cohort c
     )
     SELECT responsible_id, idx, count(*)::int AS deals
       FROM furthest WHERE idx IS NOT NULL
      GROUP BY responsible_id, idx`,
    [f.portalId, f.pipelineId, f.from, f.to, funnel, f.managerId ?? null],
  );
  return rows.map((r: any) => ({ managerId: r.responsible_id, index: Number(r.idx) - 1, deals: Number(r.deals) }));
}

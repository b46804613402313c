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
  // One probe per cohort deal into stage_transitions_report_deal_idx (index-only), as a LATERAL join:
  // written as a scalar subquery in a CTE, Postgres inlined it and ran it twice per deal (once for the
  // IS NOT NULL filter, once for the value). The cohort comes from deals_cohort_idx without the heap.
  const rows = await db.query(
    `SELECT c.responsible_id, GREATEST(array_position($5::text[], c.stage_id), m.idx) AS idx, count(*)::int AS deals
       FROM deals c
       CROSS JOIN LATERAL (
         SELECT max(GREATEST(
                  array_position($5::text[], t.to_stage_id),
                  CASE WHEN t.from_pipeline_id IS NULL OR t.from_pipeline_id = t.pipeline_id
                       THEN array_position($5::text[], t.from_stage_id) END)) AS idx
           FROM stage_transitions t
          WHERE t.portal_id = $1 AND t.deal_id = c.id AND t.pipeline_id = $2) m
      WHERE c.portal_id = $1 AND c.pipeline_id = $2 AND c.deleted_at IS NULL
        AND c.host_created_at >= $3 AND c.host_created_at < $4
        AND ($6::text IS NULL OR c.responsible_id = $6)
      GROUP BY 1, 2
     HAVING GREATEST(array_position($5::text[], c.stage_id), m.idx) IS NOT NULL`,
    [f.portalId, f.pipelineId, f.from, f.to, funnel, f.managerId ?? null],
  );
  return rows.map((r: any) => ({ managerId: r.responsible_id, index: Number(r.idx) - 1, deals: Number(r.deals) }));
}

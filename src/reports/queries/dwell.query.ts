import type { Db } from '../../db/data-source.js';
import type { ReportFilter } from '../report-filter.js';

export interface DwellRow {
  stageId: string;
  samples: number;
  meanSeconds: number;
  medianSeconds: number;
  p90Seconds: number;
}

/**
 * Dwell time per stage. One sample per completed visit: a transition out of stage S at time T ends
 * the visit that began at the deal's previous transition (or at the deal's creation when the history
 * holds none before it). A sample belongs to the period when the visit ended in [from, to); visits
 * still open are not samples. Percentiles are percentile_cont — linear interpolation between closest
 * ranks, the same method as math/percentile.ts — so the samples never leave the database.
 */
export async function dwellByStage(db: Db, f: ReportFilter & { pipelineId: string }): Promise<DwellRow[]> {
  const rows = await db.query(
    `WITH visits AS (
       SELECT n.from_stage_id AS stage_id,
              EXTRACT(EPOCH FROM n.at - COALESCE(p.at, d.host_created_at))::float8 AS seconds
         FROM stage_transitions n
         JOIN deals d ON d.portal_id = n.portal_id AND d.id = n.deal_id
         LEFT JOIN LATERAL (
           SELECT t.at FROM stage_transitions t
            WHERE t.portal_id = n.portal_id AND t.deal_id = n.deal_id AND (t.at, t.id) < (n.at, n.id)
            ORDER BY t.at DESC, t.id DESC LIMIT 1) p ON true
        WHERE n.portal_id = $1 AND n.at >= $3 AND n.at < $4
          AND n.from_stage_id IS NOT NULL AND COALESCE(n.from_pipeline_id, n.pipeline_id) = $2
          AND d.deleted_at IS NULL AND ($5::text IS NULL OR d.responsible_id = $5)
     )
     SELECT stage_id, count(*)::int AS samples, avg(seconds) AS mean,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
       FROM visits GROUP BY stage_id`,
    [f.portalId, f.pipelineId, f.from, f.to, f.managerId ?? null],
  );
  return rows.map((r: any) => ({
    stageId: r.stage_id,
    samples: Number(r.samples),
    meanSeconds: Number(r.mean),
    medianSeconds: Number(r.median),
    p90Seconds: Number(r.p90),
  }));
}

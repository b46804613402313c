import type { Db } from '../db/data-source.js';
import type { Pipeline } from '../domain/crm.js';

/**
 * For each stage of the pipeline: the manager whose deals that reached it most often went further,
 * over the window (default 90 days). A manager needs `minDeals` deals at the stage to count, so one
 * lucky deal does not make anyone the best.
 */
export async function bestConverterByStage(
  db: Db,
  portalId: string,
  pipeline: Pipeline,
  now: Date,
  opts: { days?: number; minDeals?: number } = {},
): Promise<Record<string, string | undefined>> {
  const funnel = pipeline.stages.filter((s) => s.semantics !== 'failure').map((s) => s.id);
  if (!funnel.length) return {};
  const since = new Date(now.getTime() - (opts.days ?? 90) * 86_400_000);
  const rows = await db.query(
    `WITH reached AS (
       SELECT t.deal_id, d.responsible_id, MAX(array_position($3::text[], t.to_stage_id)) AS furthest
         FROM stage_transitions t JOIN deals d ON d.portal_id = t.portal_id AND d.id = t.deal_id
        WHERE t.portal_id = $1 AND t.pipeline_id = $2 AND t.at >= $4 AND d.responsible_id IS NOT NULL
        GROUP BY t.deal_id, d.responsible_id
     )
     SELECT s.idx, r.responsible_id,
            COUNT(*) FILTER (WHERE r.furthest >= s.idx) AS at_stage,
            COUNT(*) FILTER (WHERE r.furthest > s.idx) AS went_on
       FROM reached r CROSS JOIN generate_series(1, array_length($3::text[], 1)) AS s(idx)
      WHERE r.furthest IS NOT NULL
      GROUP BY s.idx, r.responsible_id`,
    [portalId, pipeline.id, funnel, since],
  );
  const best: Record<string, { user: string; rate: number; n: number }> = {};
  for (const r of rows) {
    const n = Number(r.at_stage);
    if (n < (opts.minDeals ?? 3)) continue;
    const rate = Number(r.went_on) / n;
    const stageId = funnel[Number(r.idx) - 1]!;
    const cur = best[stageId];
    if (!cur || rate > cur.rate || (rate === cur.rate && n > cur.n)) best[stageId] = { user: r.responsible_id, rate, n };
  }
  return Object.fromEntries(Object.entries(best).map(([k, v]) => [k, v.user]));
}

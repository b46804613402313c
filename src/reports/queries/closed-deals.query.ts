import type { Db } from '../../db/data-source.js';
import type { ReportFilter } from '../report-filter.js';

export interface ClosedDealsRow {
  managerId: string | null;
  won: number;
  lost: number;
  wonAmount: number;
  /** Sum of cycle days over the won deals (creation → first entering success in the period). */
  cycleDaysSum: number;
}

export interface CycleStats {
  won: number;
  meanDays: number | null;
  medianDays: number | null;
  p90Days: number | null;
}

/*
 * Won in the period = entered a success stage in [from, to) (counted once per deal, at its first such
 * entry in the period). Lost = entered a failure stage in the period and was not won in it. The stage
 * semantics come from the stages table, matched on the transition's own pipeline (amoCRM reuses the
 * ids 142/143 in every pipeline). Attributed to the deal's responsible manager.
 */
const CLOSED = `
  WITH entries AS (
    SELECT t.deal_id, s.semantics, min(t.at) AS at
      FROM stage_transitions t
      JOIN stages s ON s.portal_id = t.portal_id AND s.pipeline_id = t.pipeline_id AND s.id = t.to_stage_id
     WHERE t.portal_id = $1 AND t.at >= $2 AND t.at < $3 AND s.semantics IN ('success', 'failure')
       AND ($4::text IS NULL OR t.pipeline_id = $4)
     GROUP BY t.deal_id, s.semantics
  ), closed AS (
    SELECT DISTINCT ON (e.deal_id) e.deal_id, e.semantics, e.at
      FROM entries e ORDER BY e.deal_id, (e.semantics = 'success') DESC
  )
  SELECT c.semantics, c.at, d.responsible_id, COALESCE(d.amount, 0)::float8 AS amount,
         (EXTRACT(EPOCH FROM c.at - d.host_created_at) / 86400)::float8 AS days
    FROM closed c JOIN deals d ON d.portal_id = $1 AND d.id = c.deal_id
   WHERE d.deleted_at IS NULL AND ($5::text IS NULL OR d.responsible_id = $5)`;

const params = (f: ReportFilter) => [f.portalId, f.from, f.to, f.pipelineId ?? null, f.managerId ?? null];

export async function closedDealsByManager(db: Db, f: ReportFilter): Promise<ClosedDealsRow[]> {
  const rows = await db.query(
    `SELECT responsible_id,
            count(*) FILTER (WHERE semantics = 'success')::int AS won,
            count(*) FILTER (WHERE semantics = 'failure')::int AS lost,
            COALESCE(sum(amount) FILTER (WHERE semantics = 'success'), 0)::float8 AS won_amount,
            COALESCE(sum(days) FILTER (WHERE semantics = 'success'), 0)::float8 AS cycle_days
       FROM (${CLOSED}) x GROUP BY responsible_id`,
    params(f),
  );
  return rows.map((r: any) => ({
    managerId: r.responsible_id,
    won: Number(r.won),
    lost: Number(r.lost),
    wonAmount: Number(r.won_amount),
    cycleDaysSum: Number(r.cycle_days),
  }));
}

/** Cycle length of the deals won in the period: mean, median and p90 (percentile_cont) in days. */
export async function cycleStats(db: Db, f: ReportFilter): Promise<CycleStats> {
  const [r] = await db.query(
    `SELECT count(*)::int AS won, avg(days) AS mean,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
       FROM (${CLOSED}) x WHERE semantics = 'success'`,
    params(f),
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { won: Number(r.won), meanDays: n(r.mean), medianDays: n(r.median), p90Days: n(r.p90) };
}

/** Open deals right now: neither won nor lost, not deleted. */
export async function openDeals(db: Db, f: ReportFilter): Promise<number> {
  const [r] = await db.query(
    `SELECT count(*)::int AS n FROM deals
      WHERE portal_id = $1 AND ($2::text IS NULL OR pipeline_id = $2) AND ($3::text IS NULL OR responsible_id = $3)
        AND deleted_at IS NULL AND stage_semantics = 'process'`,
    [f.portalId, f.pipelineId ?? null, f.managerId ?? null],
  );
  return Number(r.n);
}

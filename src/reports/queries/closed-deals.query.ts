import type { Db } from '../../db/data-source.js';
import type { ReportFilter } from '../report-filter.js';

export interface CycleStats {
  won: number;
  meanDays: number | null;
  medianDays: number | null;
  p90Days: number | null;
}

export interface ClosedDealsRow {
  managerId: string | null;
  won: number;
  lost: number;
  wonAmount: number;
  /** Sum of cycle days over the won deals (creation → first entering success in the period). */
  cycleDaysSum: number;
  cycle: CycleStats;
}

export interface ClosedDeals {
  /** One row per responsible manager (null = unassigned deals). */
  byManager: ClosedDealsRow[];
  /** Every closed deal of the filter; its cycle percentiles are over all of them, not an average of managers'. */
  team: ClosedDealsRow;
}

/*
 * Won in the period = entered a success stage in [from, to) (counted once per deal, at its first such
 * entry in the period). Lost = entered a failure stage in the period and was not won in it. The stage
 * semantics come from the stages table, matched on the transition's own pipeline (amoCRM reuses the
 * ids 142/143 in every pipeline). Attributed to the deal's responsible manager.
 *
 * Driven from the closing stages (a handful of rows) into stage_transitions_closing_idx, one range per
 * stage, so only the entries into won/lost stages are read, not every move of the period. Managers and
 * the team come out of one pass (GROUPING SETS), the team's percentiles over all its deals.
 */
const SQL = `
  WITH entries AS (
    SELECT t.deal_id,
           bool_or(s.semantics = 'success') AS won,
           min(t.at) FILTER (WHERE s.semantics = 'success') AS won_at
      FROM stages s
      JOIN stage_transitions t ON t.portal_id = s.portal_id AND t.pipeline_id = s.pipeline_id AND t.to_stage_id = s.id
     WHERE s.portal_id = $1 AND s.semantics IN ('success', 'failure') AND ($4::text IS NULL OR s.pipeline_id = $4)
       AND t.at >= $2 AND t.at < $3
     GROUP BY t.deal_id
  ), closed AS (
    SELECT e.won, d.responsible_id, COALESCE(d.amount, 0)::float8 AS amount,
           CASE WHEN e.won THEN (EXTRACT(EPOCH FROM e.won_at - d.host_created_at) / 86400)::float8 END AS days
      FROM entries e
      -- One lookup per closed deal (index-only on deals_lookup_idx). As a plain join the planner
      -- overestimates the closed deals and hashes every deal of the table instead, twice as slow.
      CROSS JOIN LATERAL (
        SELECT d.responsible_id, d.amount, d.host_created_at FROM deals d
         WHERE d.portal_id = $1 AND d.id = e.deal_id AND d.deleted_at IS NULL AND ($5::text IS NULL OR d.responsible_id = $5)
         LIMIT 1) d
  )
  SELECT responsible_id, GROUPING(responsible_id) = 1 AS team,
         count(*) FILTER (WHERE won)::int AS won,
         count(*) FILTER (WHERE NOT won)::int AS lost,
         COALESCE(sum(amount) FILTER (WHERE won), 0)::float8 AS won_amount,
         COALESCE(sum(days), 0)::float8 AS cycle_days,
         avg(days) AS mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
    FROM closed
   GROUP BY GROUPING SETS ((responsible_id), ())`;

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function closedDeals(db: Db, f: ReportFilter): Promise<ClosedDeals> {
  const rows = await db.query(SQL, [f.portalId, f.from, f.to, f.pipelineId ?? null, f.managerId ?? null]);
  const toRow = (r: any): ClosedDealsRow => ({
    managerId: r.team ? null : r.responsible_id,
    won: Number(r.won),
    lost: Number(r.lost),
    wonAmount: Number(r.won_amount),
    cycleDaysSum: Number(r.cycle_days),
    cycle: { won: Number(r.won), meanDays: n(r.mean), medianDays: n(r.median), p90Days: n(r.p90) },
  });
  const team = rows.find((r: any) => r.team);
  return {
    byManager: rows.filter((r: any) => !r.team).map(toRow),
    // GROUPING SETS answers the () set even over no rows; the fallback only keeps the type honest.
    team: team ? toRow(team) : { managerId: null, won: 0, lost: 0, wonAmount: 0, cycleDaysSum: 0, cycle: { won: 0, meanDays: null, medianDays: null, p90Days: null } },
  };
}

export async function closedDealsByManager(db: Db, f: ReportFilter): Promise<ClosedDealsRow[]> {
  return (await closedDeals(db, f)).byManager;
}

/** Cycle length of the deals won in the period: mean, median and p90 (percentile_cont) in days. */
export async function cycleStats(db: Db, f: ReportFilter): Promise<CycleStats> {
  return (await closedDeals(db, f)).team.cycle;
}

/**
 * Open deals right now: neither won nor lost, not deleted. deals_open_idx answers it from the index;
 * its predicate is this query's, word for word.
 */
export async function openDeals(db: Db, f: ReportFilter): Promise<number> {
  const [r] = await db.query(
    `SELECT count(*)::int AS n FROM deals
      WHERE portal_id = $1 AND ($2::text IS NULL OR pipeline_id = $2) AND ($3::text IS NULL OR responsible_id = $3)
        AND deleted_at IS NULL AND stage_semantics = 'process'`,
    [f.portalId, f.pipelineId ?? null, f.managerId ?? null],
  );
  return Number(r.n);
}

import type { Db } from '../../db/data-source.js';
import { FIRST_RESPONSE_BOUNDS_MINUTES } from '../math/first-response.js';
import type { ReportFilter } from '../report-filter.js';

export interface FirstResponseRow {
  /** null = deals nobody is responsible for; see `team`. */
  managerId: string | null;
  /** The row over every deal of the filter (GROUPING SETS' grand total), not a manager. */
  team: boolean;
  deals: number;
  answered: number;
  meanMinutes: number | null;
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** within[i] = answered deals with minutes ≤ FIRST_RESPONSE_BOUNDS_MINUTES[i]. */
  within: number[];
}

/*
 * First response to new deals: the deals created in [from, to) (pipeline and manager filters on the
 * deal), and for each the first time the client was reached: a call, email, chat or meeting bound to
 * the deal, by anyone, at its start (else when it was logged), never later than now. It must have
 * happened: completed, or a call with talk time (Bitrix24 leaves an incoming call an open to-do until
 * someone processes it, yet the client was reached), as the discipline scan's firstContact
 * (src/discipline/activity-timing.ts) counts it. Minutes are clock
 * minutes from the deal's creation (the SLA check counts working minutes; a report of the whole team
 * shows elapsed time), floored at 0. Deals nobody has reached yet are counted, not timed.
 *
 * The contact lookup is one probe per new deal: activities bound to that deal alone come first by
 * when they happened from activities_first_contact_idx (LIMIT 1: one heap row, not every activity of
 * the deal, which is what the GIN index on deal_ids would fetch); those bound to several deals from a
 * small partial GIN index. Both indexes (migration 1764000031000) carry CONTACT as their predicate; the
 * planner uses them only while this WHERE implies it (report-query-indexes.migration.test.ts checks). The percentiles are percentile_cont, the interpolation of
 * math/percentile.ts, so no per-deal row leaves the database. OFFSET 0 keeps each deal's lookup
 * evaluated once (inlined, it ran again for every reference to its result).
 */
const CONTACT = `AND a.kind IN ('call', 'email', 'chat', 'meeting') AND (a.completed OR (a.kind = 'call' AND a.duration_sec > 0))`;

const within = FIRST_RESPONSE_BOUNDS_MINUTES.map((_, i) => `count(*) FILTER (WHERE minutes <= $${7 + i})::int AS w${i}`).join(',\n            ');

/** Exported for the test that checks the planner can use the contact indexes with it. */
export const FIRST_RESPONSE_SQL = `
  WITH contacted AS (
    SELECT d.responsible_id, d.host_created_at,
           LEAST(
             (SELECT COALESCE(a.start_at, a.host_created_at) FROM activities a
               WHERE a.portal_id = $1 AND a.deal_ids[1] = d.id AND cardinality(a.deal_ids) = 1 AND a.deleted_at IS NULL ${CONTACT}
               ORDER BY COALESCE(a.start_at, a.host_created_at) LIMIT 1),
             (SELECT min(COALESCE(a.start_at, a.host_created_at)) FROM activities a
               WHERE a.portal_id = $1 AND a.deal_ids @> ARRAY[d.id] AND cardinality(a.deal_ids) > 1 AND a.deleted_at IS NULL ${CONTACT})
           ) AS first_at
      FROM deals d
     WHERE d.portal_id = $1 AND d.deleted_at IS NULL AND d.host_created_at >= $2 AND d.host_created_at < $3
       AND ($4::text IS NULL OR d.pipeline_id = $4) AND ($5::text IS NULL OR d.responsible_id = $5)
    OFFSET 0
  ), timed AS (
    -- LEAST and GREATEST skip NULLs: above that picks whichever lookup found a contact, but here it
    -- would turn "no contact yet" into "answered now" (LEAST with now) or 0 minutes (GREATEST). So
    -- only a deal with a contact is timed, its contact capped at now and its minutes floored at 0.
    SELECT responsible_id,
           CASE WHEN first_at IS NOT NULL
                THEN GREATEST(0, EXTRACT(EPOCH FROM LEAST(first_at, $6::timestamptz) - host_created_at) / 60)::float8 END AS minutes
      FROM contacted
  )
  SELECT responsible_id, GROUPING(responsible_id) = 1 AS team,
         count(*)::int AS deals, count(minutes)::int AS answered,
         avg(minutes) AS mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90,
         ${within}
    FROM timed
   GROUP BY GROUPING SETS ((responsible_id), ())`;

export async function firstResponseByManager(db: Db, f: ReportFilter, now: Date): Promise<FirstResponseRow[]> {
  const rows = await db.query(FIRST_RESPONSE_SQL, [f.portalId, f.from, f.to, f.pipelineId ?? null, f.managerId ?? null, now, ...FIRST_RESPONSE_BOUNDS_MINUTES]);
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r: any) => ({
    managerId: r.team ? null : r.responsible_id,
    team: r.team,
    deals: Number(r.deals),
    answered: Number(r.answered),
    meanMinutes: n(r.mean),
    medianMinutes: n(r.median),
    p90Minutes: n(r.p90),
    within: FIRST_RESPONSE_BOUNDS_MINUTES.map((_, i) => Number(r[`w${i}`])),
  }));
}

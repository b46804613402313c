import type { Db } from '../../db/data-source.js';

export interface PlanRow {
  managerId: string;
  metric: string;
  /** YYYY-MM-DD, first day of the plan. */
  periodStart: string;
  /** YYYY-MM-DD, last day of the plan (inclusive). */
  periodEnd: string;
  target: number;
}

/** Plans overlapping [from, to) (any plan when no period is given). */
export async function listPlans(db: Db, portalId: string, opts: { from?: Date; to?: Date; managerId?: string }): Promise<PlanRow[]> {
  const rows = await db.query(
    `SELECT manager_id, metric, to_char(period_start, 'YYYY-MM-DD') AS ps, to_char(period_end, 'YYYY-MM-DD') AS pe, target::float8 AS target
       FROM plans
      WHERE portal_id = $1 AND ($2::timestamptz IS NULL OR (period_end + 1)::timestamp AT TIME ZONE 'UTC' > $2)
        AND ($3::timestamptz IS NULL OR period_start::timestamp AT TIME ZONE 'UTC' < $3)
        AND ($4::text IS NULL OR manager_id = $4)
      ORDER BY manager_id, metric, period_start`,
    [portalId, opts.from ?? null, opts.to ?? null, opts.managerId ?? null],
  );
  return rows.map((r: any) => ({ managerId: r.manager_id, metric: r.metric, periodStart: r.ps, periodEnd: r.pe, target: Number(r.target) }));
}

export async function upsertPlan(db: Db, portalId: string, p: PlanRow): Promise<void> {
  await db.query(
    `INSERT INTO plans (portal_id, manager_id, metric, period_start, period_end, target) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (portal_id, manager_id, metric, period_start, period_end) DO UPDATE SET target = EXCLUDED.target, updated_at = now()`,
    [portalId, p.managerId, p.metric, p.periodStart, p.periodEnd, p.target],
  );
}

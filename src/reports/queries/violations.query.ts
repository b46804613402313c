import type { Db } from '../../db/data-source.js';
import type { ReportFilter } from '../report-filter.js';

/** Violations detected in [from, to), counted per manager and kind (manager null = unassigned deal). */
export async function violationsByManager(db: Db, f: ReportFilter): Promise<{ managerId: string | null; kind: string; count: number }[]> {
  const rows = await db.query(
    `SELECT manager_id, kind, count(*)::int AS n FROM violations
      WHERE portal_id = $1 AND detected_at >= $2 AND detected_at < $3
        AND ($4::text IS NULL OR pipeline_id = $4) AND ($5::text IS NULL OR manager_id = $5)
      GROUP BY manager_id, kind ORDER BY manager_id, kind`,
    [f.portalId, f.from, f.to, f.pipelineId ?? null, f.managerId ?? null],
  );
  return rows.map((r: any) => ({ managerId: r.manager_id, kind: r.kind, count: Number(r.n) }));
}

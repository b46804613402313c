import type { Db } from '../../db/data-source.js';
import type { ReportFilter } from '../report-filter.js';

export interface ActivityRow {
  managerId: string;
  callsIn: number;
  callsOut: number;
  callsOver30s: number;
  meetings: number;
  emails: number;
  offers: number;
  chats: number;
}

/**
 * Activities logged in [from, to) (by their creation on the host), not deleted, per responsible
 * manager. A call counts when it took place: completed, or with talk time (Bitrix24 leaves an incoming
 * call an open to-do until someone processes it); a planned call is neither. Calls over 30 s: duration
 * strictly above 30 s, both directions. Meetings count only when held (completed); a planned meeting
 * is not a meeting. Activities belong to no pipeline, so the pipeline filter does not apply to them.
 */
export async function activityByManager(db: Db, f: ReportFilter): Promise<ActivityRow[]> {
  const rows = await db.query(
    `SELECT responsible_id,
            count(*) FILTER (WHERE kind = 'call' AND direction = 'in' AND (completed OR duration_sec > 0))::int AS calls_in,
            count(*) FILTER (WHERE kind = 'call' AND direction = 'out' AND (completed OR duration_sec > 0))::int AS calls_out,
            count(*) FILTER (WHERE kind = 'call' AND duration_sec > 30)::int AS calls_over_30s,
            count(*) FILTER (WHERE kind = 'meeting' AND completed)::int AS meetings,
            count(*) FILTER (WHERE kind = 'email')::int AS emails,
            count(*) FILTER (WHERE kind = 'offer')::int AS offers,
            count(*) FILTER (WHERE kind = 'chat')::int AS chats
       FROM activities
      WHERE portal_id = $1 AND host_created_at >= $2 AND host_created_at < $3 AND deleted_at IS NULL
        AND responsible_id IS NOT NULL AND ($4::text IS NULL OR responsible_id = $4)
      GROUP BY responsible_id`,
    [f.portalId, f.from, f.to, f.managerId ?? null],
  );
  return rows.map((r: any) => ({
    managerId: r.responsible_id,
    callsIn: r.calls_in,
    callsOut: r.calls_out,
    callsOver30s: r.calls_over_30s,
    meetings: r.meetings,
    emails: r.emails,
    offers: r.offers,
    chats: r.chats,
  }));
}

/** Deals created in [from, to) per responsible manager (also "leads processed"). */
export async function dealsCreatedByManager(db: Db, f: ReportFilter): Promise<{ managerId: string; deals: number }[]> {
  const rows = await db.query(
    `SELECT responsible_id, count(*)::int AS n FROM deals
      WHERE portal_id = $1 AND host_created_at >= $2 AND host_created_at < $3 AND deleted_at IS NULL
        AND responsible_id IS NOT NULL AND ($4::text IS NULL OR pipeline_id = $4) AND ($5::text IS NULL OR responsible_id = $5)
      GROUP BY responsible_id`,
    [f.portalId, f.from, f.to, f.pipelineId ?? null, f.managerId ?? null],
  );
  return rows.map((r: any) => ({ managerId: r.responsible_id, deals: Number(r.n) }));
}

import type { Db } from '../db/data-source.js';

export interface PortalUser {
  id: string;
  name: string;
  active: boolean;
  isAdmin: boolean;
  /** false when the user is known only as a deal's responsible, not from the host's user list. */
  known: boolean;
}

/**
 * The portal's users for pickers: the host's user list, plus anyone deals are assigned to that the
 * list lacks (a user list not imported yet must not leave the rules editor without anyone to pick).
 */
export async function portalUsers(db: Db, portalId: string): Promise<PortalUser[]> {
  const rows = await db.query(
    `SELECT id, name, active, is_admin, true AS known FROM host_users WHERE portal_id = $1
     UNION ALL
     SELECT DISTINCT d.responsible_id, d.responsible_id, true, false, false
       FROM deals d
      WHERE d.portal_id = $1 AND d.responsible_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM host_users u WHERE u.portal_id = $1 AND u.id = d.responsible_id)
     ORDER BY 5 DESC, 2, 1`,
    [portalId],
  );
  return rows.map((r: any) => ({ id: r.id, name: r.name, active: r.active, isAdmin: r.is_admin, known: r.known }));
}

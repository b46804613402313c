import type { AppContext } from '../app/app-context.js';

/**
 * Data of a portal uninstalled with "clean data" (Bitrix24 CLEAN=1) is deleted once its grace
 * period has passed (UNINSTALL_GRACE_DAYS): every table cascades from portals. A re-install within
 * the grace period clears purge_after and keeps everything.
 */
export function purgeJobHandler(ctx: AppContext) {
  return async () => {
    const rows = await ctx.db.query(
      `DELETE FROM portals WHERE status = 'uninstalled' AND purge_after IS NOT NULL AND purge_after <= $1 RETURNING id`,
      [ctx.now()],
    );
    const purged = Array.isArray(rows[0]) ? rows[0] : rows;
    if (purged.length) ctx.log.info({ portals: purged.map((r: { id: string }) => r.id) }, 'uninstalled portals purged');
  };
}

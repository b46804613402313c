import type { AppContext } from '../app/app-context.js';
import { deterministicUuid } from './cron-ticks.js';

/**
 * A cron tick of a per-portal job: one job per active portal, with an id made of the queue, the
 * portal and the tick, so however many instances ticked, each portal gets one job per tick.
 */
export async function fanOutToActivePortals(ctx: Pick<AppContext, 'db' | 'queue'>, queue: string, tickAt: string | undefined): Promise<void> {
  const rows = await ctx.db.query(`SELECT id FROM portals WHERE status = 'active'`);
  for (const r of rows) {
    await ctx.queue.send(queue, { portalId: r.id }, { id: deterministicUuid(`${queue}|${r.id}|${tickAt}`), groupId: r.id });
  }
}

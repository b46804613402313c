import type { AppContext } from '../app/app-context.js';
import type { ConnectorRegistry } from '../connectors/connector-registry.js';
import { decideOnHostError, pausedStatusFor } from '../connectors/host-error-policy.js';
import { fanOutToActivePortals } from '../queue/portal-fan-out.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { QUEUES } from '../queue/queue-policies.js';
import type { DealProcessor } from './deal-processor.js';
import { ProjectionRepository } from './projection.repository.js';

/**
 * Hosts drop events (Bitrix24 never resends one; amoCRM gives up after its retries), so every few
 * minutes each portal is asked what changed since its watermark, and that goes through the same
 * sync path as an event. The watermark moves back a little on every run: the host's clocks and
 * ours differ, and a change at the edge must not fall between two runs.
 */
const OVERLAP_MS = 2 * 60_000;

/**
 * One queue, two job shapes: a cron tick (`tickAt`) fans out one job per active portal, at most one
 * per portal per tick however many instances ticked; a portal job (`portalId`) reconciles it.
 */
export function reconcileJobHandler(ctx: AppContext, registry: ConnectorRegistry, processor: DealProcessor) {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const projections = new ProjectionRepository(ctx.db);

  return async (data: { tickAt?: string; portalId?: string }) => {
    if (data.portalId) return reconcilePortal(data.portalId);
    await fanOutToActivePortals(ctx, QUEUES.reconcile.name, data.tickAt);
  };

  async function reconcilePortal(portalId: string): Promise<void> {
    const portal = await portals.get(portalId);
    if (!portal || portal.status !== 'active') return;
    const connector = registry.forPortal(portal);
    const state = await ctx.db.query(`SELECT watermark FROM sync_state WHERE portal_id = $1 AND kind = 'reconcile'`, [portal.id]);
    const started = await projections.dbNow();
    const fallback = portal.installedAt ? new Date(portal.installedAt) : started;
    const since = new Date((state[0]?.watermark ? new Date(state[0].watermark) : fallback).getTime() - OVERLAP_MS);
    try {
      let afterId: string | undefined;
      for (;;) {
        const page = await connector.listDealsModifiedSince(since, afterId);
        if (page.deals.length) {
          const history = await connector.listStageHistory(page.deals.map((d) => d.id));
          const readAt = await projections.dbNow();
          for (const deal of page.deals) {
            await processor.storeDeal(portal, deal, history.filter((h) => h.dealId === deal.id), readAt, true);
            await processor.evaluateDeal(portal, deal.id);
          }
        }
        if (!page.nextAfterId) break;
        afterId = page.nextAfterId;
      }
      afterId = undefined;
      for (;;) {
        const page = await connector.listActivitiesModifiedSince(since, afterId);
        for (const a of page.activities) await projections.upsertActivity(portal.id, a);
        if (!page.nextAfterId) break;
        afterId = page.nextAfterId;
      }
      if (connector.listLeadsModifiedSince) {
        afterId = undefined;
        for (;;) {
          const page = await connector.listLeadsModifiedSince(since, afterId);
          for (const lead of page.leads) await projections.upsertLead(portal.id, lead.id, lead);
          if (!page.nextAfterId) break;
          afterId = page.nextAfterId;
        }
      }
      await ctx.db.query(
        `INSERT INTO sync_state (portal_id, kind, status, watermark, updated_at) VALUES ($1, 'reconcile', 'done', $2, now())
         ON CONFLICT (portal_id, kind) DO UPDATE SET status = 'done', watermark = $2, error = NULL, updated_at = now()`,
        [portal.id, started],
      );
    } catch (err) {
      if (decideOnHostError(err) === 'pause_portal') {
        await portals.setStatus(portal.id, pausedStatusFor(err));
        return;
      }
      throw err;
    }
  }
}

/** Seconds since each active portal's last completed reconcile: the lag metric. */
export async function reconcileLag(ctx: Pick<AppContext, 'db'>): Promise<{ portalId: string; seconds: number }[]> {
  const rows = await ctx.db.query(
    `SELECT p.id, EXTRACT(EPOCH FROM now() - COALESCE(s.watermark, p.installed_at, p.created_at))::float8 AS lag
       FROM portals p LEFT JOIN sync_state s ON s.portal_id = p.id AND s.kind = 'reconcile' WHERE p.status = 'active'`,
  );
  return rows.map((r: { id: string; lag: number }) => ({ portalId: r.id, seconds: Number(r.lag) }));
}

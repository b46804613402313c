import type { AppContext } from '../app/app-context.js';
import type { ConnectorRegistry } from '../connectors/connector-registry.js';
import { decideOnHostError, pausedStatusFor } from '../connectors/host-error-policy.js';
import type { HostLifecycle } from '../portals/host-lifecycle.js';
import type { Portal } from '../portals/portal.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { QUEUES } from '../queue/queue-policies.js';
import type { EventJobData } from '../webhooks/bitrix24-events.route.js';
import { InboxRepository, type InboxEvent } from '../webhooks/inbox.repository.js';
import type { DealProcessor } from './deal-processor.js';
import { ProjectionRepository } from './projection.repository.js';

/**
 * Deal events of any host, by the normalized kind every route stores in the payload (Bitrix24's
 * ONCRMDEAL*, amoCRM's leads[add|update|status|…]): they all mean "re-read this deal".
 */
const DEAL_KINDS = ['deal_changed', 'deal_moved_category', 'deal_deleted'];
/** Deals read per job when events pile up: the backlog drains in a few host calls, not one per event. */
const COALESCE_LIMIT = 25;
/**
 * Pending rows looked at to find those deals. amoCRM sends two or three events for one change of a
 * lead (leads[status] and leads[update] in one request), so 25 rows would be only ~10 deals.
 */
const COALESCE_SCAN = COALESCE_LIMIT * 4;
/** A portal in these states makes no host calls: its events are kept as ignored, never retried. */
const PAUSED = new Set(['uninstalled', 'needs_reauth', 'blocked']);

// Other pending deal events of the portal, oldest first. The partial index on pending rows
// (portal_id, received_at) finds them; the kind test runs on those few rows only.
const PENDING_DEAL_EVENTS_SQL = `
  SELECT id, entity_id, received_at FROM inbox_events
   WHERE portal_id = $1 AND status = 'pending' AND payload->>'kind' = ANY($2) AND entity_id IS NOT NULL
   ORDER BY received_at LIMIT $3`;

export interface EventJobDeps {
  ctx: AppContext;
  registry: ConnectorRegistry;
  processor: DealProcessor;
  lifecycles: Partial<Record<Portal['host'], HostLifecycle>>;
}

export function eventJobHandler(d: EventJobDeps) {
  const { ctx } = d;
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const inbox = new InboxRepository(ctx.db);
  const projections = new ProjectionRepository(ctx.db);

  return async (data: EventJobData, job: { id: string }) => {
    const portal = await portals.get(data.portalId);
    const event = await inbox.getByDedupeKey(data.portalId, data.dedupeKey);
    if (!portal || !event || event.status !== 'pending') return;
    const log = ctx.log.child({ portalId: portal.id, inboxId: event.id, event: event.eventName, jobId: job.id });
    const kind = event.payload.kind as string;

    // An uninstall is honoured whatever state the portal is in: a paused portal still holds tokens to drop.
    if (kind === 'app_uninstalled' && portal.status !== 'uninstalled') {
      await uninstall(portal, event, log);
      return;
    }
    if (PAUSED.has(portal.status)) {
      await inbox.markDone(portal.id, [event.id], 'ignored', `portal is ${portal.status}`);
      return;
    }
    try {
      switch (kind) {
        case 'deal_changed':
        case 'deal_moved_category':
        case 'deal_deleted':
          await syncDealEvents(portal, event);
          return;
        case 'lead_changed': {
          const connector = d.registry.forPortal(portal);
          if (!connector.getLeads) {
            await inbox.markDone(portal.id, [event.id], 'ignored', 'the host keeps no separate leads');
            return;
          }
          const leads = await connector.getLeads([event.entityId!]);
          await projections.upsertLead(portal.id, event.entityId!, leads.get(event.entityId!) ?? null);
          await inbox.markDone(portal.id, [event.id], 'processed');
          return;
        }
        case 'activity_changed': {
          const dealIds = await d.processor.syncActivity(portal, d.registry.forPortal(portal), event.entityId!);
          for (const dealId of dealIds) await d.processor.evaluateDeal(portal, dealId);
          await inbox.markDone(portal.id, [event.id], 'processed');
          return;
        }
        case 'app_updated':
          await handleUpdate(portal, event);
          return;
        default:
          await inbox.markDone(portal.id, [event.id], 'ignored', String((event.payload.host as { reason?: string })?.reason ?? kind));
      }
    } catch (err) {
      const decision = decideOnHostError(err);
      const message = err instanceof Error ? err.message : String(err);
      if (decision === 'pause_portal') {
        const status = pausedStatusFor(err);
        await portals.setStatus(portal.id, status);
        await inbox.markDone(portal.id, [event.id], 'ignored', `${status === 'blocked' ? 'account blocked by the host' : 'authorization revoked'}: ${message}`);
        log.warn({ err, status }, 'portal paused');
        return;
      }
      if (decision === 'skip' || decision === 'fail') {
        await inbox.markDone(portal.id, [event.id], 'processed', message);
        return;
      }
      await inbox.recordFailure(portal.id, event.id, message);
      throw err;
    }
  };

  async function syncDealEvents(portal: Portal, event: InboxEvent): Promise<void> {
    const syncedAt = await d.processor.dealSyncedAt(portal.id, event.entityId!);
    // A read that started after this event arrived already saw what it announces.
    if (syncedAt && syncedAt > event.receivedAt) {
      await inbox.markDone(portal.id, [event.id], 'processed');
      return;
    }
    const others: { id: string; entityId: string }[] = (await ctx.db.query(PENDING_DEAL_EVENTS_SQL, [portal.id, DEAL_KINDS, COALESCE_SCAN])).map(
      (r: { id: string | number; entity_id: string }) => ({ id: String(r.id), entityId: r.entity_id }),
    );
    // This event's deal first, then the oldest others, up to COALESCE_LIMIT deals; every pending
    // event of a chosen deal is answered by the same read.
    const dealIds = [...new Set([event.entityId!, ...others.map((o) => o.entityId)])].slice(0, COALESCE_LIMIT);
    const chosen = new Set(dealIds);
    const batch = [event, ...others.filter((o) => o.id !== event.id && chosen.has(o.entityId))];
    await d.processor.syncDeals(portal, d.registry.forPortal(portal), dealIds);
    await inbox.markDone(portal.id, batch.map((e) => e.id), 'processed');
  }

  /**
   * Tokens dropped, jobs stopped (every job skips an uninstalled portal). First, where the host
   * still lets us, what we registered there is removed (amoCRM webhooks; after amoCRM's own disable
   * hook the tokens are already revoked, so this usually fails and the webhook is left to amoCRM's
   * auto-disable). A blocked portal is not called at all: its budget waits out the block for hours.
   */
  async function uninstall(portal: Portal, event: InboxEvent, log: typeof ctx.log): Promise<void> {
    const lifecycle = d.lifecycles[portal.host];
    if (lifecycle?.tearDown && portal.status !== 'blocked') {
      await lifecycle.tearDown(portal).catch((err: unknown) => log.info({ err: err instanceof Error ? err.message : String(err) }, 'tear-down on the host not possible'));
    }
    const clean = (event.payload.host as { cleanData?: boolean })?.cleanData === true;
    const purgeAfter = clean ? new Date(ctx.now().getTime() + ctx.config.UNINSTALL_GRACE_DAYS * 86_400_000) : null;
    await portals.markUninstalled(portal.id, purgeAfter);
    await inbox.markDone(portal.id, [event.id], 'processed');
    log.info({ clean, purgeAfter }, 'portal uninstalled: tokens dropped');
  }

  async function handleUpdate(portal: Portal, event: InboxEvent): Promise<void> {
    const lifecycle = d.lifecycles[portal.host];
    if (!event.payload.verified) {
      const sealed = event.payload.sealedAuth as string | null;
      const auth = sealed ? JSON.parse(ctx.cipher.decrypt(sealed, `inbox:${portal.id}:${event.dedupeKey}`)) : null;
      const genuine = Boolean(auth?.accessToken && lifecycle && (await lifecycle.verifyAccessToken(portal, auth.accessToken)));
      if (!genuine) {
        await inbox.markDone(portal.id, [event.id], 'ignored', 'update could not be verified with the portal');
        ctx.log.warn({ portalId: portal.id }, 'unverified ONAPPUPDATE ignored');
        return;
      }
      await portals.setApplicationToken(portal.id, auth.applicationToken);
    }
    await ctx.queue.send(QUEUES.install.name, { portalId: portal.id, reason: 'update' });
    await inbox.markDone(portal.id, [event.id], 'processed');
  }
}

import type { AppContext } from '../app/app-context.js';
import type { ConnectorRegistry } from '../connectors/connector-registry.js';
import { decideOnHostError, pausedStatusFor } from '../connectors/host-error-policy.js';
import { PortalRepository } from '../portals/portal.repository.js';
import type { DealProcessor } from './deal-processor.js';
import { ProjectionRepository } from './projection.repository.js';

interface ImportCursor {
  phase: 'deals' | 'activities' | 'done';
  afterId: string | null;
  since: string;
}

/**
 * Imports the last N days of deals (with stage history) and activities, page by page. The cursor is
 * saved after every page, so a crashed or retried job resumes where it stopped; every host call
 * goes through the portal's rate budget. Imported moves are history: never judged.
 */
export function historyImportJobHandler(ctx: AppContext, registry: ConnectorRegistry, processor: DealProcessor) {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const projections = new ProjectionRepository(ctx.db);

  return async (data: { portalId: string }) => {
    const portal = await portals.get(data.portalId);
    if (!portal || portal.status !== 'active') return;
    const connector = registry.forPortal(portal);
    let cursor = await loadCursor(portal.id);
    try {
      while (cursor.phase !== 'done') {
        const since = new Date(cursor.since);
        if (cursor.phase === 'deals') {
          const page = await connector.listDealsModifiedSince(since, cursor.afterId ?? undefined);
          const history = page.deals.length ? await connector.listStageHistory(page.deals.map((d) => d.id)) : [];
          const readAt = await projections.dbNow();
          for (const deal of page.deals) {
            await processor.storeDeal(portal, deal, history.filter((h) => h.dealId === deal.id), readAt, false);
          }
          cursor = page.nextAfterId ? { ...cursor, afterId: page.nextAfterId } : { ...cursor, phase: 'activities', afterId: null };
          await saveCursor(portal.id, cursor, page.deals.length);
        } else {
          const page = await connector.listActivitiesModifiedSince(since, cursor.afterId ?? undefined);
          for (const a of page.activities) await projections.upsertActivity(portal.id, a);
          cursor = page.nextAfterId ? { ...cursor, afterId: page.nextAfterId } : { ...cursor, phase: 'done', afterId: null };
          await saveCursor(portal.id, cursor, page.activities.length);
        }
      }
    } catch (err) {
      if (decideOnHostError(err) === 'pause_portal') {
        await portals.setStatus(portal.id, pausedStatusFor(err));
        return;
      }
      await ctx.db.query(`UPDATE sync_state SET error = $2, updated_at = now() WHERE portal_id = $1 AND kind = 'history_import'`, [
        portal.id,
        err instanceof Error ? err.message : String(err),
      ]);
      throw err;
    }
  };

  async function loadCursor(portalId: string): Promise<ImportCursor> {
    const since = new Date(ctx.now().getTime() - ctx.config.HISTORY_IMPORT_DAYS * 86_400_000).toISOString();
    const rows = await ctx.db.query(
      `INSERT INTO sync_state (portal_id, kind, status, cursor, done) VALUES ($1, 'history_import', 'running', $2::jsonb, 0)
       ON CONFLICT (portal_id, kind) DO UPDATE SET status = CASE WHEN sync_state.status = 'done' THEN 'done' ELSE 'running' END
       RETURNING cursor, status`,
      [portalId, JSON.stringify({ phase: 'deals', afterId: null, since } satisfies ImportCursor)],
    );
    return rows[0].status === 'done' ? { phase: 'done', afterId: null, since } : (rows[0].cursor as ImportCursor);
  }

  async function saveCursor(portalId: string, cursor: ImportCursor, imported: number): Promise<void> {
    await ctx.db.query(
      `UPDATE sync_state SET cursor = $2::jsonb, done = done + $3, status = $4, error = NULL,
              watermark = CASE WHEN $4 = 'done' THEN now() ELSE watermark END, updated_at = now()
        WHERE portal_id = $1 AND kind = 'history_import'`,
      [portalId, JSON.stringify(cursor), imported, cursor.phase === 'done' ? 'done' : 'running'],
    );
  }
}

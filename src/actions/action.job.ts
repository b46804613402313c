import type { AppContext } from '../app/app-context.js';
import type { ConnectorRegistry } from '../connectors/connector-registry.js';
import { decideOnHostError, pausedStatusFor } from '../connectors/host-error-policy.js';
import { PortalRepository } from '../portals/portal.repository.js';
import type { ActionJobData } from '../sync/deal-processor.js';
import { executeAction } from './action-executor.js';
import { ActionRepository, type ActionRow } from './action.repository.js';

/** Test-only fault injection: runs after the host accepted a write, before the result is recorded. */
export interface ActionFaults {
  afterHostWrite?: (row: ActionRow) => void;
}

const INACTIVE = new Set(['uninstalled', 'needs_reauth', 'blocked']);

export function actionJobHandler(ctx: AppContext, registry: ConnectorRegistry, faults: ActionFaults = {}) {
  const actions = new ActionRepository(ctx.db);
  const portals = new PortalRepository(ctx.db, ctx.cipher);

  return async (data: ActionJobData, job: { id: string }) => {
    const row = await actions.get(data.portalId, data.actionId);
    if (!row || row.status === 'done' || row.status === 'skipped' || row.status === 'failed') return;
    const portal = await portals.get(data.portalId);
    if (!portal || INACTIVE.has(portal.status)) {
      await actions.finish(data.portalId, row.id, 'skipped', null, `portal is ${portal?.status ?? 'gone'}`);
      return;
    }
    const log = ctx.log.child({ portalId: portal.id, actionId: row.id, kind: row.kind, jobId: job.id });
    const attempt = await actions.startAttempt(portal.id, row.id);
    try {
      const result = await executeAction(registry.forPortal(portal), row.spec, row.idempotencyKey, attempt);
      faults.afterHostWrite?.(row);
      await actions.finish(portal.id, row.id, result.outcome, result.hostResultId, result.note ?? null);
      await ctx.db.query(`INSERT INTO audit_log (portal_id, actor, action, details) VALUES ($1, 'stageguard', 'host_write', $2::jsonb)`, [
        portal.id,
        JSON.stringify({ actionId: row.id, kind: row.kind, dealId: row.dealId, hostResultId: result.hostResultId, attempt, note: result.note }),
      ]);
      log.info({ attempt, outcome: result.outcome }, 'action executed');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      switch (decideOnHostError(err)) {
        case 'pause_portal':
          await portals.setStatus(portal.id, pausedStatusFor(err));
          await actions.finish(portal.id, row.id, 'failed', null, message);
          log.warn({ err }, 'portal authorization revoked: portal paused');
          return;
        case 'skip':
          await actions.finish(portal.id, row.id, 'skipped', null, message);
          return;
        case 'fail':
          await actions.finish(portal.id, row.id, 'failed', null, message);
          log.warn({ err }, 'action refused by the host');
          return;
        case 'retry':
          await actions.noteError(portal.id, row.id, message);
          throw err;
      }
    }
  };
}

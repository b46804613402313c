import type { AppContext } from '../app/app-context.js';
import { decideOnHostError, pausedStatusFor } from '../connectors/host-error-policy.js';
import type { HostLifecycle } from '../portals/host-lifecycle.js';
import type { Portal } from '../portals/portal.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { QUEUES } from '../queue/queue-policies.js';
import { InstallProgress } from './install-progress.js';

export interface InstallJobData {
  portalId: string;
  reason: 'install' | 'reinstall' | 'update';
}

/** Set-up after install, re-install or update: everything it does on the host is idempotent. */
export function installJobHandler(ctx: AppContext, lifecycles: Partial<Record<Portal['host'], HostLifecycle>>) {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const progress = new InstallProgress(ctx.db);
  return async (data: InstallJobData) => {
    const portal = await portals.get(data.portalId);
    if (!portal || portal.status === 'uninstalled') return;
    const lifecycle = lifecycles[portal.host];
    if (!lifecycle) throw new Error(`no lifecycle for ${portal.host}`);
    try {
      await lifecycle.setUp(portal, (step, done, total) => progress.step(portal.id, step, done, total));
      await portals.setStatus(portal.id, 'active');
      await progress.finish(portal.id, null);
      if (data.reason !== 'update') await ctx.queue.send(QUEUES.historyImport.name, { portalId: portal.id });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (decideOnHostError(err) === 'pause_portal') {
        await portals.setStatus(portal.id, pausedStatusFor(err));
        await progress.finish(portal.id, message);
        return;
      }
      await progress.finish(portal.id, message);
      throw err;
    }
  };
}

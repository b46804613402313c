import { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { verifyAmoDisableHook } from '../connectors/amocrm/amocrm-disable-hook.js';
import { HttpError } from '../http/http-errors.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { QUEUES } from '../queue/queue-policies.js';
import { InboxWriter } from '../webhooks/inbox-writer.js';
import { requireIntegration, type AmoIntegrationKeys } from './amocrm-install.route.js';

const REFUSALS = {
  missing_parameters: 'client_uuid, a numeric account_id and signature are required',
  client_mismatch: 'client_uuid is not this integration',
  bad_signature: 'signature is not HMAC-SHA256(client_secret, "client_id|account_id")',
} as const;

/**
 * amoCRM's "integration disabled" hook: GET ?client_uuid&account_id&signature (oauth-20). The URL is
 * public, so nothing changes unless the signature holds. A genuine one becomes an uninstall event
 * in the inbox like Bitrix24's ONAPPUNINSTALL: its job drops the tokens (jobs stop for the portal)
 * and removes our webhooks where amoCRM still lets us.
 */
export function amocrmDisableHookRouter(ctx: AppContext, path: string, deps: { integration: AmoIntegrationKeys | null }): Router {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const writer = new InboxWriter(ctx.db, ctx.queue, QUEUES.event.name);
  const router = Router();

  router.get(path, async (req, res) => {
    const verdict = verifyAmoDisableHook(req.query as Record<string, unknown>, requireIntegration(deps));
    if (!verdict.ok) throw new HttpError(401, verdict.reason, REFUSALS[verdict.reason]);

    const portal = await portals.findByExternalId('amocrm', verdict.accountId);
    if (!portal || portal.status === 'uninstalled') {
      res.json({ status: 'not_installed' });
      return;
    }
    // One key per account: a hook repeated after a later re-install re-opens the processed row.
    const status = await writer.write({
      portalId: portal.id,
      dedupeKey: `amocrm|integration_disabled|${verdict.accountId}`,
      eventName: 'amocrm.integration_disabled',
      entityId: null,
      payload: { kind: 'app_uninstalled', host: { kind: 'app_uninstalled', cleanData: false } },
    });
    req.log.info({ portalId: portal.id, accountId: verdict.accountId }, 'amocrm integration disabled');
    res.json({ status });
  });

  return router;
}

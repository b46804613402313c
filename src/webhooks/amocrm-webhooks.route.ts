import express, { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { PortalLookupCache } from '../portals/portal-lookup-cache.js';
import { QUEUES } from '../queue/queue-policies.js';
import { AMO_WEBHOOK_MAX_BYTES, parseAmoWebhook, type AmoHostEvent } from './amocrm/amocrm-webhook.parser.js';
import { InboxWriter } from './inbox-writer.js';

/**
 * amoCRM account webhooks in, at POST {path}/{secret}. The four steps and nothing else: parse,
 * verify, inbox rows + jobs (group-committed), answer. amoCRM waits 2 s for the answer and
 * disables a webhook after 100 failed deliveries in 2 hours (webhooks-general), so no host call and
 * no rule runs here. One request may carry several leads, tasks and notes: each becomes its own
 * inbox row (de-duplicated on its own key), all answered together.
 *
 * amoCRM signs nothing: the URL's secret must be the one set up for the account the body names in
 * `account[id]`; otherwise 401 and nothing is stored (shared/protocols/amocrm.md §2.2).
 */
export function amocrmWebhooksRouter(ctx: AppContext, path: string): Router {
  const lookup = new PortalLookupCache(ctx.db);
  const writer = new InboxWriter(ctx.db, ctx.queue, QUEUES.event.name);
  const router = Router();

  router.post(`${path}/:secret`, express.text({ type: () => true, limit: AMO_WEBHOOK_MAX_BYTES }), async (req, res) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const parsed = parseAmoWebhook(raw);
    if (!parsed.ok) throw new HttpError(400, 'malformed_webhook', parsed.reason);

    const found = await lookup.get('amocrm', parsed.accountId);
    if (!found || found.status === 'uninstalled') throw new HttpError(401, 'unknown_account', `No installed amoCRM account ${parsed.accountId}`);
    // The digest of the secret set up for THIS account: a secret of another account, or a guess, fails.
    if (!ctx.cipher.matches(req.params.secret ?? '', found.applicationTokenHash)) {
      throw new HttpError(401, 'bad_secret', `The URL secret is not the one of account ${parsed.accountId}`);
    }

    const results = await Promise.all(
      parsed.events.map((event) =>
        writer.write({ portalId: found.portalId, dedupeKey: event.dedupeKey, eventName: event.hostEventName, entityId: event.entityId, payload: payloadOf(event) }),
      ),
    );
    const accepted = results.filter((r) => r === 'accepted').length;
    res.json({ status: 'ok', accepted, duplicates: results.length - accepted });
  });

  return router;
}

/** What the event job reads: the normalized kind and fields; the account and key live in columns. */
function payloadOf(event: AmoHostEvent): Record<string, unknown> {
  const { accountId: _a, dedupeKey: _d, hostEventName: _n, ...host } = event;
  return { kind: event.kind, host, occurredAt: event.occurredAt };
}

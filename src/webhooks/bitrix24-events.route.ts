import express, { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { PortalLookupCache } from '../portals/portal-lookup-cache.js';
import { QUEUES } from '../queue/queue-policies.js';
import { BITRIX24_EVENT_MAX_BYTES, parseBitrix24Event } from './bitrix24/bitrix24-event.parser.js';
import { toHostEvent } from './bitrix24/bitrix24-host-event.mapper.js';
import type { Bitrix24Event } from './bitrix24/bitrix24-event.types.js';
import { InboxWriter } from './inbox-writer.js';

export interface EventJobData {
  portalId: string;
  /** The inbox row's dedupe key (its id is not known before the one-statement insert). */
  dedupeKey: string;
}

/**
 * Bitrix24 events in. Four steps and nothing else: parse, verify, inbox row + job in one
 * transaction, answer. Bitrix24 never resends an event, and slows down a slow handler, so nothing
 * here calls the host or evaluates rules.
 */
export function bitrix24EventsRouter(ctx: AppContext, path: string): Router {
  const lookup = new PortalLookupCache(ctx.db);
  const writer = new InboxWriter(ctx.db, ctx.queue, QUEUES.event.name);
  const router = Router();

  router.post(path, express.text({ type: () => true, limit: BITRIX24_EVENT_MAX_BYTES }), async (req, res) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const parsed = parseBitrix24Event(raw);
    if (!parsed.ok) throw new HttpError(400, 'malformed_event', parsed.reason);
    const event = parsed.event;

    const found = await lookup.get('bitrix24', event.memberId);
    if (!found || found.status === 'uninstalled') throw new HttpError(401, 'unknown_portal', 'No installed portal has this member_id');
    const portal = { id: found.portalId };

    const tokenOk = ctx.cipher.matches(event.applicationToken, found.applicationTokenHash);
    // ONAPPUPDATE brings a new application_token (api-reference/common/events/on-app-update.md), so
    // it cannot match; it is accepted only with an access token, which the job checks against the
    // portal's own REST endpoint before the new application token is trusted.
    const unverifiedUpdate = !tokenOk && event.name === 'ONAPPUPDATE' && Boolean(event.auth.accessToken);
    if (!tokenOk && !unverifiedUpdate) throw new HttpError(401, 'bad_application_token', 'auth[application_token] does not match this portal');

    const host = toHostEvent(event);
    const payload = {
      kind: host.kind,
      host: hostFields(host),
      name: event.name,
      ts: event.ts,
      data: event.data,
      userId: event.auth.userId ?? null,
      // Tokens never rest in plaintext: the only ones we keep (to verify ONAPPUPDATE) are sealed.
      sealedAuth: unverifiedUpdate ? ctx.cipher.encrypt(JSON.stringify(authToSeal(event)), `inbox:${portal.id}:${event.dedupeKey}`) : null,
      verified: tokenOk,
    };

    const status = await writer.write({ portalId: portal.id, dedupeKey: event.dedupeKey, eventName: event.name, entityId: event.entityId, payload });
    res.json({ status });
  });

  return router;
}

function hostFields(h: ReturnType<typeof toHostEvent>): Record<string, unknown> {
  const { accountId: _a, dedupeKey: _d, ...rest } = h;
  return rest;
}

function authToSeal(e: Bitrix24Event) {
  return {
    accessToken: e.auth.accessToken,
    refreshToken: e.auth.refreshToken ?? null,
    expiresIn: e.auth.expiresIn ?? null,
    applicationToken: e.applicationToken,
  };
}

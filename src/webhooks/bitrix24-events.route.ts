import express, { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { withTransaction } from '../db/with-transaction.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { QUEUES } from '../queue/queue-policies.js';
import { BITRIX24_EVENT_MAX_BYTES, parseBitrix24Event } from './bitrix24/bitrix24-event.parser.js';
import { toHostEvent } from './bitrix24/bitrix24-host-event.mapper.js';
import type { Bitrix24Event } from './bitrix24/bitrix24-event.types.js';
import { InboxRepository } from './inbox.repository.js';

export interface EventJobData {
  portalId: string;
  inboxId: string;
}

/**
 * Bitrix24 events in. Four steps and nothing else: parse, verify, inbox row + job in one
 * transaction, answer. Bitrix24 never resends an event, and slows down a slow handler, so nothing
 * here calls the host or evaluates rules.
 */
export function bitrix24EventsRouter(ctx: AppContext, path: string): Router {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const inbox = new InboxRepository(ctx.db);
  const router = Router();

  router.post(path, express.text({ type: () => true, limit: BITRIX24_EVENT_MAX_BYTES }), async (req, res) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const parsed = parseBitrix24Event(raw);
    if (!parsed.ok) throw new HttpError(400, 'malformed_event', parsed.reason);
    const event = parsed.event;

    const portal = await portals.findByExternalId('bitrix24', event.memberId);
    if (!portal || portal.status === 'uninstalled') throw new HttpError(401, 'unknown_portal', 'No installed portal has this member_id');

    const tokenOk = await portals.applicationTokenMatches(portal.id, event.applicationToken);
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

    const inboxId = await withTransaction(ctx.db, async (tx) => {
      const id = await inbox.insert(tx, { portalId: portal.id, dedupeKey: event.dedupeKey, eventName: event.name, entityId: event.entityId, payload });
      if (id) await ctx.queue.send(QUEUES.event.name, { portalId: portal.id, inboxId: id } satisfies EventJobData, { tx, groupId: portal.id });
      return id;
    });
    res.json({ status: inboxId ? 'accepted' : 'duplicate' });
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

import express, { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import type { HostLifecycle } from '../portals/host-lifecycle.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { QUEUES } from '../queue/queue-policies.js';
import { issueSession, requireSession, sessionOf } from '../ui/session.js';
import { BITRIX24_INSTALL_MAX_BYTES, parseBitrix24InstallEvent, parseBitrix24InstallForm } from '../webhooks/bitrix24/bitrix24-install.parser.js';
import type { Bitrix24InstallAuth } from '../webhooks/bitrix24/bitrix24-event.types.js';
import { endpointAllowed } from './endpoint-policy.js';
import { installPage } from './install-page.js';
import { InstallProgress } from './install-progress.js';

/**
 * The install handler takes both shapes Bitrix24 sends: the install POST of an app with a UI
 * (AUTH_ID…, DOMAIN in the query) and the ONAPPINSTALL event (auth[...]). Either creates or updates
 * the portal and queues the set-up job; the install page then waits for it and calls
 * BX24.installFinish(), without which the portal delivers no events.
 */
export function bitrix24InstallRouter(ctx: AppContext, path: string, lifecycle: HostLifecycle): Router {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const progress = new InstallProgress(ctx.db);
  const router = Router();

  router.post(path, express.text({ type: () => true, limit: BITRIX24_INSTALL_MAX_BYTES }), async (req, res) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const isEvent = /(^|&)event=ONAPPINSTALL(&|$)/i.test(raw);
    const parsed = isEvent ? parseBitrix24InstallEvent(raw) : parseBitrix24InstallForm(raw, req.query as Record<string, string>);
    if (!parsed.ok) throw new HttpError(400, 'malformed_install', parsed.reason);
    const auth = parsed.auth;
    await checkEndpoints(auth);

    const existing = await portals.findByExternalId('bitrix24', auth.memberId);
    if (existing && existing.status !== 'uninstalled') {
      // A re-install may not move an installed portal elsewhere, and its new tokens must be
      // accepted by the portal we already know: otherwise anyone knowing a member_id could take it over.
      if (existing.domain !== auth.domain) throw new HttpError(401, 'domain_mismatch', 'This member_id is installed on another domain');
      if (!(await lifecycle.verifyAccessToken(existing, auth.accessToken))) {
        throw new HttpError(401, 'unverified_install', 'The portal did not accept the presented access token');
      }
    }
    const portal = await portals.upsertInstalled({
      host: 'bitrix24',
      externalId: auth.memberId,
      domain: auth.domain,
      locale: normalizeLocale(auth.lang),
      clientEndpoint: auth.clientEndpoint,
      serverEndpoint: auth.serverEndpoint,
      applicationToken: auth.applicationToken,
      at: ctx.now(),
      tokens: {
        accessToken: auth.accessToken,
        refreshToken: auth.refreshToken,
        expiresAt: new Date(auth.expires ? auth.expires * 1000 : ctx.now().getTime() + (auth.expiresIn ?? 3600) * 1000),
      },
    });
    await progress.reset(portal.id);
    await ctx.queue.send(QUEUES.install.name, { portalId: portal.id, reason: existing ? 'reinstall' : 'install' });
    req.log.info({ portalId: portal.id, source: auth.source }, 'bitrix24 install accepted');

    if (isEvent) {
      res.json({ status: 'accepted' });
      return;
    }
    const session = issueSession({ portalId: portal.id, userId: auth.userId ?? 'installer', role: 'admin' }, ctx.sessionSecret, 3600);
    res.setHeader('content-security-policy', `frame-ancestors https://${auth.domain} ${auth.clientEndpoint.startsWith('http://') ? new URL(auth.clientEndpoint).origin : ''}`.trim());
    res.type('html').send(installPage({ statusUrl: `${path}/status`, session, lang: normalizeLocale(auth.lang) }));
  });

  router.get(`${path}/status`, requireSession(ctx.sessionSecret), async (_req, res) => {
    res.json(await progress.get(sessionOf(res).portalId));
  });

  return router;

  async function checkEndpoints(auth: Bitrix24InstallAuth): Promise<void> {
    const insecureOk = ctx.config.ALLOW_INSECURE_LOOPBACK_HOSTS;
    if (!endpointAllowed(auth.clientEndpoint, insecureOk)) throw new HttpError(400, 'endpoint_refused', `client endpoint ${auth.clientEndpoint} is not an allowed https URL`);
    if (!endpointAllowed(auth.serverEndpoint, insecureOk)) throw new HttpError(400, 'endpoint_refused', `server endpoint ${auth.serverEndpoint} is not an allowed https URL`);
    if (new URL(auth.clientEndpoint).host !== auth.domain) throw new HttpError(400, 'endpoint_refused', 'client endpoint does not belong to the portal domain');
  }
}

export function normalizeLocale(lang: string | null | undefined): 'ru' | 'en' | 'pl' {
  const l = (lang ?? '').toLowerCase();
  if (l === 'en' || l === 'pl') return l;
  if (l === 'ru' || l === 'ua' || l === 'by' || l === 'kz') return 'ru';
  return l ? 'en' : 'ru';
}

import { Router, type Request } from 'express';
import type { AppContext } from '../app/app-context.js';
import type { AmoAccountInfo } from '../connectors/amocrm/amocrm-account.js';
import { parseAmoInstallRedirect, type AmoOAuthClient, type AmoTokenGrant } from '../connectors/amocrm/amocrm-oauth.js';
import { HostApiError } from '../connectors/host-api-error.js';
import { HttpError } from '../http/http-errors.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { QUEUES } from '../queue/queue-policies.js';
import { issueSession, requireSession, sessionOf } from '../ui/session.js';
import { mintAmoInstallState, verifyAmoInstallState } from './amocrm-install-state.js';
import { amocrmInstallPage } from './amocrm-install-page.js';
import { AMO_WEBHOOK_NONCE_SETTING, newAmoWebhookNonce } from './amocrm-webhook-secret.js';
import { InstallProgress } from './install-progress.js';

export interface AmoIntegrationKeys {
  clientId: string;
  clientSecret: string;
}

export interface AmocrmInstallDeps {
  /** Null when AMOCRM_CLIENT_ID / AMOCRM_CLIENT_SECRET are not configured. */
  integration: AmoIntegrationKeys | null;
  oauth: Pick<AmoOAuthClient, 'exchangeCode'>;
  /** GET /api/v4/account with a token we were just given (no portal, no stored tokens yet). */
  readAccount(baseUrl: string, accessToken: string): Promise<AmoAccountInfo>;
}

/** amoCRM's consent page, per platform (oauth-20 "Authorize URL"). */
const AUTHORIZE_URLS = { amocrm: 'https://www.amocrm.ru/oauth', kommo: 'https://www.kommo.com/oauth' } as const;

/**
 * The OAuth redirect: `?code&state&referer&client_id` (oauth-20). The code lives 20 minutes and
 * works once, so it is exchanged here, in the request, not in a queued job; then the account is
 * read with the new token (the account id comes from amoCRM, never from the URL), the portal is
 * created or updated with its tokens sealed, and the set-up job is queued. Everything slow or
 * repeatable (webhooks, pipelines, goal field, history) happens in that job.
 */
export function amocrmInstallRouter(ctx: AppContext, path: string, deps: AmocrmInstallDeps): Router {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const progress = new InstallProgress(ctx.db);
  const router = Router();

  // The "Install" button of our own site: a state we can check on the way back.
  router.get(`${path}/start`, (req, res) => {
    const integration = requireIntegration(deps);
    const platform = req.query.platform === 'kommo' ? 'kommo' : 'amocrm';
    const url = new URL(AUTHORIZE_URLS[platform]);
    url.searchParams.set('client_id', integration.clientId);
    url.searchParams.set('state', mintAmoInstallState(ctx.sessionSecret, ctx.now()));
    res.redirect(302, url.toString());
  });

  router.get(path, async (req, res) => {
    const integration = requireIntegration(deps);
    const redirect = parseAmoInstallRedirect(req.query as Record<string, unknown>, {
      clientId: integration.clientId,
      allowInsecureLoopback: ctx.config.ALLOW_INSECURE_LOOPBACK_HOSTS,
    });
    if (!redirect.ok) throw new HttpError(400, redirect.reason, redirect.detail);
    if (redirect.state !== null && !redirect.fromWidget && !verifyAmoInstallState(redirect.state, ctx.sessionSecret, ctx.now())) {
      throw new HttpError(400, 'state_mismatch', 'The state is not one Stageguard issued, or it has expired: start the installation again');
    }

    const grant = await exchange(redirect.baseUrl, redirect.code);
    const account = await hostCall('read the account', () => deps.readAccount(redirect.baseUrl, grant.accessToken));
    const existing = await portals.findByExternalId('amocrm', account.id);
    const portal = await portals.upsertInstalled({
      host: 'amocrm',
      externalId: account.id,
      domain: redirect.domain,
      locale: amoLocale(redirect.domain),
      clientEndpoint: null,
      serverEndpoint: null,
      // The webhook secret's digest is stored by the set-up job, when the URL carrying it is registered.
      applicationToken: null,
      tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: grant.expiresAt },
      at: ctx.now(),
    });
    await portals.updateSettings(portal.id, {
      [AMO_WEBHOOK_NONCE_SETTING]: newAmoWebhookNonce(),
      subdomain: account.subdomain,
      currency: account.currency,
      installedBy: account.currentUserId,
    });
    await progress.reset(portal.id);
    const reinstall = existing !== null && existing.status !== 'uninstalled';
    await ctx.queue.send(QUEUES.install.name, { portalId: portal.id, reason: reinstall ? 'reinstall' : 'install' });
    req.log.info({ portalId: portal.id, accountId: account.id, fromWidget: redirect.fromWidget, reinstall }, 'amocrm install accepted');

    if (wantsJson(req)) {
      res.json({ status: 'accepted', portalId: portal.id });
      return;
    }
    const session = issueSession({ portalId: portal.id, userId: account.currentUserId ?? 'installer', role: 'admin' }, ctx.sessionSecret, 3600);
    res.type('html').send(amocrmInstallPage({ statusUrl: `${path}/status`, session, lang: portal.locale === 'en' ? 'en' : 'ru' }));
  });

  router.get(`${path}/status`, requireSession(ctx.sessionSecret), async (_req, res) => {
    res.json(await progress.get(sessionOf(res).portalId));
  });

  return router;

  async function exchange(baseUrl: string, code: string): Promise<AmoTokenGrant> {
    try {
      return await deps.oauth.exchangeCode(baseUrl, code);
    } catch (err) {
      // "Authorization code has expired" / "has been revoked": only a new consent helps.
      if (err instanceof HostApiError && err.code === 'AUTH_REVOKED') {
        throw new HttpError(400, 'code_refused', `amoCRM refused the authorization code (it works once, for 20 minutes): ${err.message}`);
      }
      throw unavailable('exchange the code', err);
    }
  }

  async function hostCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw unavailable(what, err);
    }
  }
}

export function requireIntegration(deps: { integration: AmoIntegrationKeys | null }): AmoIntegrationKeys {
  if (!deps.integration) throw new HttpError(503, 'amocrm_not_configured', 'AMOCRM_CLIENT_ID and AMOCRM_CLIENT_SECRET are not set');
  return deps.integration;
}

function unavailable(what: string, err: unknown): HttpError {
  const message = err instanceof Error ? err.message : String(err);
  return new HttpError(502, 'host_unavailable', `Could not ${what} on amoCRM: ${message}`);
}

/** amocrm.ru accounts speak Russian; amocrm.com and Kommo are the international editions. */
function amoLocale(domain: string): 'ru' | 'en' {
  return /\.(kommo|amocrm)\.com$/.test(domain) ? 'en' : 'ru';
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

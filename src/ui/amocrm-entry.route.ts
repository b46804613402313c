import express, { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { AmoDisposableTokenVerifier } from '../connectors/amocrm/amocrm-disposable-token.js';
import { HttpError } from '../http/http-errors.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { PostgresJtiStore } from '../portals/postgres-jti-store.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import { sendAppPage, type AppPage } from './app-page.js';
import { issueSession, type SessionRole } from './session.js';

/** Widget location → the page it shows. */
const PAGE_OF: Record<string, AppPage> = { 'lcard-1': 'deal', settings: 'rules', advanced_settings: 'dashboard' };

/**
 * The amoCRM widget's pages. The widget posts its disposable token (from $authorizedAjax, the
 * `X-Auth-Token` header, or a `token` form field when it targets an iframe with a form) to the page
 * of its location; the token is verified (HS256 with our client secret, audience, time, our client
 * uuid, used once) before a session for that one account, user and role is issued.
 */
export function amocrmEntryRouter(ctx: AppContext, pages: Record<string, string>): Router {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const rules = new RulesConfigRepository(ctx.db);
  const verifier = new AmoDisposableTokenVerifier({
    clientId: ctx.config.AMOCRM_CLIENT_ID ?? '',
    clientSecret: ctx.config.AMOCRM_CLIENT_SECRET ?? '',
    audience: new URL(ctx.config.publicUrl).origin,
    jtiStore: new PostgresJtiStore(ctx.db),
    allowInsecureLoopback: ctx.config.ALLOW_INSECURE_LOOPBACK_HOSTS,
  });
  const router = Router();
  for (const [location, path] of Object.entries(pages)) {
    const page = PAGE_OF[location];
    if (!page) continue;
    router.post(path, express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
      if (!ctx.config.AMOCRM_CLIENT_SECRET) throw new HttpError(503, 'amocrm_not_configured', 'AMOCRM_CLIENT_ID/AMOCRM_CLIENT_SECRET are not set');
      const header = req.headers['x-auth-token'];
      const token = typeof header === 'string' ? header : typeof req.body?.token === 'string' ? req.body.token : null;
      const verdict = await verifier.verify(token);
      if (!verdict.ok) throw new HttpError(401, `widget_token_${verdict.reason}`, verdict.message);
      const { accountId, userId, isAdmin, issuer } = verdict.identity;
      const portal = await portals.findByExternalId('amocrm', accountId);
      if (!portal || portal.status === 'uninstalled') throw new HttpError(401, 'unknown_account', 'This account has not installed Stageguard');
      const active = await rules.active(portal.id);
      const role: SessionRole = isAdmin ? 'admin' : active?.config.headsOfSales.includes(userId) ? 'head' : 'manager';
      const session = issueSession({ portalId: portal.id, userId, role }, ctx.sessionSecret, 3600);
      const leadId = typeof req.body?.leadId === 'string' ? req.body.leadId : typeof req.query.leadId === 'string' ? req.query.leadId : undefined;
      sendAppPage(res, {
        page: page === 'rules' && role !== 'admin' ? 'violations' : page,
        session,
        locale: portal.locale,
        // The account's own origin (the token's issuer): nobody else may frame the page.
        frameAncestors: [new URL(issuer).origin],
        placementOptions: leadId ? { dealId: leadId } : undefined,
      });
    });
  }
  return router;
}

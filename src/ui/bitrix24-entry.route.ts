import express, { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import { BITRIX24_INSTALL_MAX_BYTES, parseBitrix24InstallForm } from '../webhooks/bitrix24/bitrix24-install.parser.js';
import { sendAppPage, type AppPage } from './app-page.js';
import { issueSession, type SessionRole } from './session.js';

export interface PageUserCheck {
  (ctx: AppContext, portal: import('../portals/portal.js').Portal, accessToken: string): Promise<{ id: string; name: string; isAdmin: boolean }>;
}

/**
 * The Bitrix24 entry points: the app page (left menu) and the deal tab. Bitrix24 POSTs the frame with
 * AUTH_ID, member_id, PLACEMENT and PLACEMENT_OPTIONS; the token is checked with the portal before a
 * session is issued for that one portal, user and role. The session travels in the page, never as a
 * cookie, and the page may be framed only by the portal's own origin.
 */
export function bitrix24EntryRouter(ctx: AppContext, paths: { app: string; dealTab: string }, checkUser: PageUserCheck): Router {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const rules = new RulesConfigRepository(ctx.db);
  const router = Router();
  const body = express.text({ type: () => true, limit: BITRIX24_INSTALL_MAX_BYTES });

  const open = (defaultPage: AppPage) =>
    async (req: express.Request, res: express.Response) => {
      const parsed = parseBitrix24InstallForm(typeof req.body === 'string' ? req.body : '', req.query as Record<string, string>);
      if (!parsed.ok) throw new HttpError(400, 'malformed_frame_post', parsed.reason);
      const auth = parsed.auth;
      const portal = await portals.findByExternalId('bitrix24', auth.memberId);
      if (!portal || portal.status === 'uninstalled') throw new HttpError(401, 'unknown_portal', 'No installed portal has this member_id');
      if (portal.domain !== auth.domain) throw new HttpError(401, 'domain_mismatch', 'The frame does not come from this portal');
      let user;
      try {
        user = await checkUser(ctx, portal, auth.accessToken);
      } catch {
        throw new HttpError(401, 'unverified_user', 'The portal did not accept the presented AUTH_ID');
      }
      const active = await rules.active(portal.id);
      const role: SessionRole = user.isAdmin ? 'admin' : active?.config.headsOfSales.includes(user.id) ? 'head' : 'manager';
      const session = issueSession({ portalId: portal.id, userId: user.id, userName: user.name, role }, ctx.sessionSecret, 3600);
      const requested = typeof req.query.page === 'string' ? req.query.page : null;
      const page: AppPage = defaultPage === 'deal' ? 'deal' : requested === 'rules' || requested === 'violations' || requested === 'install' ? requested : role === 'manager' ? 'violations' : 'dashboard';
      const origin = new URL(portal.clientEndpoint ?? `https://${portal.domain}/`).origin;
      sendAppPage(res, { page, session, locale: auth.lang ?? portal.locale, frameAncestors: [origin], placementOptions: auth.placementOptions ?? undefined });
    };

  router.post(paths.app, body, open('dashboard'));
  router.post(paths.dealTab, body, open('deal'));
  return router;
}

import { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { APP_PAGES, sendAppPage, type AppPage } from './app-page.js';
import { verifySession } from './session.js';

export interface DevEntryOptions {
  /** Origins allowed to frame dev pages: the test's stand-in for the portal. */
  frameAncestors: string[];
}

/**
 * GET /app/dev/:page?session=<jwt>[&locale=][&dealId=] — opens a page without a host, for the browser
 * tests and local work. It takes the session from the URL, which production must never do (URLs end
 * up in logs and history), so it exists only when uiFeature is given devEntry explicitly.
 */
export function devEntryRouter(ctx: AppContext, opts: DevEntryOptions): Router {
  const router = Router();
  router.get('/dev/:page', (req, res) => {
    const page = req.params.page as AppPage;
    if (!APP_PAGES.includes(page)) throw new HttpError(404, 'not_found', `No app page "${req.params.page}"`);
    const session = typeof req.query.session === 'string' ? req.query.session : '';
    try {
      verifySession(session, ctx.sessionSecret);
    } catch (err) {
      throw new HttpError(401, 'bad_session', `Session token refused: ${err instanceof Error ? err.message : 'invalid'}`);
    }
    const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const dealId = q('dealId');
    sendAppPage(res, {
      page,
      session,
      locale: q('locale') ?? 'ru',
      frameAncestors: opts.frameAncestors,
      placementOptions: dealId ? { ID: dealId } : undefined,
    });
  });
  return router;
}

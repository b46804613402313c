import type { Feature } from '../app/app-context.js';
import { devEntryRouter, type DevEntryOptions } from './dev-entry.route.js';
import { uiApiRouter } from './ui-api.routes.js';
import { uiAssetsRouter } from './ui-assets.router.js';

export interface UiFeatureOptions {
  /** Tests and local work only: pages opened by GET with the session in the URL. Off unless given. */
  devEntry?: DevEntryOptions;
}

/**
 * The embedded app: its static assets under /app, and the small API the pages need under /api. The
 * pages themselves are rendered by the host entry routes (renderAppPage / sendAppPage), which check
 * the host's credentials first.
 */
export function uiFeature(opts: UiFeatureOptions = {}): Feature {
  return {
    name: 'ui',
    routes: (ctx) => [
      { path: '/app', router: uiAssetsRouter() },
      ...(opts.devEntry ? [{ path: '/app', router: devEntryRouter(ctx, opts.devEntry) }] : []),
      { path: '/api', router: uiApiRouter(ctx) },
    ],
  };
}

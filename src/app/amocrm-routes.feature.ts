import { amocrmDisableHookRouter } from '../install/amocrm-disable-hook.route.js';
import { amocrmInstallRouter } from '../install/amocrm-install.route.js';
import { loadManifest } from '../manifest/manifest.js';
import { amocrmEntryRouter } from '../ui/amocrm-entry.route.js';
import { amocrmWebhooksRouter } from '../webhooks/amocrm-webhooks.route.js';
import type { AppContext, Feature } from './app-context.js';
import { amocrmDisableHookDeps, amocrmInstallDeps } from './amocrm-wiring.js';

/** amoCRM-facing routes, mounted at the paths manifest.json declares (declared once, there). */
export function amocrmRoutesFeature(): Feature {
  return {
    name: 'amocrm-routes',
    highVolumePaths: [loadManifest().amocrm.handlers.webhooks],
    routes: (ctx: AppContext) => {
      const m = loadManifest().amocrm.handlers;
      return [
        { path: '/', router: amocrmWebhooksRouter(ctx, m.webhooks) },
        { path: '/', router: amocrmInstallRouter(ctx, m.oauthRedirect, amocrmInstallDeps(ctx)) },
        { path: '/', router: amocrmDisableHookRouter(ctx, m.disableHook, amocrmDisableHookDeps(ctx)) },
        { path: '/', router: amocrmEntryRouter(ctx, loadManifest().amocrm.widget.pages) },
      ];
    },
  };
}

import { bitrix24InstallRouter } from '../install/bitrix24-install.route.js';
import { loadManifest } from '../manifest/manifest.js';
import { bitrix24EntryRouter } from '../ui/bitrix24-entry.route.js';
import { bitrix24PageUser } from './bitrix24-wiring.js';
import type { HostLifecycle } from '../portals/host-lifecycle.js';
import { bitrix24EventsRouter } from '../webhooks/bitrix24-events.route.js';
import type { AppContext, Feature } from './app-context.js';

/** Bitrix24-facing routes, mounted at the paths manifest.json declares (declared once, there). */
export function bitrix24RoutesFeature(lifecycle: (ctx: AppContext) => HostLifecycle): Feature {
  return {
    name: 'bitrix24-routes',
    highVolumePaths: [loadManifest().bitrix24.handlers.events],
    routes: (ctx) => {
      const m = loadManifest().bitrix24;
      return [
        { path: '/', router: bitrix24EventsRouter(ctx, m.handlers.events) },
        { path: '/', router: bitrix24InstallRouter(ctx, m.handlers.install, lifecycle(ctx)) },
        {
          path: '/',
          router: bitrix24EntryRouter(
            ctx,
            { app: m.handlers.app, dealTab: m.placements.find((p) => p.code === 'CRM_DEAL_DETAIL_TAB')!.handler },
            bitrix24PageUser,
          ),
        },
      ];
    },
  };
}

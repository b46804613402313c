import type { ActionFaults } from '../actions/action.job.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { deadLetterFeature } from '../queue/dead-letter.feature.js';
import type { AppContext, Feature } from './app-context.js';
import { amocrmConnector, amocrmLifecycleFor } from './amocrm-wiring.js';
import { amocrmRoutesFeature } from './amocrm-routes.feature.js';
import { bitrix24Connector, bitrix24LifecycleFor } from './bitrix24-wiring.js';
import { bitrix24RoutesFeature } from './bitrix24-routes.feature.js';
import { coreFeature } from './core.feature.js';
import { reportsRouter } from '../reports/reports.routes.js';
import { uiFeature, type UiFeatureOptions } from '../ui/ui.feature.js';

export interface FeatureOptions {
  /** Tests only: fault injection in the action executor. */
  actionFaults?: ActionFaults;
  ui?: UiFeatureOptions;
}

/** Every feature of the service, in one list: the composition root. */
export function allFeatures(opts: FeatureOptions = {}): Feature[] {
  // The only place that lists the hosts: each brings a connector, a lifecycle and its routes.
  const registry = (ctx: AppContext) =>
    new ConnectorRegistry({
      bitrix24: (portal) => bitrix24Connector(ctx, portal),
      amocrm: (portal) => amocrmConnector(ctx, portal),
    });
  const lifecycles = (ctx: AppContext) => ({ bitrix24: bitrix24LifecycleFor(ctx), amocrm: amocrmLifecycleFor(ctx) });
  return [
    deadLetterFeature,
    bitrix24RoutesFeature((ctx) => bitrix24LifecycleFor(ctx)),
    amocrmRoutesFeature(),
    coreFeature({ registry, lifecycles, actionFaults: opts.actionFaults, apiRouters: [reportsRouter] }),
    uiFeature(opts.ui),
  ];
}

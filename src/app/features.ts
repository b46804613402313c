import type { ActionFaults } from '../actions/action.job.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { deadLetterFeature } from '../queue/dead-letter.feature.js';
import type { Feature } from './app-context.js';
import { bitrix24Connector, bitrix24LifecycleFor } from './bitrix24-wiring.js';
import { bitrix24RoutesFeature } from './bitrix24-routes.feature.js';
import { coreFeature } from './core.feature.js';

export interface FeatureOptions {
  /** Tests only: fault injection in the action executor. */
  actionFaults?: ActionFaults;
}

/** Every feature of the service, in one list: the composition root. */
export function allFeatures(opts: FeatureOptions = {}): Feature[] {
  return [
    deadLetterFeature,
    bitrix24RoutesFeature((ctx) => bitrix24LifecycleFor(ctx)),
    coreFeature({
      registry: (ctx) => new ConnectorRegistry({ bitrix24: (portal) => bitrix24Connector(ctx, portal) }),
      lifecycles: (ctx) => ({ bitrix24: bitrix24LifecycleFor(ctx) }),
      actionFaults: opts.actionFaults,
    }),
  ];
}

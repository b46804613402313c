import type { HostKind } from '../domain/crm.js';
import type { Portal } from '../portals/portal.js';
import type { CrmConnector } from './crm-connector.js';

export type ConnectorBuilder = (portal: Portal) => CrmConnector;

/** The one place that picks a host's connector; everything else holds a CrmConnector. */
export class ConnectorRegistry {
  constructor(private readonly builders: Partial<Record<HostKind, ConnectorBuilder>>) {}

  forPortal(portal: Portal): CrmConnector {
    const build = this.builders[portal.host];
    if (!build) throw new Error(`No connector for host ${portal.host}`);
    return build(portal);
  }
}

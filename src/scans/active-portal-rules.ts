import type { Portal } from '../portals/portal.js';
import type { PortalRepository } from '../portals/portal.repository.js';
import type { RulesConfig } from '../rules/index.js';
import type { RulesConfigRepository } from '../rules-store/rules-config.repository.js';

/** What a scheduled per-portal job works on: an active portal with rules saved; null means nothing to do. */
export async function activePortalWithRules(
  portals: PortalRepository,
  rules: RulesConfigRepository,
  portalId: string,
): Promise<{ portal: Portal; config: RulesConfig } | null> {
  const portal = await portals.get(portalId);
  if (!portal || portal.status !== 'active') return null;
  const active = await rules.active(portal.id);
  return active ? { portal, config: active.config } : null;
}

import { Bitrix24Client } from '../connectors/bitrix24/bitrix24-client.js';
import type { Bitrix24MetricsList } from '../connectors/bitrix24/bitrix24-metrics-list.js';
import { Bitrix24Connector } from '../connectors/bitrix24/bitrix24.connector.js';
import { HostApiError } from '../connectors/host-api-error.js';
import { endpointAllowed } from '../install/endpoint-policy.js';
import { loadManifest } from '../manifest/manifest.js';
import { bitrix24Lifecycle } from '../portals/bitrix24-lifecycle.js';
import type { HostLifecycle } from '../portals/host-lifecycle.js';
import type { Portal } from '../portals/portal.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { PostgresTokenStore } from '../portals/postgres-token-store.js';
import { PostgresRateBudget } from '../portals/rate-budget.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import type { AppContext } from './app-context.js';
import { goalFieldItems } from './goal-field-items.js';

// Our bucket stays a little under the host's (limits.md: 50 burst / 2 per s; Enterprise 250 / 5),
// so the host's own QUERY_LIMIT_EXCEEDED stays the exception it should be.
const BUDGETS = { standard: { capacity: 45, drainPerSec: 2 }, enterprise: { capacity: 240, drainPerSec: 5 } };

function client(ctx: AppContext, portal: Portal, tokens: ConstructorParameters<typeof Bitrix24Client>[0]['tokens']): Bitrix24Client {
  if (!portal.clientEndpoint || !portal.serverEndpoint) throw new HostApiError('AUTH_REVOKED', 'portal has no endpoints: reinstall needed');
  for (const url of [portal.clientEndpoint, portal.serverEndpoint]) {
    if (!endpointAllowed(url, ctx.config.ALLOW_INSECURE_LOOPBACK_HOSTS)) throw new HostApiError('VALIDATION', `endpoint ${url} is not allowed`);
  }
  const plan = portal.settings.plan === 'enterprise' ? 'enterprise' : 'standard';
  return new Bitrix24Client({
    memberId: portal.externalId,
    domain: portal.domain,
    clientEndpoint: portal.clientEndpoint,
    serverEndpoint: portal.serverEndpoint,
    clientId: ctx.config.BITRIX24_CLIENT_ID ?? '',
    clientSecret: ctx.config.BITRIX24_CLIENT_SECRET ?? '',
    tokens,
    budget: new PostgresRateBudget(ctx.db, portal.id, BUDGETS[plan]),
    allowInsecureLoopback: ctx.config.ALLOW_INSECURE_LOOPBACK_HOSTS,
    onCall: (_method, outcome) => ctx.metrics.hostCalls.inc({ host: 'bitrix24', outcome }),
  });
}

export function bitrix24Connector(ctx: AppContext, portal: Portal): Bitrix24Connector {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  return new Bitrix24Connector(client(ctx, portal, new PostgresTokenStore(ctx.db, portals, portal.id)), {
    goalFieldName: typeof portal.settings.goalFieldName === 'string' ? portal.settings.goalFieldName : null,
    goalEnum: (portal.settings.goalEnum as Record<string, string>) ?? {},
    metricsList: (portal.settings.metricsRecordStore as Bitrix24MetricsList | null | undefined) ?? null,
  });
}

export function bitrix24LifecycleFor(ctx: AppContext): HostLifecycle {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const rules = new RulesConfigRepository(ctx.db);
  return bitrix24Lifecycle({
    db: ctx.db,
    portals,
    manifest: loadManifest(),
    publicUrl: ctx.config.publicUrl,
    opsFor: (portal) => bitrix24Connector(ctx, portal),
    opsWithToken: (portal, accessToken) => {
      // A presented token only: no refresh, nothing stored.
      const fixed = {
        load: async () => ({ accessToken, refreshToken: '', expiresAt: new Date(Date.now() + 60_000) }),
        refreshExclusive: async () => {
          throw new HostApiError('AUTH_REVOKED', 'presented token rejected');
        },
      };
      return new Bitrix24Connector(client(ctx, portal, fixed), { goalFieldName: null, goalEnum: {} });
    },
    goalItems: (portal) => goalFieldItems(rules, portal),
    onMetricsListRefused: (portal, err) => ctx.log.warn({ portalId: portal.id, err: err.message }, 'metrics list not made: the installing user may not create lists'),
  });
}

/**
 * Who opened an app page: the AUTH_ID the frame POST carries is checked against the portal we
 * already know (its stored endpoint, not one from the request), never trusted as sent
 * (settings/cloud-and-on-premise/security-recommendations.md).
 */
export async function bitrix24PageUser(ctx: AppContext, portal: Portal, accessToken: string): Promise<{ id: string; name: string; isAdmin: boolean }> {
  const fixed = {
    load: async () => ({ accessToken, refreshToken: '', expiresAt: new Date(Date.now() + 60_000) }),
    refreshExclusive: async () => {
      throw new HostApiError('AUTH_REVOKED', 'presented token rejected');
    },
  };
  const c = client(ctx, portal, fixed);
  const user = await c.call<Record<string, unknown>>('user.current');
  const isAdmin = await c.call<boolean>('user.admin').catch(() => false);
  const name = [user.NAME, user.LAST_NAME].filter((x) => typeof x === 'string' && x).join(' ') || String(user.EMAIL ?? user.ID);
  return { id: String(user.ID), name, isAdmin: isAdmin === true };
}

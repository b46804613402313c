import axios, { type AxiosInstance } from 'axios';
import type { AmoAccountInfo } from '../connectors/amocrm/amocrm-account.js';
import { amoBaseDomain } from '../connectors/amocrm/amocrm-base-domain.js';
import type { AmoGoalField } from '../connectors/amocrm/amocrm-lead.mapper.js';
import { AmoOAuthClient } from '../connectors/amocrm/amocrm-oauth.js';
import { InMemoryAmoRateBudget } from '../connectors/amocrm/amocrm-ports.memory.js';
import type { AmoRateBudget, AmoTokenStore } from '../connectors/amocrm/amocrm-ports.js';
import { AmoCrmConnector } from '../connectors/amocrm/amocrm.connector.js';
import { HostApiError } from '../connectors/host-api-error.js';
import type { AmocrmInstallDeps } from '../install/amocrm-install.route.js';
import { AMO_WEBHOOK_NONCE_SETTING, amoWebhookSecret, amoWebhookUrl, amoWebhookUrlPrefix } from '../install/amocrm-webhook-secret.js';
import { loadManifest } from '../manifest/manifest.js';
import { amocrmLifecycle } from '../portals/amocrm-lifecycle.js';
import type { HostLifecycle } from '../portals/host-lifecycle.js';
import type { Portal } from '../portals/portal.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { PostgresTokenStore } from '../portals/postgres-token-store.js';
import { PostgresRateBudget } from '../portals/rate-budget.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import type { AppContext } from './app-context.js';
import { goalFieldItems } from './goal-field-items.js';

// "Not more than 7 requests per second" per integration (docs/limitations), counted in windows the
// docs do not describe: a bucket of 1 draining 6/s lets at most 7 through in ANY one-second
// window. The looser 7/s settings drew 429s from the sandbox. Shared by every worker (Postgres).
const AMO_BUDGET = { capacity: 1, drainPerSec: 6 };

export function amocrmRedirectUri(ctx: AppContext): string {
  return ctx.config.AMOCRM_REDIRECT_URI ?? `${ctx.config.publicUrl}${loadManifest().amocrm.handlers.oauthRedirect}`;
}

function integration(ctx: AppContext): { clientId: string; clientSecret: string } | null {
  const { AMOCRM_CLIENT_ID: clientId, AMOCRM_CLIENT_SECRET: clientSecret } = ctx.config;
  return clientId && clientSecret ? { clientId, clientSecret } : null;
}

function oauth(ctx: AppContext): AmoOAuthClient {
  return new AmoOAuthClient({
    clientId: ctx.config.AMOCRM_CLIENT_ID ?? '',
    clientSecret: ctx.config.AMOCRM_CLIENT_SECRET ?? '',
    redirectUri: amocrmRedirectUri(ctx),
    http: countedHttp(ctx),
    now: ctx.now,
  });
}

/** Every request to amoCRM shows in stageguard_host_calls_total. */
function countedHttp(ctx: AppContext): AxiosInstance {
  const http = axios.create();
  http.interceptors.response.use(
    (response) => {
      ctx.metrics.hostCalls.inc({ host: 'amocrm', outcome: response.status < 400 ? 'ok' : 'error' });
      return response;
    },
    (err: unknown) => {
      ctx.metrics.hostCalls.inc({ host: 'amocrm', outcome: 'error' });
      return Promise.reject(err);
    },
  );
  return http;
}

/** `portal.domain` is the install's referer, re-checked on every use: tokens go nowhere else. */
function baseUrlOf(ctx: AppContext, domain: string): string {
  const base = amoBaseDomain(domain, { allowInsecureLoopback: ctx.config.ALLOW_INSECURE_LOOPBACK_HOSTS });
  if (!base.ok) throw new HostApiError('VALIDATION', `account domain refused: ${base.reason}`, null, 'BAD_DOMAIN');
  return base.baseUrl;
}

interface ConnectorTarget {
  baseUrl: string;
  tokens: AmoTokenStore;
  budget: AmoRateBudget;
  /** The portal's settings as install left them: goal field and account currency. */
  settings?: Record<string, unknown>;
}

function connectorAt(ctx: AppContext, t: ConnectorTarget): AmoCrmConnector {
  const goalField = t.settings?.goalField as AmoGoalField | undefined;
  return new AmoCrmConnector({
    baseUrl: t.baseUrl,
    clientId: ctx.config.AMOCRM_CLIENT_ID ?? '',
    tokens: t.tokens,
    budget: t.budget,
    oauth: oauth(ctx),
    http: countedHttp(ctx),
    goalField: goalField && typeof goalField.fieldId === 'number' ? goalField : null,
    currency: typeof t.settings?.currency === 'string' ? t.settings.currency : null,
  });
}

function portalBudget(ctx: AppContext, portal: Portal): AmoRateBudget {
  return new PostgresRateBudget(ctx.db, portal.id, AMO_BUDGET);
}

/** The connector with the portal's stored tokens (refreshed under the portal row's lock). */
export function amocrmConnector(ctx: AppContext, portal: Portal): AmoCrmConnector {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const store = new PostgresTokenStore(ctx.db, portals, portal.id);
  const tokens: AmoTokenStore = { load: () => portals.loadTokens(portal.id), refreshExclusive: (fn) => store.refreshExclusive(fn) };
  return connectorAt(ctx, { baseUrl: baseUrlOf(ctx, portal.domain), tokens, budget: portalBudget(ctx, portal), settings: portal.settings });
}

/**
 * A presented token only: no refresh, nothing stored. Its expiry is set well past the client's
 * refresh-ahead margin, so the client uses it as given and a refusal is final.
 */
function fixedToken(accessToken: string): AmoTokenStore {
  return {
    load: async () => ({ accessToken, refreshToken: '', expiresAt: new Date(Date.now() + 3_600_000) }),
    refreshExclusive: async () => {
      throw new HostApiError('AUTH_REVOKED', 'presented token rejected', 401, 'PRESENTED_TOKEN');
    },
  };
}

export function amocrmInstallDeps(ctx: AppContext): AmocrmInstallDeps {
  return {
    integration: integration(ctx),
    oauth: oauth(ctx),
    // Before the portal exists there is no shared budget row: one request, a local budget.
    readAccount: (baseUrl: string, accessToken: string): Promise<AmoAccountInfo> =>
      connectorAt(ctx, { baseUrl, tokens: fixedToken(accessToken), budget: new InMemoryAmoRateBudget() }).account(),
  };
}

export function amocrmDisableHookDeps(ctx: AppContext): { integration: { clientId: string; clientSecret: string } | null } {
  return { integration: integration(ctx) };
}

export function amocrmLifecycleFor(ctx: AppContext): HostLifecycle {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const rules = new RulesConfigRepository(ctx.db);
  const manifest = loadManifest();
  const webhooksPath = manifest.amocrm.handlers.webhooks;
  return amocrmLifecycle({
    db: ctx.db,
    portals,
    manifest,
    opsFor: (portal) => amocrmConnector(ctx, portal),
    opsWithToken: (portal, accessToken) =>
      connectorAt(ctx, { baseUrl: baseUrlOf(ctx, portal.domain), tokens: fixedToken(accessToken), budget: portalBudget(ctx, portal) }),
    webhookFor: (portal) => {
      const nonce = portal.settings[AMO_WEBHOOK_NONCE_SETTING];
      if (typeof nonce !== 'string' || nonce === '') return null;
      const secret = amoWebhookSecret(ctx.cipher, portal.externalId, nonce);
      return { url: amoWebhookUrl(ctx.config.publicUrl, webhooksPath, secret), secret };
    },
    webhookUrlPrefix: amoWebhookUrlPrefix(ctx.config.publicUrl, webhooksPath),
    goalItems: (portal) => goalFieldItems(rules, portal),
  });
}

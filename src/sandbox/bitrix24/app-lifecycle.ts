// What the portal does around the app itself: the install/iframe POST (settings/oauth/simple-way.md —
// DOMAIN, PROTOCOL, LANG, APP_SID in the query, tokens in the form body), the ONAPPINSTALL callback,
// BX24.installFinish, an update (new application_token, bindings dropped — "when an application is
// deleted or updated, its actions will be removed", event-bind.md — and ONAPPUPDATE), and uninstall
// (ONAPPUNINSTALL without tokens, data[CLEAN], all access revoked).

import { randomBytes } from 'node:crypto';
import type { SandboxContext } from './sandbox-context.js';
import type { EventAuthRequest } from './event-dispatcher.js';
import type { DeliveryRecord } from './event-dispatcher.js';
import { buildPhpQuery } from './php-query.js';
import { randomToken } from './token-store.js';

export interface InstallPost {
  /** Query string of the POST: DOMAIN, PROTOCOL (0 = http), LANG, APP_SID. */
  query: Record<string, string>;
  /** Form body of the POST. */
  body: Record<string, string>;
}

export interface OpenAppOptions {
  /** Whose session opens the page (default: the admin, as during install). */
  userId?: number;
  /** DEFAULT for the app's own page, otherwise a placement code such as CRM_DEAL_DETAIL_TAB. */
  placement?: string;
  placementOptions?: Record<string, unknown>;
}

export function installPost(ctx: SandboxContext, options: OpenAppOptions = {}): InstallPost {
  const { portal } = ctx.state;
  const pair = ctx.tokens.issuePair(options.userId ?? 1);
  const body: Record<string, string> = {
    AUTH_ID: pair.accessToken,
    AUTH_EXPIRES: String(ctx.tokens.accessTtlSec),
    REFRESH_ID: pair.refreshToken,
    SERVER_ENDPOINT: ctx.restEndpoint(),
    APPLICATION_TOKEN: portal.applicationToken,
    APPLICATION_SCOPE: portal.scopes.join(','),
    member_id: portal.memberId,
    status: portal.status,
    PLACEMENT: options.placement ?? 'DEFAULT',
  };
  if (options.placementOptions) body.PLACEMENT_OPTIONS = JSON.stringify(options.placementOptions);
  return {
    query: { DOMAIN: portal.domain, PROTOCOL: '0', LANG: portal.languageId, APP_SID: randomBytes(16).toString('hex') },
    body,
  };
}

/** The browser opening an app page inside the portal: a form POST to the page URL. */
export async function openApplication(
  ctx: SandboxContext,
  url: string,
  options: OpenAppOptions = {},
): Promise<{ status: number; body: string; post: InstallPost }> {
  const post = installPost(ctx, options);
  const target = new URL(url);
  for (const [k, v] of Object.entries(post.query)) target.searchParams.set(k, v);
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: buildPhpQuery(post.body),
    redirect: 'manual',
  });
  return { status: response.status, body: await response.text(), post };
}

export function appAuth(ctx: SandboxContext, request: EventAuthRequest): Record<string, string | number> {
  const { portal } = ctx.state;
  const base = {
    domain: portal.domain,
    client_endpoint: ctx.restEndpoint(),
    server_endpoint: ctx.restEndpoint(),
    member_id: portal.memberId,
    application_token: portal.applicationToken,
  };
  switch (request.kind) {
    case 'uninstall':
      return { domain: base.domain, server_endpoint: base.server_endpoint, client_endpoint: base.client_endpoint, member_id: base.member_id, application_token: base.application_token };
    case 'automation':
      return { scope: request.scope, domain: base.domain, server_endpoint: base.server_endpoint, status: portal.status, client_endpoint: base.client_endpoint, member_id: base.member_id, application_token: base.application_token };
    case 'install':
    case 'update': {
      const pair = ctx.tokens.issuePair(request.userId ?? 1);
      return {
        domain: base.domain,
        scope: portal.scopes.join(','),
        access_token: pair.accessToken,
        refresh_token: pair.refreshToken,
        expires_in: ctx.tokens.accessTtlSec,
        server_endpoint: base.server_endpoint,
        status: portal.status,
        client_endpoint: base.client_endpoint,
        member_id: base.member_id,
        application_token: base.application_token,
      };
    }
    case 'user': {
      const access = ctx.tokens.issueAccess(request.userId ?? 1);
      return {
        access_token: access.token,
        expires_in: String(ctx.tokens.accessTtlSec),
        scope: request.scope,
        domain: base.domain,
        server_endpoint: base.server_endpoint,
        status: portal.status,
        client_endpoint: base.client_endpoint,
        member_id: base.member_id,
        application_token: base.application_token,
      };
    }
  }
}

export function sendInstallEvent(ctx: SandboxContext, handlerUrl: string, userId = 1): Promise<DeliveryRecord> {
  const { portal } = ctx.state;
  return ctx.events.deliverDirect(
    'ONAPPINSTALL',
    { VERSION: String(portal.appVersion), ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: portal.languageId },
    handlerUrl,
    { kind: 'install', userId, scope: portal.scopes.join(',') },
  );
}

export function updateApp(ctx: SandboxContext, version: number): void {
  const { state } = ctx;
  const previous = state.portal.appVersion;
  const listeners = state.eventBindings.filter((b) => b.event === 'ONAPPUPDATE');
  state.portal.appVersion = version;
  state.portal.applicationToken = randomToken();
  state.eventBindings = [];
  state.placements = [];
  // The update event reaches the handlers that were bound when the update happened.
  state.eventBindings = listeners;
  ctx.events.raise(
    'ONAPPUPDATE',
    { VERSION: String(version), PREVIOUS_VERSION: String(previous), LANGUAGE_ID: state.portal.languageId },
    { kind: 'update', userId: 1, scope: state.portal.scopes.join(',') },
  );
  state.eventBindings = [];
}

/**
 * The admin installs the app (again). After an uninstall that is a fresh install: a new application_token,
 * no bindings. Either way the install wizard has to call installFinish() before events flow.
 */
export function installApp(ctx: SandboxContext): InstallPost {
  if (!ctx.lifecycle.installed) {
    ctx.state.portal.applicationToken = randomToken();
    ctx.lifecycle.installed = true;
  }
  ctx.lifecycle.installFinished = false;
  return installPost(ctx);
}

export function uninstallApp(ctx: SandboxContext, clean: boolean): void {
  const { state } = ctx;
  ctx.events.raise(
    'ONAPPUNINSTALL',
    { LANGUAGE_ID: state.portal.languageId, CLEAN: clean ? 1 : 0 },
    { kind: 'uninstall', userId: null, scope: '' },
  );
  ctx.tokens.revokeAll();
  ctx.lifecycle.installed = false;
  ctx.lifecycle.installFinished = false;
  state.eventBindings = [];
  state.placements = [];
}

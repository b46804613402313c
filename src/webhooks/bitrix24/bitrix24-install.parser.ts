import { parseFormBody } from './form-body.parser.js';
import type { FormObject } from './form-body.parser.js';
import { parseBitrix24Event } from './bitrix24-event.parser.js';
import type { Bitrix24Event, Bitrix24InstallAuth } from './bitrix24-event.types.js';
import { formInt, formString, splitScope } from './form-fields.js';

/** The install POST carries no more than a handful of fields; 64 KB leaves room for PLACEMENT_OPTIONS. */
export const BITRIX24_INSTALL_MAX_BYTES = 64 * 1024;

export type Bitrix24InstallParseResult = { ok: true; auth: Bitrix24InstallAuth } | { ok: false; reason: string };

/**
 * The install wizard / app page POST (docs: settings/oauth/simple-way.md, §1.1 of the protocol notes):
 * DOMAIN, PROTOCOL, LANG (and APP_SID) in the query; AUTH_ID, AUTH_EXPIRES, REFRESH_ID,
 * SERVER_ENDPOINT, member_id, APPLICATION_TOKEN, status, PLACEMENT, PLACEMENT_OPTIONS in the body.
 * The body has no client endpoint: it is built from PROTOCOL and DOMAIN.
 */
export function parseBitrix24InstallForm(
  rawBody: string,
  query: Record<string, string | string[] | undefined> | URLSearchParams,
  maxLength: number = BITRIX24_INSTALL_MAX_BYTES,
): Bitrix24InstallParseResult {
  const parsed = parseFormBody(rawBody, { maxLength });
  if (!parsed.ok) return { ok: false, reason: `malformed body: ${parsed.error.message}` };
  const body = parsed.value;
  const q = (name: string): string | undefined => queryValue(query, name);

  const domain = normalizeDomain(q('DOMAIN'));
  if (domain === undefined) return { ok: false, reason: 'missing "DOMAIN" in the query' };
  const accessToken = formString(body.AUTH_ID);
  if (accessToken === undefined) return { ok: false, reason: 'missing "AUTH_ID"' };
  const refreshToken = formString(body.REFRESH_ID);
  if (refreshToken === undefined) return { ok: false, reason: 'missing "REFRESH_ID"' };
  const memberId = formString(body.member_id);
  if (memberId === undefined) return { ok: false, reason: 'missing "member_id"' };
  const serverEndpoint = formString(body.SERVER_ENDPOINT);
  if (serverEndpoint === undefined) return { ok: false, reason: 'missing "SERVER_ENDPOINT"' };

  // PROTOCOL: 0 = http, 1 = https. Absent means a real cloud portal, which is always https.
  const protocol = q('PROTOCOL') === '0' ? 'http' : 'https';
  const placementOptions = parsePlacementOptions(body);
  if (placementOptions === false) return { ok: false, reason: '"PLACEMENT_OPTIONS" is not a JSON object' };

  return {
    ok: true,
    auth: {
      source: 'install_form',
      memberId,
      domain,
      accessToken,
      refreshToken,
      expiresIn: formInt(body.AUTH_EXPIRES) ?? null,
      expires: null,
      clientEndpoint: `${protocol}://${domain}/rest/`,
      serverEndpoint,
      applicationToken: formString(body.APPLICATION_TOKEN) ?? null,
      scope: splitScope(formString(body.APPLICATION_SCOPE)),
      status: formString(body.status) ?? null,
      userId: null,
      lang: q('LANG') ?? null,
      placement: formString(body.PLACEMENT) ?? null,
      placementOptions,
    },
  };
}

/**
 * The ONAPPINSTALL event (docs: api-reference/common/events/on-app-install.md) as install auth.
 * Its refresh token is the one that normally arrives only here (api-reference/events/index.md).
 */
export function parseBitrix24InstallEvent(rawBody: string, maxLength?: number): Bitrix24InstallParseResult {
  const parsed = parseBitrix24Event(rawBody, maxLength);
  if (!parsed.ok) return parsed;
  return installAuthFromEvent(parsed.event);
}

export function installAuthFromEvent(event: Bitrix24Event): Bitrix24InstallParseResult {
  if (event.name !== 'ONAPPINSTALL') return { ok: false, reason: `expected ONAPPINSTALL, got ${event.name}` };
  const { auth } = event;
  if (auth.accessToken === undefined) return { ok: false, reason: 'missing "auth[access_token]"' };
  if (auth.refreshToken === undefined) return { ok: false, reason: 'missing "auth[refresh_token]"' };
  if (auth.clientEndpoint === undefined) return { ok: false, reason: 'missing "auth[client_endpoint]"' };
  if (auth.serverEndpoint === undefined) return { ok: false, reason: 'missing "auth[server_endpoint]"' };
  const domain = normalizeDomain(event.domain) ?? hostOf(auth.clientEndpoint);
  if (domain === undefined) return { ok: false, reason: 'missing "auth[domain]"' };
  const lang = event.data.LANGUAGE_ID;
  return {
    ok: true,
    auth: {
      source: 'onappinstall_event',
      memberId: event.memberId,
      domain,
      accessToken: auth.accessToken,
      refreshToken: auth.refreshToken,
      expiresIn: auth.expiresIn ?? null,
      expires: auth.expires ?? null,
      clientEndpoint: auth.clientEndpoint,
      serverEndpoint: auth.serverEndpoint,
      applicationToken: event.applicationToken,
      scope: splitScope(auth.scope),
      status: auth.status ?? null,
      userId: auth.userId ?? null,
      lang: typeof lang === 'string' && lang !== '' ? lang : null,
      placement: null,
      placementOptions: null,
    },
  };
}

function queryValue(query: Record<string, string | string[] | undefined> | URLSearchParams, name: string): string | undefined {
  const value = query instanceof URLSearchParams ? (query.get(name) ?? undefined) : query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** `https://portal.bitrix24.com/` → `portal.bitrix24.com`; keeps a port (the sandbox runs on one). */
function normalizeDomain(domain: string | undefined): string | undefined {
  if (domain === undefined) return undefined;
  const host = domain.replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  return /^[A-Za-z0-9.-]+(:\d+)?$/.test(host) ? host : undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/** PLACEMENT_OPTIONS is a JSON string (docs: api-reference/widgets/crm/detail-tab.md); false = present but bad. */
function parsePlacementOptions(body: FormObject): Record<string, unknown> | null | false {
  const raw = formString(body.PLACEMENT_OPTIONS);
  if (raw === undefined) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : false;
  } catch {
    return false;
  }
}

import axios, { type AxiosInstance } from 'axios';
import { timingSafeEqual } from 'node:crypto';
import { HostApiError } from '../host-api-error.js';
import { amoBaseDomain, type AmoBaseDomainOptions } from './amocrm-base-domain.js';
import { parseAmoError } from './amocrm-error.parser.js';
import type { AmoTokens } from './amocrm-ports.js';

export { amoDisableHookSignature, verifyAmoDisableHook, type AmoDisableHookVerdict } from './amocrm-disable-hook.js';
export { amoBaseDomain, type AmoBaseDomain, type AmoBaseDomainOptions } from './amocrm-base-domain.js';

// OAuth 2.0 authorization-code flow (developers.kommo.com/docs/oauth-20, /reference/get-token):
// POST https://{referer}/oauth2/access_token with a JSON body. The code lives 20 minutes and is
// single use; the access token 24 h (use `expires_in`, don't hard-code); the refresh token 3 months
// and it ROTATES: every refresh returns a new one, so the caller must persist it before using the
// new access token (see AmoTokenStore.refreshExclusive).

export interface AmoOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Must equal the integration's Redirect URI; amoCRM checks it on every grant. */
  redirectUri: string;
  http?: AxiosInstance;
  timeoutMs?: number;
  now?: () => Date;
}

export interface AmoTokenGrant extends AmoTokens {
  /** 3 months after issue (oauth-20): unused that long, the refresh token is revoked. */
  refreshExpiresAt: Date;
}

/** "3 months" in the docs; a month of 30 days is the conservative reading. */
export const AMO_REFRESH_TOKEN_LIFETIME_SEC = 90 * 86_400;

export class AmoOAuthClient {
  private readonly http: AxiosInstance;
  private readonly now: () => Date;

  constructor(private readonly options: AmoOAuthOptions) {
    this.http = options.http ?? axios.create();
    this.now = options.now ?? (() => new Date());
  }

  get clientId(): string {
    return this.options.clientId;
  }

  exchangeCode(baseUrl: string, code: string): Promise<AmoTokenGrant> {
    return this.grant(baseUrl, { grant_type: 'authorization_code', code });
  }

  /**
   * One refresh. The answer holds a NEW refresh token; the old one stops working once the new one
   * is used (oauth-20), so nothing may call the API with the new access token before the pair is stored.
   */
  refresh(baseUrl: string, refreshToken: string): Promise<AmoTokenGrant> {
    return this.grant(baseUrl, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async grant(baseUrl: string, grant: Record<string, string>): Promise<AmoTokenGrant> {
    const issuedAt = this.now();
    let response;
    try {
      response = await this.http.request({
        method: 'POST',
        url: `${baseUrl}/oauth2/access_token`,
        data: {
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
          ...grant,
          redirect_uri: this.options.redirectUri,
        },
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        timeout: this.options.timeoutMs ?? 15_000,
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw parseAmoError({ status: null, transportError: { code: e.code ?? null, message: e.message ?? null }, endpoint: 'oauth' });
    }
    if (response.status !== 200) {
      throw parseAmoError({ status: response.status, body: response.data, headers: response.headers as Record<string, unknown>, endpoint: 'oauth', now: issuedAt });
    }
    const body = response.data as Record<string, unknown> | null;
    const accessToken = body?.access_token;
    const refreshToken = body?.refresh_token;
    const expiresIn = body?.expires_in;
    if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new HostApiError('UNKNOWN', 'amoCRM token endpoint answered 200 without access_token, refresh_token and expires_in', 200, 'BAD_TOKEN_RESPONSE');
    }
    return {
      accessToken,
      refreshToken,
      expiresAt: new Date(issuedAt.getTime() + expiresIn * 1000),
      refreshExpiresAt: new Date(issuedAt.getTime() + AMO_REFRESH_TOKEN_LIFETIME_SEC * 1000),
    };
  }
}

export type AmoInstallRedirect =
  | { ok: true; code: string; baseUrl: string; domain: string; subdomain: string | null; state: string | null; fromWidget: boolean }
  | { ok: false; reason: 'access_denied' | 'client_mismatch' | 'missing_code' | 'bad_referer' | 'state_mismatch'; detail: string };

/**
 * The redirect back to us: `?code=…&state=…&referer={subdomain}.amocrm.ru&client_id=…` (plus
 * `from_widget=1` when amoCRM pushes a code after a widget install, which carries no state), or
 * `?error=access_denied&client_id=…&state=…` when the user refused (oauth-20).
 */
export function parseAmoInstallRedirect(
  query: Record<string, unknown>,
  options: AmoBaseDomainOptions & { clientId: string; expectedState?: string | null },
): AmoInstallRedirect {
  const one = (name: string): string | null => {
    const value = query[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' && first !== '' ? first : null;
  };
  if (one('error') !== null) return { ok: false, reason: 'access_denied', detail: `the user refused: ${one('error')}` };
  if (one('client_id') !== options.clientId) return { ok: false, reason: 'client_mismatch', detail: 'client_id is not ours' };
  const code = one('code');
  if (code === null) return { ok: false, reason: 'missing_code', detail: 'no code in the redirect' };
  const base = amoBaseDomain(one('referer'), options);
  if (!base.ok) return { ok: false, reason: 'bad_referer', detail: base.reason };
  const state = one('state');
  const fromWidget = one('from_widget') === '1';
  if (options.expectedState !== undefined && options.expectedState !== null && !fromWidget) {
    if (state === null || !sameText(state, options.expectedState)) return { ok: false, reason: 'state_mismatch', detail: 'state does not match' };
  }
  return { ok: true, code, baseUrl: base.baseUrl, domain: base.domain, subdomain: base.subdomain, state, fromWidget };
}

function sameText(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

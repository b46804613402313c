import axios from 'axios';
import { HostApiError } from '../host-api-error.js';
import { parseBitrix24Error } from './bitrix24-error.parser.js';
import type { Bitrix24Tokens } from './bitrix24-ports.js';

/**
 * The refresh grant (settings/oauth/auto-renewal.md): a GET to `{oauthServer}/oauth/token/` with
 * grant_type=refresh_token, client_id, client_secret, refresh_token, exactly as documented (the SDK
 * form-POSTs the same fields; both are accepted). `oauthServer` comes from the portal's
 * server_endpoint, not a constant: some portals report oauth.bitrix24.tech (b24-rest-docs#285).
 *
 * Every answer carries a NEW refresh token and the old one dies, so the caller must store the pair
 * before using it. invalid_grant (and invalid_client, PAYMENT_REQUIRED) means a person has to act:
 * HostApiError AUTH_REVOKED, never retried.
 */
export async function refreshBitrix24Token(
  oauthServer: string,
  clientId: string,
  clientSecret: string,
  refreshToken: string,
  opts: { timeoutMs?: number; now?: Date } = {},
): Promise<Bitrix24Tokens> {
  const now = opts.now ?? new Date();
  const url = `${oauthServer.replace(/\/+$/, '')}/oauth/token/`;
  let status: number;
  let body: unknown;
  try {
    const res = await axios.get(url, {
      params: { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken },
      timeout: opts.timeoutMs ?? 15_000,
      validateStatus: () => true,
    });
    status = res.status;
    body = res.data;
  } catch (err) {
    // Only the code travels on: the axios error's config holds the URL with client_secret in it.
    // If the request reached the server the pair may have rotated and the old refresh token be dead;
    // nothing on our side can know. The next attempt will say (invalid_grant → AUTH_REVOKED).
    const e = err as { code?: string };
    throw parseBitrix24Error({ kind: 'transport', code: e.code ?? 'ERR_NETWORK', message: 'token refresh' }, now);
  }
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (status >= 400 || typeof record.error === 'string' || typeof record.access_token !== 'string' || typeof record.refresh_token !== 'string') {
    // The OAuth server's own codes (settings/oauth/error-codes.md); invalid_request here means our
    // stored refresh token is unusable, which also takes a re-authorization.
    if (record.error === 'invalid_request') {
      throw new HostApiError('AUTH_REVOKED', `token refresh refused: invalid_request ${String(record.error_description ?? '')}`.trim(), status, 'invalid_request');
    }
    if (status < 400 && record.error === undefined) {
      throw new HostApiError('UNKNOWN', 'token refresh answered without access_token/refresh_token', status);
    }
    throw parseBitrix24Error({ kind: 'answer', status: status < 400 ? null : status, body }, now);
  }
  const expiresIn = Number(record.expires_in ?? 3600);
  const expires = Number(record.expires);
  return {
    accessToken: record.access_token,
    refreshToken: record.refresh_token,
    expiresAt: Number.isFinite(expires) && expires > 0 ? new Date(expires * 1000) : new Date(now.getTime() + expiresIn * 1000),
  };
}

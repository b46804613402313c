import axios from 'axios';
import { HostApiError } from '../host-api-error.js';
import type { PortalTokens } from '../../portals/portal.js';

/**
 * The refresh grant (settings/oauth/auto-renewal.md): form-POSTed to the OAuth server of the
 * portal's server_endpoint. Each answer carries a NEW refresh token: the old one is dead from now on,
 * so the caller persists the pair before using it. invalid_grant means re-authorization.
 */
export async function refreshBitrix24Token(serverEndpoint: string, clientId: string, clientSecret: string, refreshToken: string, now = new Date()): Promise<PortalTokens> {
  const tokenUrl = serverEndpoint.replace(/\/rest\/?$/, '') + '/oauth/token/';
  let res;
  try {
    res = await axios.post(
      tokenUrl,
      new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }).toString(),
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeout: 15_000, validateStatus: () => true },
    );
  } catch (err) {
    // Nothing was rotated if the request never arrived; if it did, the old token is gone either way.
    throw new HostApiError('TEMPORARY', `token refresh failed: ${(err as Error).message}`);
  }
  const body = res.data as Record<string, unknown>;
  if (res.status >= 400 || typeof body?.access_token !== 'string') {
    const code = typeof body?.error === 'string' ? body.error : '';
    const revoked = ['invalid_grant', 'invalid_client', 'PAYMENT_REQUIRED', 'invalid_request'].includes(code);
    throw new HostApiError(revoked ? 'AUTH_REVOKED' : 'TEMPORARY', `token refresh refused: ${code} ${String(body?.error_description ?? '')}`.trim(), res.status, code || null);
  }
  const expiresIn = Number(body.expires_in ?? 3600);
  return {
    accessToken: body.access_token,
    refreshToken: String(body.refresh_token),
    expiresAt: typeof body.expires === 'number' ? new Date(body.expires * 1000) : new Date(now.getTime() + expiresIn * 1000),
  };
}

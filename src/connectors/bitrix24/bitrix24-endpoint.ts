import { HostApiError } from '../host-api-error.js';

/**
 * Real portals and the OAuth server are https only (the portal even answers 400 INVALID_REQUEST
 * "HTTPS required": _includes/system-errors.md). Our sandbox portal runs on http://127.0.0.1:<port>,
 * so plain http is accepted for a loopback host and only when the caller opts in.
 * The SDK itself does not check: B24OAuth takes clientEndpoint as given (oauth/auth.ts); only
 * B24Hook.fromWebhookUrl insists on https.
 */
export function assertBitrix24Endpoint(url: string, what: string, allowInsecureLoopback: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HostApiError('VALIDATION', `${what} "${url}" is not a URL`);
  }
  if (parsed.username || parsed.password) throw new HostApiError('VALIDATION', `${what} must not carry credentials`);
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) {
    if (allowInsecureLoopback) return;
    throw new HostApiError(
      'VALIDATION',
      `${what} ${parsed.origin} is plain http; a loopback portal (the sandbox) needs allowInsecureLoopback: true`,
    );
  }
  throw new HostApiError('VALIDATION', `${what} ${parsed.origin} is not https: refused`);
}

/**
 * `https://x.bitrix24.com/rest/` → `https://x.bitrix24.com/rest`. The SDK appends `/${method}` to
 * clientEndpoint as is (core/http/abstract-http.ts _prepareMethod), so the documented trailing slash
 * would produce `/rest//crm.item.get`.
 */
export function restBase(clientEndpoint: string): string {
  return clientEndpoint.replace(/\/+$/, '');
}

/** `https://oauth.bitrix.info/rest/` → `https://oauth.bitrix.info`: the token endpoint lives at its /oauth/token/. */
export function oauthServerOf(serverEndpoint: string): string {
  return serverEndpoint.replace(/\/+$/, '').replace(/\/rest$/, '');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

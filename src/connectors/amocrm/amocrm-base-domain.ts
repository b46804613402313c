// Every token and API call goes to the account's own domain, taken from the install redirect's
// `referer` (e.g. `acme.amocrm.ru`, `acme.kommo.com`; never `www`) — shared/protocols/amocrm.md §1,
// developers.kommo.com/docs/oauth-20. `referer` arrives in a URL anyone can craft, and we will send
// the client secret and a code to it, so it must name an amoCRM/Kommo account domain and nothing else.

export interface AmoBaseDomainOptions {
  /** Accept `127.0.0.1:port` / `localhost:port` over plain http: the sandbox only, never production. */
  allowInsecureLoopback?: boolean;
}

export type AmoBaseDomain =
  | { ok: true; domain: string; baseUrl: string; subdomain: string | null }
  | { ok: false; reason: string };

/** Account domains of the one platform: amoCRM (RU and .com) and its international edition Kommo. */
const ACCOUNT_HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.(amocrm\.ru|amocrm\.com|kommo\.com)$/;
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost):(\d{1,5})$/;

export function amoBaseDomain(referer: unknown, options: AmoBaseDomainOptions = {}): AmoBaseDomain {
  if (typeof referer !== 'string' || referer === '' || referer.length > 255) return { ok: false, reason: 'referer is missing' };
  // The docs show a bare host; tolerate a scheme and a trailing slash, nothing else (no path, port, user).
  const host = referer.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/$/, '');

  const account = ACCOUNT_HOST.exec(host);
  if (account) {
    if (account[1] === 'www') return { ok: false, reason: 'referer names the platform site, not an account' };
    return { ok: true, domain: host, baseUrl: `https://${host}`, subdomain: account[1] };
  }
  const loopback = LOOPBACK_HOST.exec(host);
  if (loopback && options.allowInsecureLoopback === true && Number(loopback[2]) > 0 && Number(loopback[2]) < 65536) {
    return { ok: true, domain: host, baseUrl: `http://${host}`, subdomain: null };
  }
  return { ok: false, reason: `referer "${host.slice(0, 80)}" is not an amoCRM or Kommo account domain` };
}

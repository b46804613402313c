import type { Response } from 'express';

/**
 * Normalizes what the host entry knows about the portal into CSP origins: "portal.bitrix24.ru",
 * "https://portal.bitrix24.ru/" and "https://portal.bitrix24.ru/crm/deal/" all mean the same origin.
 * Anything that is not a plain http(s) origin is refused rather than pasted into the header, where a
 * stray ";" or "*" would silently widen the policy.
 */
export function toFrameOrigin(value: string): string {
  const raw = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`not an origin: ${JSON.stringify(value)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname || url.username || url.password) {
    throw new Error(`not an http(s) origin: ${JSON.stringify(value)}`);
  }
  if (/[*;,\s'"]/.test(url.host)) throw new Error(`not an origin: ${JSON.stringify(value)}`);
  return url.origin;
}

/**
 * The policy of every app page. Scripts, styles and data come only from our own origin (chart.js
 * included: it is served from node_modules, never a CDN), so an injected string can neither run
 * script nor send the embedded session anywhere. frame-ancestors names the portal: another site that
 * frames the page, to click through it on the user's behalf, gets a blocked frame.
 */
export function appContentSecurityPolicy(frameAncestors: string[]): string {
  const ancestors = frameAncestors.length ? [...new Set(frameAncestors.map(toFrameOrigin))].join(' ') : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/**
 * Headers for an HTML page shown inside the portal's frame. No X-Frame-Options: it cannot name an
 * origin, and browsers that know frame-ancestors ignore it anyway. no-store because the page carries
 * a session token; no-referrer so no URL of ours leaks to anything the page links to.
 */
export function frameHeaders(res: Response, portalDomainOrigins: string[]): void {
  res.setHeader('Content-Security-Policy', appContentSecurityPolicy(portalDomainOrigins));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

import type { Response } from 'express';
import { frameHeaders, toFrameOrigin } from './frame-headers.js';

export const APP_PAGES = ['dashboard', 'deal', 'rules', 'violations', 'install'] as const;
export type AppPage = (typeof APP_PAGES)[number];
export type AppLocale = 'ru' | 'en' | 'pl';

export interface AppPageOptions {
  page: AppPage;
  /** A session JWT from issueSession. The page's JS sends it as a Bearer header; it never becomes a cookie. */
  session: string;
  /** The portal's language (Bitrix24 LANG, amoCRM account locale); anything unknown falls back to English. */
  locale: string;
  /** Origins allowed to frame the page (the portal's). Handed to the page for postMessage targets. */
  frameAncestors: string[];
  /**
   * What the host said about where the page is shown. The deal tab reads the deal id from
   * `ID` (Bitrix24 CRM_DEAL_DETAIL_TAB PLACEMENT_OPTIONS) or `dealId` (amoCRM lead card).
   */
  placementOptions?: Record<string, unknown>;
  /** Where /app/assets is served; the default fits the service at its own root. */
  assetBase?: string;
}

const TITLES: Record<AppLocale, string> = { ru: 'Stageguard', en: 'Stageguard', pl: 'Stageguard' };
const NOSCRIPT: Record<AppLocale, string> = {
  ru: 'Для работы Stageguard нужен JavaScript.',
  en: 'Stageguard needs JavaScript.',
  pl: 'Stageguard wymaga JavaScriptu.',
};

/** Host language codes to ours: Bitrix24 sends ua/by/kz for Russian-speaking portals. */
export function appLocale(lang: string | null | undefined): AppLocale {
  const l = (lang ?? '').toLowerCase().slice(0, 2);
  if (l === 'ru' || l === 'ua' || l === 'by' || l === 'kz') return 'ru';
  if (l === 'pl') return 'pl';
  return 'en';
}

function dealIdOf(options: Record<string, unknown> | undefined): string | null {
  const id = options?.ID ?? options?.dealId ?? options?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/**
 * JSON inside a <script> element: "</script>" or "<!--" in any value (a deal title, a user name)
 * must not end the element, and U+2028/9 must not end a line in older parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The HTML of one app page. The boot data is an inert JSON element, read by /app/assets/main.js:
 * nothing inline runs, so the page works under script-src 'self' with no nonce or hash.
 */
export function renderAppPage(opts: AppPageOptions): string {
  if (!APP_PAGES.includes(opts.page)) throw new Error(`unknown app page "${opts.page}"`);
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(opts.session)) throw new Error('session must be a signed session JWT');
  const locale = appLocale(opts.locale);
  const assets = (opts.assetBase ?? '/app/assets').replace(/\/$/, '');
  const boot = {
    page: opts.page,
    session: opts.session,
    locale,
    hostOrigins: opts.frameAncestors.map(toFrameOrigin),
    dealId: dealIdOf(opts.placementOptions),
    assetBase: assets,
  };
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${TITLES[locale]}</title>
<link rel="stylesheet" href="${attr(assets)}/app.css">
<script type="application/json" id="sg-boot">${scriptSafeJson(boot)}</script>
<script type="module" src="${attr(assets)}/main.js"></script>
</head><body><div id="app"></div><noscript>${NOSCRIPT[locale]}</noscript></body></html>`;
}

/** renderAppPage + frameHeaders in one call, for host entry routes. */
export function sendAppPage(res: Response, opts: AppPageOptions): void {
  frameHeaders(res, opts.frameAncestors);
  res.type('html').send(renderAppPage(opts));
}

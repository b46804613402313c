// Russian and English in full, Polish welcome: a key missing in Polish falls back to English.
import { en } from './i18n/en.js';
import { pl } from './i18n/pl.js';
import { ru } from './i18n/ru.js';

export const LOCALES = ['ru', 'en', 'pl'];
const DICTS = { ru, en, pl };
let locale = 'ru';

export function setLocale(value) {
  locale = LOCALES.includes(value) ? value : 'en';
}

export function getLocale() {
  return locale;
}

/** t('rules.saved', { v: 3 }) → "Saved as version 3". `fallback` stands in for an unknown key (a new violation kind). */
export function t(key, params = {}, fallback) {
  const text = DICTS[locale][key] ?? (fallback === undefined ? (en[key] ?? key) : fallback);
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));
}

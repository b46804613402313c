import type { Locale } from '../../rules/rules-config.schema.js';
import { compareLocalDates, type LocalDate } from '../../rules/working-time.js';
import { addDays, type LocalPeriod } from './writeback-period.js';

// Formatters are cached: a digest formats hundreds of numbers and building one costs far more than using it.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Whole numbers with the locale's grouping ("150 000" in ru, "150,000" in en). */
export function formatCount(locale: Locale, n: number): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })));
  return f.format(Math.round(n));
}

/** A ratio (0.35) as a whole percent ("35 %" in ru, "35%" in en); "—" when there is none. */
export function formatPercent(locale: Locale, ratio: number | null): string {
  if (ratio === null) return '—';
  const key = `${locale}%`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })));
  return f.format(ratio);
}

export function formatLocalDate(locale: Locale, date: LocalDate): string {
  let f = dateFormats.get(locale);
  if (!f) dateFormats.set(locale, (f = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })));
  return f.format(new Date(Date.UTC(date.year, date.month - 1, date.day)));
}

/** The days of a period as people name them: one date, or first – last (the end day is not covered). */
export function formatPeriod(locale: Locale, p: LocalPeriod): string {
  const last = addDays(p.end, -1);
  if (compareLocalDates(last, p.start) <= 0) return formatLocalDate(locale, p.start);
  return `${formatLocalDate(locale, p.start)} – ${formatLocalDate(locale, last)}`;
}

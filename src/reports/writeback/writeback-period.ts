import type { WorkingTime } from '../../rules/rules-config.schema.js';
import { addDays, compareLocalDates, formatIsoDate, isWorkingDate, isoWeekday, type LocalDate } from '../../rules/working-time.js';

export { addDays };

/** Local days [start, end): `end` is the first day NOT covered. */
export interface LocalPeriod {
  start: LocalDate;
  end: LocalDate;
}

// Far enough back to step over the longest run of days off a working calendar has (New Year in Russia).
const LOOKBACK_DAYS = 31;

/**
 * The days a write-back sent on working date `today` covers: from the previous working date up to
 * today, so Monday's covers Friday and the weekend and every day lands in exactly one daily run.
 * With no working date in the look-back window, just yesterday.
 */
export function sincePreviousWorkingDay(today: LocalDate, wt: WorkingTime): LocalPeriod {
  for (let back = 1; back <= LOOKBACK_DAYS; back++) {
    const day = addDays(today, -back);
    if (isWorkingDate(day, wt)) return { start: day, end: today };
  }
  return { start: addDays(today, -1), end: today };
}

/**
 * The weekly digest's period: the previous ISO week (Monday to Sunday), sent on the first working
 * date of the new week only; null on any other day.
 */
export function previousWeekIfFirstWorkingDay(today: LocalDate, wt: WorkingTime): LocalPeriod | null {
  const monday = addDays(today, 1 - isoWeekday(today));
  for (let day = monday; compareLocalDates(day, today) < 0; day = addDays(day, 1)) {
    if (isWorkingDate(day, wt)) return null;
  }
  return { start: addDays(monday, -7), end: monday };
}

/**
 * The calendar months a period touches, each cut to the part that has passed by `period.end`:
 * the metrics record of a month is rewritten with its figures to date, and the run after a month
 * ends writes that month's final figures even when it falls in the next one.
 */
export function monthsTouched(period: LocalPeriod): Array<LocalPeriod & { key: string }> {
  const out: Array<LocalPeriod & { key: string }> = [];
  let monthStart: LocalDate = { year: period.start.year, month: period.start.month, day: 1 };
  while (compareLocalDates(monthStart, period.end) < 0) {
    const next = monthStart.month === 12 ? { year: monthStart.year + 1, month: 1, day: 1 } : { year: monthStart.year, month: monthStart.month + 1, day: 1 };
    const end = compareLocalDates(next, period.end) < 0 ? next : period.end;
    out.push({ start: monthStart, end, key: formatIsoDate(monthStart).slice(0, 7) });
    monthStart = next;
  }
  return out;
}

/** "2026-11-20…2026-11-22" with the last covered day, as a key and in logs. */
export function periodKey(p: LocalPeriod): string {
  return `${formatIsoDate(p.start)}…${formatIsoDate(addDays(p.end, -1))}`;
}

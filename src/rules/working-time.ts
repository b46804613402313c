import type { WorkingTime } from './rules-config.schema.js';

// Time-zone arithmetic on Intl alone: the only thing needed is "what is the wall clock in zone Z at
// instant T" and its inverse, and a date library would be a dependency for two functions.

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Deadline for a task due in `n` working days: the END of working hours (workingTime.end, local time)
 * on the n-th working day after the local date of `now`. Today never counts, even when `now` is early
 * in the morning: "within one working day" gives the assignee a whole working day, never a few hours.
 * Weekends (days not in workingTime.days) and holidays are skipped.
 */
export function addWorkingDays(now: Date, n: number, wt: WorkingTime): Date {
  let date = localDateAt(now, wt.timeZone);
  for (let left = n; left > 0; ) {
    date = nextDay(date);
    if (isWorkingDate(date, wt)) left -= 1;
  }
  const endMinutes = minutesOfDay(wt.end);
  return zonedTimeToUtc(date, Math.floor(endMinutes / 60), endMinutes % 60, wt.timeZone);
}

export function isWorkingDate(date: LocalDate, wt: WorkingTime): boolean {
  return wt.days.includes(isoWeekday(date)) && !wt.holidays.includes(formatIsoDate(date));
}

/** 1 = Monday … 7 = Sunday, as in the config. */
export function isoWeekday(date: LocalDate): number {
  const sundayZero = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return sundayZero === 0 ? 7 : sundayZero;
}

export function localDateAt(instant: Date, timeZone: string): LocalDate {
  const p = wallClock(instant, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

/** The instant at which the wall clock in `timeZone` shows `date` hour:minute. */
export function zonedTimeToUtc(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const asIfUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // The offset at the guessed instant can differ from the offset at the answer when a DST switch lies
  // between them; a second pass with the offset found there settles it.
  const firstOffset = offsetAt(new Date(asIfUtc), timeZone);
  const secondOffset = offsetAt(new Date(asIfUtc - firstOffset), timeZone);
  return new Date(asIfUtc - secondOffset);
}

export function parseIsoDate(text: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return formatIsoDate(nextDay(date, 0)) === text ? date : null;
}

export function formatIsoDate(date: LocalDate): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function nextDay(date: LocalDate, by = 1): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + by));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Wall-clock minus UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = wallClock(instant, timeZone);
  const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

function wallClock(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

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
    date = addDays(date);
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
  return formatIsoDate(addDays(date, 0)) === text ? date : null;
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

/**
 * Working time elapsed between two instants, in whole minutes (rounded down): the part of
 * [from, to) that falls inside working hours on working dates, in the zone's own wall clock. A DST
 * switch inside the working hours shortens or lengthens that day, as the clock on the wall does.
 * Zero when `to` is not after `from`.
 */
export function workingMinutesBetween(from: Date, to: Date, wt: WorkingTime): number {
  if (to.getTime() <= from.getTime()) return 0;
  const calendar = calendarFor(wt);
  const first = dayNumber(localDateAt(from, wt.timeZone));
  const last = dayNumber(localDateAt(to, wt.timeZone));
  const ms =
    first === last
      ? calendar.overlap(first, from.getTime(), to.getTime())
      : calendar.overlap(first, from.getTime(), Infinity) + calendar.totals(first + 1, last).ms + calendar.overlap(last, -Infinity, to.getTime());
  return Math.floor(ms / 60_000);
}

/**
 * Whole working days that passed between two instants: the working dates after `from`'s local date
 * whose working hours had ended by `to`. `from`'s own date never counts — something happened that day,
 * even before work started — and `to`'s date counts only once its working hours are over. So a deal
 * last touched on Monday at 11:00 has been idle 0 days on Tuesday at 17:59 and 1 day from Tuesday's
 * end of work (18:00), and a weekend or holiday adds nothing. This is how a head of sales counts
 * "five working days without a single action".
 */
export function workingDaysBetween(from: Date, to: Date, wt: WorkingTime): number {
  if (to.getTime() <= from.getTime()) return 0;
  const calendar = calendarFor(wt);
  const first = dayNumber(localDateAt(from, wt.timeZone));
  const last = dayNumber(localDateAt(to, wt.timeZone));
  if (first >= last) return 0;
  const lastHours = calendar.hours(last);
  return calendar.totals(first + 1, last).days + (lastHours !== null && lastHours[1] <= to.getTime() ? 1 : 0);
}

/** Inside working hours on a working date, local time: start inclusive, end exclusive. */
export function isWithinWorkingHours(instant: Date, wt: WorkingTime): boolean {
  const hours = calendarFor(wt).hours(dayNumber(localDateAt(instant, wt.timeZone)));
  return hours !== null && hours[0] <= instant.getTime() && instant.getTime() < hours[1];
}

/**
 * The instant at which `minutes` working minutes have passed since `from` (the inverse of
 * workingMinutesBetween): e.g. when a first-response SLA runs out. Outside working hours the count
 * starts when work next starts. Zero minutes is `from` itself.
 */
export function addWorkingMinutes(from: Date, minutes: number, wt: WorkingTime): Date {
  let left = minutes * 60_000;
  if (left <= 0) return from;
  const calendar = calendarFor(wt);
  const first = dayNumber(localDateAt(from, wt.timeZone));
  // Ten years of dates with no working hour in them means the calendar is all holidays; stop.
  for (let day = first; day < first + 3660; day += 1) {
    const hours = calendar.hours(day);
    if (!hours) continue;
    const lo = Math.max(hours[0], from.getTime());
    const available = hours[1] - lo;
    if (available <= 0) continue;
    if (left <= available) return new Date(lo + left);
    left -= available;
  }
  throw new RangeError('no working hours in the next ten years');
}

/** Start and end of working hours on a local date, as instants; null when the date is not a working one. */
export function workingHoursOn(date: LocalDate, wt: WorkingTime): { start: Date; end: Date } | null {
  const hours = calendarFor(wt).hours(dayNumber(date));
  return hours && { start: new Date(hours[0]), end: new Date(hours[1]) };
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a local date: the calendar's index. */
function dayNumber(date: LocalDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

function dateOfDay(day: number): LocalDate {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

type Hours = readonly [start: number, end: number];

/**
 * One working-time config's calendar: each date's working hours as instants (four Intl calls each,
 * so computed once), and running totals of working milliseconds and working days over a range of
 * dates. A scan measures spans for thousands of deals, some idle for years; with the totals a span
 * costs two look-ups instead of a walk over every date in it.
 */
class WorkingCalendar {
  private readonly hoursByDay = new Map<number, Hours | null>();
  private readonly holidays: Set<number>;
  /** Totals cover the dates [first, first + msBefore.length - 1); msBefore[i] sums the i dates before first + i. */
  private first = 0;
  private msBefore: number[] = [0];
  private daysBefore: number[] = [0];

  constructor(private readonly wt: WorkingTime) {
    this.holidays = new Set(wt.holidays.map(parseIsoDate).filter((d): d is LocalDate => d !== null).map(dayNumber));
  }

  hours(day: number): Hours | null {
    let hours = this.hoursByDay.get(day);
    if (hours === undefined) {
      const date = dateOfDay(day);
      const working = this.wt.days.includes(isoWeekday(date)) && !this.holidays.has(day);
      hours = working ? [wallTimeAt(date, this.wt.start, this.wt.timeZone), wallTimeAt(date, this.wt.end, this.wt.timeZone)] : null;
      this.hoursByDay.set(day, hours);
    }
    return hours;
  }

  /** Milliseconds of the day's working hours inside [from, to). */
  overlap(day: number, from: number, to: number): number {
    const hours = this.hours(day);
    return hours ? Math.max(0, Math.min(hours[1], to) - Math.max(hours[0], from)) : 0;
  }

  /** Working milliseconds and working dates among the dates [a, b). */
  totals(a: number, b: number): { ms: number; days: number } {
    if (b <= a) return { ms: 0, days: 0 };
    this.cover(a, b);
    const i = a - this.first;
    const j = b - this.first;
    return { ms: this.msBefore[j] - this.msBefore[i], days: this.daysBefore[j] - this.daysBefore[i] };
  }

  private cover(a: number, b: number): void {
    const covered = this.msBefore.length - 1;
    if (covered > 0 && a >= this.first && b <= this.first + covered) return;
    // A year of slack on both sides, so requests scattered around the range rarely rebuild it.
    const lo = Math.min(a, covered > 0 ? this.first : a) - 366;
    const hi = Math.max(b, covered > 0 ? this.first + covered : b) + 366;
    const msBefore = [0];
    const daysBefore = [0];
    for (let day = lo; day < hi; day += 1) {
      const hours = this.hours(day);
      msBefore.push(msBefore[msBefore.length - 1] + (hours ? hours[1] - hours[0] : 0));
      daysBefore.push(daysBefore[daysBefore.length - 1] + (hours ? 1 : 0));
    }
    this.first = lo;
    this.msBefore = msBefore;
    this.daysBefore = daysBefore;
  }
}

// Keyed by content, not by object: a config read afresh for every scan shares its calendar, and an
// edited one never sees stale hours. Few configs are live at once; the map is simply dropped if it grows.
const calendars = new Map<string, WorkingCalendar>();

function calendarFor(wt: WorkingTime): WorkingCalendar {
  const key = [wt.timeZone, wt.days.join(','), wt.start, wt.end, wt.holidays.join(',')].join('|');
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size >= 500) calendars.clear();
    calendar = new WorkingCalendar(wt);
    calendars.set(key, calendar);
  }
  return calendar;
}

function wallTimeAt(date: LocalDate, hhmm: string, timeZone: string): number {
  const minutes = minutesOfDay(hhmm);
  return zonedTimeToUtc(date, Math.floor(minutes / 60), minutes % 60, timeZone).getTime();
}

/** "YYYY-MM-DD HH:MM" on the wall clock of `timeZone`: how a deadline reads in a message. */
export function formatLocalDateTime(instant: Date, timeZone: string): string {
  const p = wallClock(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatIsoDate(p)} ${pad(p.hour)}:${pad(p.minute)}`;
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The local date `by` days later (earlier when negative); months and years roll over. */
export function addDays(date: LocalDate, by = 1): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + by));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Wall-clock minus UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = wallClock(instant, timeZone);
  const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

// Building an Intl.DateTimeFormat costs far more than using one, and a scan asks the same few zones
// thousands of times (every working day between a deal's stage entry and now).
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  return format;
}

function wallClock(instant: Date, timeZone: string) {
  const parts = wallClockFormat(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

import fc from 'fast-check';
import {
  addWorkingMinutes,
  formatLocalDateTime,
  isWithinWorkingHours,
  workingDaysBetween,
  workingMinutesBetween,
} from '../../src/rules/working-time.js';
import type { WorkingTime } from '../../src/rules/rules-config.schema.js';

// 2025-03-10 is a Monday. Moscow is UTC+3 all year; Tokyo UTC+9, so its Monday morning is Sunday in
// UTC; New York switches to summer time on Sunday 2025-03-09 and back on Sunday 2025-11-02.
const moscow: WorkingTime = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: ['2025-05-09'] };
const tokyo: WorkingTime = { timeZone: 'Asia/Tokyo', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] };
const newYork: WorkingTime = { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };
/** A Sunday night shift that the DST switch at 02:00 cuts into. */
const newYorkSundayNights: WorkingTime = { timeZone: 'America/New_York', days: [7], start: '00:00', end: '06:00', holidays: [] };
const warsawSixDays: WorkingTime = { timeZone: 'Europe/Warsaw', days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '16:00', holidays: ['2025-12-25', '2025-12-26'] };

describe('workingMinutesBetween: minutes of [from, to) inside working hours, local time', () => {
  it.each([
    // name, from (UTC), to (UTC), working time, minutes
    ['inside one working day (10:00 → 11:30)', '2025-03-12T07:00:00Z', '2025-03-12T08:30:00Z', moscow, 90],
    ['from before work starts (08:00 → 09:30)', '2025-03-12T05:00:00Z', '2025-03-12T06:30:00Z', moscow, 30],
    ['until after work ends (17:00 → 20:00)', '2025-03-12T14:00:00Z', '2025-03-12T17:00:00Z', moscow, 60],
    ['overnight (17:30 → 09:15 next day)', '2025-03-12T14:30:00Z', '2025-03-13T06:15:00Z', moscow, 45],
    ['Friday 18:00 → Saturday noon: none', '2025-03-14T15:00:00Z', '2025-03-15T09:00:00Z', moscow, 0],
    ['Friday 17:45 → Monday 09:20, over the weekend', '2025-03-14T14:45:00Z', '2025-03-17T06:20:00Z', moscow, 35],
    ['Thursday 17:00 → Monday 10:00 over a Friday holiday', '2025-05-08T14:00:00Z', '2025-05-12T07:00:00Z', moscow, 120],
    ['a whole week is five working days', '2025-03-10T06:00:00Z', '2025-03-17T06:00:00Z', moscow, 5 * 540],
    ['seconds are rounded down', '2025-03-12T07:00:00Z', '2025-03-12T07:30:59Z', moscow, 30],
    ['to before from', '2025-03-12T08:30:00Z', '2025-03-12T07:00:00Z', moscow, 0],
    ['Tokyo Monday 08:30 (Sunday in UTC) → 10:00', '2025-03-16T23:30:00Z', '2025-03-17T01:00:00Z', tokyo, 60],
    ['Tokyo Saturday 08:00 (Friday in UTC) → Saturday 12:00', '2025-03-14T23:00:00Z', '2025-03-15T03:00:00Z', tokyo, 0],
    ['New York Friday 16:00 EST → Monday 10:00 EDT', '2025-03-07T21:00:00Z', '2025-03-10T14:00:00Z', newYork, 120],
    ['spring forward inside the shift: 00:00-06:00 is five hours', '2025-03-09T00:00:00Z', '2025-03-09T12:00:00Z', newYorkSundayNights, 300],
    ['fall back inside the shift: 00:00-06:00 is seven hours', '2025-11-02T00:00:00Z', '2025-11-02T12:00:00Z', newYorkSundayNights, 420],
    ['six-day week: Friday 15:00 → Monday 09:00 counts Saturday', '2025-03-14T14:00:00Z', '2025-03-17T08:00:00Z', warsawSixDays, 60 + 480 + 60],
    ['two holidays in a row', '2025-12-24T14:00:00Z', '2025-12-27T08:00:00Z', warsawSixDays, 60 + 60],
  ])('%s', (_name, from, to, wt, minutes) => {
    expect(workingMinutesBetween(new Date(from), new Date(to), wt)).toBe(minutes);
  });
});

describe('workingDaysBetween: working days after from\'s date whose working hours ended by to', () => {
  it.each([
    ['Monday 11:00 → Tuesday 17:59', '2025-03-10T08:00:00Z', '2025-03-11T14:59:00Z', moscow, 0],
    ['Monday 11:00 → Tuesday 18:00 (end of work)', '2025-03-10T08:00:00Z', '2025-03-11T15:00:00Z', moscow, 1],
    ['from\'s own date never counts, even from before work', '2025-03-10T05:00:00Z', '2025-03-10T15:00:00Z', moscow, 0],
    ['Friday → Monday 17:00: the weekend adds nothing', '2025-03-14T08:00:00Z', '2025-03-17T14:00:00Z', moscow, 0],
    ['Friday → Monday 18:00', '2025-03-14T08:00:00Z', '2025-03-17T15:00:00Z', moscow, 1],
    ['Thursday → Tuesday 18:00 over a Friday holiday', '2025-05-08T08:00:00Z', '2025-05-13T15:00:00Z', moscow, 2],
    ['Monday → next Monday 18:00 is five', '2025-03-10T08:00:00Z', '2025-03-17T15:00:00Z', moscow, 5],
    ['Monday → next Monday noon is four', '2025-03-10T08:00:00Z', '2025-03-17T09:00:00Z', moscow, 4],
    ['to before from', '2025-03-17T15:00:00Z', '2025-03-10T08:00:00Z', moscow, 0],
    ['Tokyo Monday 08:30 → 18:00 is the same local date (UTC says Sunday → Monday)', '2025-03-16T23:30:00Z', '2025-03-17T09:00:00Z', tokyo, 0],
    ['Tokyo Friday → Tuesday 00:30 local (Monday in UTC)', '2025-03-14T01:00:00Z', '2025-03-17T15:30:00Z', tokyo, 1],
    ['New York Friday → Monday 16:59 EDT', '2025-03-07T16:00:00Z', '2025-03-10T20:59:00Z', newYork, 0],
    ['New York Friday → Monday 17:00 EDT, after the spring switch', '2025-03-07T16:00:00Z', '2025-03-10T21:00:00Z', newYork, 1],
    ['six-day week: Friday → Saturday 16:00', '2025-03-14T09:00:00Z', '2025-03-15T15:00:00Z', warsawSixDays, 1],
  ])('%s', (_name, from, to, wt, days) => {
    expect(workingDaysBetween(new Date(from), new Date(to), wt)).toBe(days);
  });
});

describe('isWithinWorkingHours: start inclusive, end exclusive, local time', () => {
  it.each([
    ['Wednesday 09:00', '2025-03-12T06:00:00Z', moscow, true],
    ['Wednesday 08:59', '2025-03-12T05:59:00Z', moscow, false],
    ['Wednesday 17:59', '2025-03-12T14:59:00Z', moscow, true],
    ['Wednesday 18:00', '2025-03-12T15:00:00Z', moscow, false],
    ['Saturday noon', '2025-03-15T09:00:00Z', moscow, false],
    ['a holiday at noon', '2025-05-09T09:00:00Z', moscow, false],
    ['Tokyo Saturday 08:00 is Friday 23:00 UTC', '2025-03-14T23:00:00Z', tokyo, false],
    ['Tokyo Monday 10:00 is Monday 01:00 UTC', '2025-03-17T01:00:00Z', tokyo, true],
    ['New York Monday 09:00 EDT', '2025-03-10T13:00:00Z', newYork, true],
    ['New York Monday 08:59 EDT (09:59 in winter time)', '2025-03-10T12:59:00Z', newYork, false],
  ])('%s → %s', (_name, instant, wt, expected) => {
    expect(isWithinWorkingHours(new Date(instant), wt)).toBe(expected);
  });
});

describe('addWorkingMinutes: when n working minutes have passed', () => {
  it.each([
    ['Wednesday 10:00 + 30', '2025-03-12T07:00:00Z', 30, moscow, '2025-03-12T07:30:00.000Z'],
    ['zero minutes is the start itself', '2025-03-15T09:00:00Z', 0, moscow, '2025-03-15T09:00:00.000Z'],
    ['Friday 18:00 + 30 → Monday 09:30', '2025-03-14T15:00:00Z', 30, moscow, '2025-03-17T06:30:00.000Z'],
    ['Friday 17:45 + 30 → Monday 09:15', '2025-03-14T14:45:00Z', 30, moscow, '2025-03-17T06:15:00.000Z'],
    ['exactly at the end of work stays on that day', '2025-03-12T14:30:00Z', 30, moscow, '2025-03-12T15:00:00.000Z'],
    ['Thursday 17:50 + 20 over a Friday holiday → Monday 09:10', '2025-05-08T14:50:00Z', 20, moscow, '2025-05-12T06:10:00.000Z'],
    ['600 minutes from Wednesday 09:00 → Thursday 10:00', '2025-03-12T06:00:00Z', 600, moscow, '2025-03-13T07:00:00.000Z'],
    ['Tokyo Saturday morning + 30 → Monday 09:30 local', '2025-03-14T23:00:00Z', 30, tokyo, '2025-03-17T00:30:00.000Z'],
    ['New York Friday 16:50 EST + 20 → Monday 09:10 EDT', '2025-03-07T21:50:00Z', 20, newYork, '2025-03-10T13:10:00.000Z'],
  ])('%s', (_name, from, minutes, wt, expected) => {
    const at = addWorkingMinutes(new Date(from), minutes, wt);
    expect(at.toISOString()).toBe(expected);
    expect(workingMinutesBetween(new Date(from), at, wt)).toBe(minutes);
  });

  it('gives up on a calendar that has no working hour in ten years', () => {
    const mondays = Array.from({ length: 600 }, (_, i) => new Date(Date.UTC(2025, 2, 10 + 7 * i)).toISOString().slice(0, 10));
    const mondaysOnlyAllOff: WorkingTime = { ...moscow, days: [1], holidays: mondays };
    expect(() => addWorkingMinutes(new Date('2025-03-09T00:00:00Z'), 1, mondaysOnlyAllOff)).toThrow(RangeError);
  });
});

describe('formatLocalDateTime', () => {
  it.each([
    ['2025-03-14T15:00:00Z', 'Europe/Moscow', '2025-03-14 18:00'],
    ['2025-03-16T23:30:00Z', 'Asia/Tokyo', '2025-03-17 08:30'],
    ['2025-03-10T13:05:00Z', 'America/New_York', '2025-03-10 09:05'],
  ])('%s in %s', (instant, tz, expected) => {
    expect(formatLocalDateTime(new Date(instant), tz)).toBe(expected);
  });
});

describe('working spans: properties over random instants (2024-2026, DST zones included)', () => {
  const zones = [moscow, newYork, tokyo, warsawSixDays, newYorkSundayNights];
  const minute = fc.integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2026, 11, 31) / 60_000 }).map((m) => new Date(m * 60_000));
  const sorted3 = fc.tuple(minute, minute, minute).map((t) => t.sort((x, y) => x.getTime() - y.getTime()));
  const zone = fc.constantFrom(...zones);

  it('minutes add up over a split: [a, c) = [a, b) + [b, c)', () => {
    fc.assert(
      fc.property(sorted3, zone, ([a, b, c], wt) => {
        expect(workingMinutesBetween(a, c, wt)).toBe(workingMinutesBetween(a, b, wt) + workingMinutesBetween(b, c, wt));
      }),
      { numRuns: 400 },
    );
  });

  it('addWorkingMinutes inverts workingMinutesBetween', () => {
    fc.assert(
      fc.property(minute, fc.integer({ min: 1, max: 20_000 }), zone, (a, n, wt) => {
        const at = addWorkingMinutes(a, n, wt);
        expect(workingMinutesBetween(a, at, wt)).toBe(n);
        expect(isWithinWorkingHours(new Date(at.getTime() - 60_000), wt)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('working days never shrink as time goes on and never outnumber calendar days', () => {
    fc.assert(
      fc.property(sorted3, zone, ([a, b, c], wt) => {
        const ab = workingDaysBetween(a, b, wt);
        const ac = workingDaysBetween(a, c, wt);
        expect(ac).toBeGreaterThanOrEqual(ab);
        expect(ac).toBeLessThanOrEqual(Math.ceil((c.getTime() - a.getTime()) / 86_400_000) + 1);
        // A whole working day holds its full working hours.
        expect(workingMinutesBetween(a, c, wt)).toBeGreaterThanOrEqual(ac * 300);
      }),
      { numRuns: 400 },
    );
  });
});

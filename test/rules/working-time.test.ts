import { addWorkingDays, isoWeekday, parseIsoDate, zonedTimeToUtc } from '../../src/rules/working-time.js';
import type { WorkingTime } from '../../src/rules/rules-config.schema.js';

const moscow: WorkingTime = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: ['2025-05-09'] };
const newYork: WorkingTime = { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };
const warsawSixDays: WorkingTime = { timeZone: 'Europe/Warsaw', days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '16:00', holidays: ['2025-12-25', '2025-12-26'] };

describe('addWorkingDays: end of working hours on the n-th working day after today (local)', () => {
  it.each([
    // name, now (UTC), n, working time, deadline (UTC)
    ['Wednesday → next day', '2025-03-12T07:00:00Z', 1, moscow, '2025-03-13T15:00:00.000Z'],
    ['Friday afternoon → Monday, over the weekend', '2025-03-14T12:00:00Z', 1, moscow, '2025-03-17T15:00:00.000Z'],
    ['five days from Wednesday → next Wednesday', '2025-03-12T07:00:00Z', 5, moscow, '2025-03-19T15:00:00.000Z'],
    ['Saturday → Monday', '2025-03-15T10:00:00Z', 1, moscow, '2025-03-17T15:00:00.000Z'],
    ['early Monday: today does not count', '2025-03-17T04:00:00Z', 1, moscow, '2025-03-18T15:00:00.000Z'],
    ['Thursday before a Friday holiday → Monday', '2025-05-08T07:00:00Z', 1, moscow, '2025-05-12T15:00:00.000Z'],
    ['late Friday UTC is already Saturday in Moscow', '2025-03-14T22:30:00Z', 1, moscow, '2025-03-17T15:00:00.000Z'],
    ['Friday 23:00 UTC is still Friday in New York', '2025-03-07T23:00:00Z', 1, newYork, '2025-03-10T21:00:00.000Z'],
    ['over the spring DST switch, the deadline is 17:00 EDT', '2025-03-07T15:00:00Z', 1, newYork, '2025-03-10T21:00:00.000Z'],
    ['before the switch, 17:00 EST', '2025-02-28T15:00:00Z', 1, newYork, '2025-03-03T22:00:00.000Z'],
    ['a six-day week: Friday → Saturday', '2025-03-14T09:00:00Z', 1, warsawSixDays, '2025-03-15T15:00:00.000Z'],
    ['two holidays in a row', '2025-12-24T09:00:00Z', 1, warsawSixDays, '2025-12-27T15:00:00.000Z'],
  ])('%s', (_name, now, n, wt, deadline) => {
    expect(addWorkingDays(new Date(now), n, wt).toISOString()).toBe(deadline);
  });
});

describe('calendar helpers', () => {
  it.each([
    ['2025-03-17', 1],
    ['2025-03-22', 6],
    ['2025-03-23', 7],
  ])('%s is ISO weekday %i', (date, weekday) => {
    expect(isoWeekday(parseIsoDate(date)!)).toBe(weekday);
  });

  it.each([
    ['2025-02-28', { year: 2025, month: 2, day: 28 }],
    ['2024-02-29', { year: 2024, month: 2, day: 29 }],
    ['2025-02-29', null],
    ['2025-13-01', null],
    ['25-1-1', null],
  ])('parseIsoDate(%s)', (text, expected) => {
    expect(parseIsoDate(text)).toEqual(expected);
  });

  it.each([
    ['Moscow, no DST', 'Europe/Moscow', { year: 2025, month: 7, day: 1 }, 9, 0, '2025-07-01T06:00:00.000Z'],
    ['Warsaw in summer', 'Europe/Warsaw', { year: 2025, month: 7, day: 1 }, 9, 0, '2025-07-01T07:00:00.000Z'],
    ['Warsaw in winter', 'Europe/Warsaw', { year: 2025, month: 1, day: 15 }, 9, 0, '2025-01-15T08:00:00.000Z'],
    ['Kolkata, half-hour offset', 'Asia/Kolkata', { year: 2025, month: 1, day: 15 }, 18, 0, '2025-01-15T12:30:00.000Z'],
  ])('zonedTimeToUtc: %s', (_name, tz, date, h, m, expected) => {
    expect(zonedTimeToUtc(date, h, m, tz).toISOString()).toBe(expected);
  });
});

import type { WorkingTime } from '../../../src/rules/rules-config.schema.js';
import { parseIsoDate } from '../../../src/rules/working-time.js';
import { monthsTouched, periodKey, previousWeekIfFirstWorkingDay, sincePreviousWorkingDay, writebackDue } from '../../../src/reports/writeback/index.js';

const d = (iso: string) => parseIsoDate(iso)!;
const wt: WorkingTime = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: ['2026-11-04'] };
const days = (p: { start: ReturnType<typeof d>; end: ReturnType<typeof d> } | null) => (p ? periodKey(p) : null);

describe('write-back periods', () => {
  // 2026-11-23 is a Monday; 2026-11-04 (Wednesday) is a holiday.
  it.each([
    ['Monday covers Friday and the weekend', '2026-11-23', '2026-11-20…2026-11-22'],
    ['Tuesday covers Monday', '2026-11-24', '2026-11-23…2026-11-23'],
    ['the day after a holiday covers the holiday too', '2026-11-05', '2026-11-03…2026-11-04'],
    ['a day off itself still reaches back to the last working date', '2026-11-22', '2026-11-20…2026-11-21'],
  ])('daily: %s', (_name, today, want) => {
    expect(days(sincePreviousWorkingDay(d(today), wt))).toBe(want);
  });

  it('daily with no working date in a month falls back to yesterday', () => {
    expect(days(sincePreviousWorkingDay(d('2026-11-23'), { ...wt, days: [1], holidays: ['2026-11-16', '2026-11-09', '2026-11-02', '2026-10-26', '2026-10-19'] }))).toBe(
      '2026-11-22…2026-11-22',
    );
  });

  it.each([
    ['Monday of a normal week gets the previous week', '2026-11-23', wt, '2026-11-16…2026-11-22'],
    ['Tuesday gets nothing', '2026-11-24', wt, null],
    ['a holiday Monday moves it to Tuesday', '2026-11-24', { ...wt, holidays: ['2026-11-23'] }, '2026-11-16…2026-11-22'],
    ['asked on the holiday itself it answers too (writebackDue never asks on a day off)', '2026-11-23', { ...wt, holidays: ['2026-11-23'] }, '2026-11-16…2026-11-22'],
    ['Wednesday after a holiday Monday and Tuesday gets it', '2026-11-25', { ...wt, holidays: ['2026-11-23', '2026-11-24'] }, '2026-11-16…2026-11-22'],
    ['Wednesday after a working Tuesday does not', '2026-11-25', { ...wt, holidays: ['2026-11-23'] }, null],
  ])('weekly: %s', (_name, today, calendar, want) => {
    expect(days(previousWeekIfFirstWorkingDay(d(today), calendar as WorkingTime))).toBe(want);
  });

  it.each([
    ['inside one month', '2026-11-20', '2026-11-23', [['2026-11', '2026-11-01…2026-11-22']]],
    ['across a month end: the old month whole, the new one to date', '2026-11-27', '2026-12-02', [['2026-11', '2026-11-01…2026-11-30'], ['2026-12', '2026-12-01…2026-12-01']]],
    ['across a year end', '2026-12-31', '2027-01-01', [['2026-12', '2026-12-01…2026-12-31']]],
    ['the first of a month only closes the last one', '2026-11-30', '2026-12-01', [['2026-11', '2026-11-01…2026-11-30']]],
  ])('months touched: %s', (_name, start, end, want) => {
    expect(monthsTouched({ start: d(start), end: d(end) }).map((m) => [m.key, periodKey(m)])).toEqual(want);
  });
});

describe('writebackDue', () => {
  const settings = { hourLocal: 9, digest: 'daily' as const, kpiLine: true, hostRecord: true };
  // Moscow is UTC+3: 09:00 local is 06:00Z.
  it.each([
    ['before the hour: nothing', '2026-11-24T05:59:00Z', settings, null],
    ['at the hour: the daily windows', '2026-11-24T06:00:00Z', settings, ['2026-11-23…2026-11-23', '2026-11-23…2026-11-23']],
    ['on a Saturday: nothing', '2026-11-21T12:00:00Z', settings, null],
    ['on a holiday: nothing', '2026-11-04T12:00:00Z', settings, null],
    ['weekly on Monday: last week', '2026-11-23T07:00:00Z', { ...settings, digest: 'weekly' as const }, ['2026-11-20…2026-11-22', '2026-11-16…2026-11-22']],
    ['weekly on Tuesday: no digest, still the daily window', '2026-11-24T07:00:00Z', { ...settings, digest: 'weekly' as const }, ['2026-11-23…2026-11-23', null]],
    ['digest off', '2026-11-24T07:00:00Z', { ...settings, digest: 'off' as const }, ['2026-11-23…2026-11-23', null]],
    ['the local date decides, not UTC: 23:30Z Monday is already Tuesday 02:30 in Moscow', '2026-11-23T23:30:00Z', { ...settings, hourLocal: 2 }, ['2026-11-23…2026-11-23', '2026-11-23…2026-11-23']],
  ])('%s', (_name, now, s, want) => {
    const due = writebackDue(new Date(now), s, wt);
    expect(due ? [days(due.daily), days(due.digest)] : null).toEqual(want);
  });
});

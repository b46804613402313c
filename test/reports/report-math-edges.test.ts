import { bestConverters, teamBottleneck, weakestStep, type ManagerFunnel } from '../../src/reports/math/bottleneck.js';
import { stepConversions } from '../../src/reports/math/funnel.js';
import { bucketIndex, responseBuckets, responseMinutes } from '../../src/reports/math/first-response.js';
import { planProgress } from '../../src/reports/math/plan-progress.js';

const m = (managerId: string, reached: number[]): ManagerFunnel => ({ managerId, reached, conversions: stepConversions(reached) });

// 0.1 + 0.2 = 0.30000000000000004 and 0.8 − 0.5 = 0.30000000000000004: equal ratios that floating point
// tells apart. The definitions say ties go to the earliest step, so these must be ties.
describe('ties that floating point would break', () => {
  it.each([
    ['team bottleneck', () => teamBottleneck([0.1 + 0.2, 0.3]), { step: 0, conversion: 0.1 + 0.2 }],
    // team [0.6, 0.8], manager [0.3, 0.5]: gaps 0.3 and 0.30000000000000004
    ['weakest step', () => weakestStep([0.6, 0.8], m('1', [20, 6, 3]))?.step, 0],
    // 0.1 + 0.2 against 6/20 = 0.3: equal, so the larger sample wins
    ['best converter', () => bestConverters([{ managerId: '1', reached: [10, 3], conversions: [0.1 + 0.2] }, m('2', [20, 6])], 1)[0]?.managerId, '2'],
  ])('%s', (_name, run, expected) => {
    expect(run()).toEqual(expected);
  });
});

describe('plan progress at the very start of the period', () => {
  it('no time elapsed → no run rate, progress still counts', () => {
    const start = new Date('2025-03-01T00:00:00Z');
    const got = planProgress({ target: 10, fact: 2, start, end: new Date('2025-04-01T00:00:00Z'), now: start });
    expect(got).toEqual({ progressPercent: 20, forecast: null });
  });
});

describe('first-response buckets', () => {
  it.each([
    ['exactly on a bound is within it', 15, 0],
    ['just over', 15.01, 1],
    ['an hour', 60, 1],
    ['a day', 1440, 3],
    ['slower than a day', 1441, 4],
    ['instant', 0, 0],
  ])('bucketIndex: %s', (_name, minutes, expected) => {
    expect(bucketIndex(minutes)).toBe(expected);
  });

  it.each([
    ['cumulative → disjoint', [4, 6, 7, 9], 9, [4, 2, 1, 2, 0], [4 / 9, 2 / 9, 1 / 9, 2 / 9, 0]],
    ['nobody answered', [0, 0, 0, 0], 0, [0, 0, 0, 0, 0], [null, null, null, null, null]],
    ['all slow', [0, 0, 0, 0], 3, [0, 0, 0, 0, 3], [0, 0, 0, 0, 1]],
  ])('responseBuckets: %s', (_name, within, answered, deals, shares) => {
    const got = responseBuckets(within, answered);
    expect(got.map((b) => b.upToMinutes)).toEqual([15, 60, 240, 1440, null]);
    expect(got.map((b) => b.deals)).toEqual(deals);
    expect(got.map((b) => b.share)).toEqual(shares);
  });

  it('wants one cumulative count per bound', () => {
    expect(() => responseBuckets([1, 2], 2)).toThrow(RangeError);
  });

  it.each([
    ['ten minutes', '2025-03-01T00:00:00Z', '2025-03-01T00:10:00Z', 10],
    ['contact logged before the deal existed', '2025-03-01T00:00:00Z', '2025-02-28T23:59:00Z', 0],
    ['nobody reached the client yet', '2025-03-01T00:00:00Z', null, null],
  ])('responseMinutes: %s', (_name, created, contact, expected) => {
    expect(responseMinutes(new Date(created), contact === null ? null : new Date(contact))).toBe(expected);
  });
});

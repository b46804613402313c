import { bestConverters, conversionMatrix, teamBottleneck, weakestStep, type ManagerFunnel } from '../../src/reports/math/bottleneck.js';
import { funnelStages, funnelSteps, overallConversion, reachedCounts, stepConversions } from '../../src/reports/math/funnel.js';
import { median, p90, percentile } from '../../src/reports/math/percentile.js';
import { planProgress } from '../../src/reports/math/plan-progress.js';
import { mean, ratio } from '../../src/reports/math/ratio.js';
import { salesVelocity, winRate } from '../../src/reports/math/velocity.js';

describe('percentile (linear interpolation between closest ranks)', () => {
  it.each([
    ['empty', [], 0.5, null],
    ['one value', [7], 0.9, 7],
    ['odd median', [3, 1, 2], 0.5, 2],
    ['even median', [1, 2, 3, 4], 0.5, 2.5],
    ['p90 of four', [4, 3, 2, 1], 0.9, 3.7],
    ['p90 of ten', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
    ['p0', [5, 9], 0, 5],
    ['p100', [5, 9], 1, 9],
    ['out of range p', [1], 1.5, null],
  ])('%s', (_name, values, p, expected) => {
    const got = percentile(values as number[], p as number);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected as number, 10);
  });

  it('median and p90 shorthands', () => {
    expect(median([10, 20, 30])).toBe(20);
    expect(p90([10, 20])).toBe(19);
  });
});

describe('ratio and mean never give NaN or Infinity', () => {
  it.each([
    [1, 2, 0.5],
    [1, 0, null],
    [0, 0, null],
    [null, 2, null],
    [3, null, null],
  ])('%p ÷ %p', (a, b, expected) => {
    expect(ratio(a, b)).toBe(expected);
  });
  it('mean', () => {
    expect(mean([])).toBeNull();
    expect(mean([1, 2, 6])).toBe(3);
  });
});

const stage = (id: string, sort: number, semantics: 'process' | 'success' | 'failure') => ({ id, name: id, sort, semantics });

describe('funnel', () => {
  it('is the in-progress stages by sort, then the success stage; failure stages stand outside', () => {
    const stages = [stage('WON', 60, 'success'), stage('B', 20, 'process'), stage('LOSE', 70, 'failure'), stage('A', 10, 'process'), stage('C', 30, 'process')];
    expect(funnelStages(stages).map((s) => s.id)).toEqual(['A', 'B', 'C', 'WON']);
    expect(funnelSteps(['A', 'B', 'C'])).toEqual([
      { fromStageId: 'A', toStageId: 'B' },
      { fromStageId: 'B', toStageId: 'C' },
    ]);
  });

  it.each([
    ['nobody', new Map<number, number>(), [0, 0, 0, 0]],
    ['one deal at the end passes every stage', new Map([[3, 1]]), [1, 1, 1, 1]],
    ['mixed', new Map([[0, 2], [1, 1], [3, 4]]), [7, 5, 4, 4]],
    ['an index past the end counts as the last stage', new Map([[9, 1]]), [1, 1, 1, 1]],
  ])('reached counts: %s', (_name, furthest, expected) => {
    const reached = reachedCounts(4, furthest);
    expect(reached).toEqual(expected);
    for (let i = 1; i < reached.length; i++) expect(reached[i]!).toBeLessThanOrEqual(reached[i - 1]!);
  });

  it.each([
    [[10, 9, 6, 3], [0.9, 6 / 9, 0.5], 0.3],
    [[0, 0, 0], [null, null], null],
    [[4, 0, 0], [0, null], 0],
    [[5], [], null],
  ])('step and overall conversion of %p', (reached, steps, overall) => {
    expect(stepConversions(reached)).toEqual(steps);
    expect(overallConversion(reached)).toBe(overall);
  });
});

describe('bottleneck, weakest step, best converter', () => {
  const m = (managerId: string, reached: number[]): ManagerFunnel => ({ managerId, reached, conversions: stepConversions(reached) });

  it('builds the manager × step matrix in manager id order', () => {
    const matrix = conversionMatrix(3, new Map([['10', new Map([[2, 1], [0, 1]])], ['9', new Map([[1, 2]])]]));
    expect(matrix).toEqual([
      { managerId: '9', reached: [2, 2, 0], conversions: [1, 0] },
      { managerId: '10', reached: [2, 1, 1], conversions: [0.5, 1] },
    ]);
  });

  it.each([
    ['lowest wins', [0.9, 0.5, 0.7], { step: 1, conversion: 0.5 }],
    ['tie → earliest', [0.5, 0.9, 0.5], { step: 0, conversion: 0.5 }],
    ['null steps skipped', [null, 0.8, null], { step: 1, conversion: 0.8 }],
    ['no data', [null, null], null],
  ])('team bottleneck: %s', (_name, conversions, expected) => {
    expect(teamBottleneck(conversions as (number | null)[])).toEqual(expected);
  });

  it.each([
    ['largest gap', [0.8, 0.5, 0.5], m('1', [10, 8, 2, 1]), { step: 1, conversion: 0.25, teamConversion: 0.5, gap: 0.25 }],
    ['skips steps with nobody at the from-stage', [0.5, 0.9], m('2', [2, 0, 0]), { step: 0, conversion: 0, teamConversion: 0.5, gap: 0.5 }],
    ['tie → earliest', [0.75, 0.5], m('3', [4, 1, 0]), { step: 0, conversion: 0.25, teamConversion: 0.75, gap: 0.5 }],
    ['above the team everywhere → least negative gap', [0.5, 0.5], m('4', [4, 4, 3]), { step: 1, conversion: 0.75, teamConversion: 0.5, gap: -0.25 }],
    ['no deals', [0.5], m('5', [0, 0]), null],
  ])('weakest step: %s', (_name, team, manager, expected) => {
    expect(weakestStep(team as (number | null)[], manager)).toEqual(expected);
  });

  it.each([
    ['min sample filters out a lucky one', 3, [m('1', [1, 1]), m('2', [4, 3])], [{ step: 0, managerId: '2', conversion: 0.75, sample: 4 }]],
    ['tie → larger sample', 1, [m('1', [2, 1]), m('2', [4, 2])], [{ step: 0, managerId: '2', conversion: 0.5, sample: 4 }]],
    ['nobody qualifies', 5, [m('1', [2, 1])], []],
  ])('best converter: %s', (_name, minSample, matrix, expected) => {
    expect(bestConverters(matrix, minSample)).toEqual(expected);
  });
});

describe('win rate and velocity', () => {
  it.each([
    [3, 1, 0.75],
    [0, 0, null],
    [0, 2, 0],
  ])('win rate %p won, %p lost', (won, lost, expected) => {
    expect(winRate(won, lost)).toBe(expected);
  });

  it.each([
    ['ordinary', { openDeals: 10, winRate: 0.5, meanWonAmount: 1000, meanCycleDays: 20 }, 250],
    ['no win rate', { openDeals: 10, winRate: null, meanWonAmount: 1000, meanCycleDays: 20 }, null],
    ['no won deals', { openDeals: 10, winRate: 0, meanWonAmount: null, meanCycleDays: null }, null],
    ['zero-day cycle', { openDeals: 10, winRate: 1, meanWonAmount: 5, meanCycleDays: 0 }, null],
    ['no open deals', { openDeals: 0, winRate: 1, meanWonAmount: 5, meanCycleDays: 2 }, 0],
  ])('velocity: %s', (_name, input, expected) => {
    expect(salesVelocity(input)).toBe(expected);
  });
});

describe('plan progress and run-rate forecast', () => {
  const start = new Date('2025-03-01T00:00:00Z');
  const end = new Date('2025-03-31T00:00:00Z'); // 30 days
  it.each([
    ['a third through', 10, 4, '2025-03-11T00:00:00Z', 40, 12],
    ['before the start', 10, 0, '2025-02-20T00:00:00Z', 0, null],
    ['after the end', 10, 12, '2025-04-05T00:00:00Z', 120, 12],
    ['zero target', 0, 3, '2025-03-16T00:00:00Z', null, 6],
  ])('%s', (_name, target, fact, now, pct, forecast) => {
    const got = planProgress({ target: target as number, fact: fact as number, start, end, now: new Date(now as string) });
    expect(got.progressPercent).toBe(pct);
    if (forecast === null) expect(got.forecast).toBeNull();
    else expect(got.forecast).toBeCloseTo(forecast as number, 10);
  });
});

import { planPeriod, plansByManager, teamPlans, type PlanFactRow } from '../../../src/reports/writeback/index.js';
import { formatIsoDate } from '../../../src/rules/working-time.js';

const row = (over: Partial<PlanFactRow>): PlanFactRow => ({ managerId: '1', metric: 'dealsWon', periodStart: '2026-11-01', periodEnd: '2026-11-30', target: 10, fact: 4, forecast: 6, ...over });

describe('plan lines', () => {
  it('a plan row’s inclusive last day becomes the period’s exclusive end', () => {
    const p = planPeriod(row({}));
    expect([formatIsoDate(p.start), formatIsoDate(p.end)]).toEqual(['2026-11-01', '2026-12-01']);
  });

  it.each([
    ['one manager: the row as it is', [row({})], [[10, 4, 6]]],
    ['two managers, same metric and period: summed', [row({}), row({ managerId: '2', target: 5, fact: 1, forecast: 2 })], [[15, 5, 8]]],
    ['a forecast missing on one side: no team forecast', [row({}), row({ managerId: '2', forecast: null })], [[20, 8, null]]],
    ['another metric or period: its own line', [row({}), row({ metric: 'meetings' }), row({ periodEnd: '2026-11-15' })], [[10, 4, 6], [10, 4, 6], [10, 4, 6]]],
  ])('team: %s', (_name, rows, want) => {
    expect(teamPlans(rows).map((p) => [p.target, p.fact, p.forecast])).toEqual(want);
  });

  it('per manager, in the rows’ order', () => {
    const m = plansByManager([row({ metric: 'callsOut' }), row({ managerId: '2' }), row({ metric: 'meetings' })]);
    expect([...m].map(([id, plans]) => [id, plans.map((p) => p.metric)])).toEqual([
      ['1', ['callsOut', 'meetings']],
      ['2', ['dealsWon']],
    ]);
  });
});

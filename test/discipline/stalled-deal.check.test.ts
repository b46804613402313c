import { checkStalledDeals } from '../../src/discipline/checks/stalled-deal.check.js';
import type { DisciplineActivity, DisciplineDeal } from '../../src/discipline/discipline-input.js';
import type { DisciplineRules, WorkingTime } from '../../src/rules/rules-config.schema.js';
import { TOKYO, activity, msk, scanOf } from './discipline-fixtures.js';

interface Case {
  deal?: Partial<DisciplineDeal>;
  activities?: DisciplineActivity[];
  discipline?: Partial<DisciplineRules>;
  workingTime?: WorkingTime;
  now: string;
  /** [workingDaysStalled, thresholdWorkingDays] or null for no finding. */
  expected: [number, number] | null;
}

// The deal entered FINAL_INVOICE (no maxDaysInStage: pipeline default 5) on Monday 2025-03-10 11:00.
const cases: [string, Case][] = [
  ['quiet since Monday: 5 working days at next Monday\'s end of work', { now: msk('2025-03-17T18:00:00'), expected: [5, 5] }],
  ['a minute before the end of the fifth day', { now: msk('2025-03-17T17:59:00'), expected: null }],
  ['an activity created on Wednesday restarts the count', { activities: [activity({ createdAt: msk('2025-03-12T10:00:00') })], now: msk('2025-03-17T18:00:00'), expected: null }],
  [
    'a call planned on Monday and done on Thursday counts on Thursday',
    {
      activities: [activity({ createdAt: msk('2025-03-10T11:30:00'), startAt: msk('2025-03-13T10:00:00'), completed: true, completedAt: msk('2025-03-13T10:20:00') })],
      now: msk('2025-03-20T18:00:00'),
      expected: [5, 5],
    },
  ],
  [
    '…and a day earlier it is not stalled',
    {
      activities: [activity({ createdAt: msk('2025-03-10T11:30:00'), startAt: msk('2025-03-13T10:00:00'), completed: true, completedAt: msk('2025-03-13T10:20:00') })],
      now: msk('2025-03-19T18:00:00'),
      expected: null,
    },
  ],
  [
    'without completedAt a done call counts at its start',
    { activities: [activity({ createdAt: msk('2025-03-10T11:30:00'), startAt: msk('2025-03-13T10:00:00'), completed: true })], now: msk('2025-03-19T18:00:00'), expected: null },
  ],
  [
    'a call planned and never made counts only when it was planned',
    { activities: [activity({ createdAt: msk('2025-03-10T11:30:00'), startAt: msk('2025-03-13T10:00:00') })], now: msk('2025-03-17T18:00:00'), expected: [5, 5] },
  ],
  [
    'activity before the stage entry does not count',
    { activities: [activity({ createdAt: msk('2025-03-07T10:00:00'), completed: true })], now: msk('2025-03-17T18:00:00'), expected: [5, 5] },
  ],
  ['NEW stalls after its maxDaysInStage of 3', { deal: { stageId: 'NEW' }, now: msk('2025-03-13T18:00:00'), expected: [3, 3] }],
  ['PREPARATION (maxDaysInStage 10) is fine after 3', { deal: { stageId: 'PREPARATION' }, now: msk('2025-03-13T18:00:00'), expected: null }],
  ['the pipeline\'s own stalledAfterWorkingDays for a stage without a limit', { discipline: { stalledAfterWorkingDays: 2 }, now: msk('2025-03-12T18:00:00'), expected: [2, 2] }],
  ['a stage limit beats the pipeline default', { deal: { stageId: 'NEW' }, discipline: { stalledAfterWorkingDays: 2 }, now: msk('2025-03-12T18:00:00'), expected: null }],
  ['a won deal is never stalled', { deal: { stageId: 'WON', stageSemantics: 'success' }, now: msk('2025-04-30T18:00:00'), expected: null }],
  ['a lost deal is never stalled', { deal: { stageId: 'LOSE', stageSemantics: 'failure' }, now: msk('2025-04-30T18:00:00'), expected: null }],
  ['a holiday and a weekend add nothing (Thursday → Tuesday)', { deal: { stageId: 'NEW', stageEnteredAt: msk('2025-05-08T11:00:00') }, now: msk('2025-05-13T18:00:00'), expected: null }],
  ['…and Wednesday\'s end is the third day', { deal: { stageId: 'NEW', stageEnteredAt: msk('2025-05-08T11:00:00') }, now: msk('2025-05-14T18:00:00'), expected: [3, 3] }],
  ['Monday 12:00 in Moscow: day five is not over', { deal: { stageEnteredAt: '2025-03-10T01:00:00Z' }, now: '2025-03-17T09:00:00Z', expected: null }],
  ['the same instant is 18:00 in Tokyo: stalled', { deal: { stageEnteredAt: '2025-03-10T01:00:00Z' }, workingTime: TOKYO, now: '2025-03-17T09:00:00Z', expected: [5, 5] }],
];

describe('checkStalledDeals', () => {
  it.each(cases)('%s', (_name, c) => {
    const findings = checkStalledDeals(scanOf(c.now, c));
    if (c.expected === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0].kind).toBe('deal_stalled');
    const details = findings[0].kind === 'deal_stalled' ? findings[0].details : null;
    expect([details?.workingDaysStalled, details?.thresholdWorkingDays]).toEqual(c.expected);
  });

  it('reports the whole finding: key per deal and stage, the numbers, the dates', () => {
    const call = activity({ createdAt: msk('2025-03-10T11:30:00'), startAt: msk('2025-03-13T10:00:00'), completed: true, completedAt: msk('2025-03-13T10:20:00') });
    expect(checkStalledDeals(scanOf(msk('2025-03-21T12:00:00'), { activities: [call] }))).toEqual([
      {
        kind: 'deal_stalled',
        dedupeKey: 'deal_stalled:501:FINAL_INVOICE',
        entity: 'deal',
        dealId: '501',
        dealTitle: 'Acme: 40 laptops',
        managerId: '17',
        pipelineId: '0',
        stageId: 'FINAL_INVOICE',
        settledAt: null,
        details: {
          stageName: 'Final invoice',
          workingDaysStalled: 5,
          thresholdWorkingDays: 5,
          quietSince: '2025-03-13T07:20:00.000Z',
          lastActivityAt: '2025-03-13T07:20:00.000Z',
          stageEnteredAt: '2025-03-10T08:00:00.000Z',
        },
      },
    ]);
  });

  it('a fractional maxDaysInStage rounds up to whole working days', () => {
    const input = scanOf(msk('2025-03-12T18:00:00'), { deal: { stageId: 'NEW' } });
    input.rules = { ...input.rules, stages: input.rules.stages.map((s) => (s.stageId === 'NEW' ? { ...s, maxDaysInStage: 1.5 } : s)) };
    expect(checkStalledDeals(input).map((f) => f.kind === 'deal_stalled' && f.details.thresholdWorkingDays)).toEqual([2]);
  });
});

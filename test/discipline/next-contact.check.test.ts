import { checkNextContact } from '../../src/discipline/checks/next-contact.check.js';
import type { DisciplineActivity, DisciplineDeal } from '../../src/discipline/discipline-input.js';
import type { DisciplineRules } from '../../src/rules/rules-config.schema.js';
import { activity, msk, scanOf } from './discipline-fixtures.js';

interface Case {
  deal?: Partial<DisciplineDeal>;
  activities: DisciplineActivity[];
  discipline?: Partial<DisciplineRules>;
  now: string;
  expected: null | { kind: 'next_contact_missing'; hoursWithoutNextContact: number } | { kind: 'next_contact_overdue'; activityId: string; overdueMinutes: number; overdueWorkingMinutes: number };
}

// The deal entered FINAL_INVOICE on Monday 2025-03-10 11:00; the manager called at 12:00.
const doneCall = () => activity({ id: 'done', createdAt: msk('2025-03-10T12:05:00'), startAt: msk('2025-03-10T12:00:00'), completed: true });
const planned = (id: string, deadline: string) => activity({ id, createdAt: msk('2025-03-10T12:10:00'), deadline: msk(deadline) });

const cases: [string, Case][] = [
  ['nothing planned after the call: missing at once (no grace)', { activities: [doneCall()], now: msk('2025-03-10T12:30:00'), expected: { kind: 'next_contact_missing', hoursWithoutNextContact: 0 } }],
  ['inside a 4-hour grace period', { activities: [doneCall()], discipline: { nextContactGraceHours: 4 }, now: msk('2025-03-10T16:04:00'), expected: null }],
  ['the grace period is over', { activities: [doneCall()], discipline: { nextContactGraceHours: 4 }, now: msk('2025-03-10T16:05:00'), expected: { kind: 'next_contact_missing', hoursWithoutNextContact: 4 } }],
  ['no activity at all: the grace runs from the stage entry', { activities: [], discipline: { nextContactGraceHours: 24 }, now: msk('2025-03-11T11:00:00'), expected: { kind: 'next_contact_missing', hoursWithoutNextContact: 24 } }],
  ['a call planned for tomorrow', { activities: [doneCall(), planned('p1', '2025-03-11T11:00:00')], now: msk('2025-03-10T12:30:00'), expected: null }],
  ['due exactly now is not overdue yet', { activities: [planned('p1', '2025-03-11T11:00:00')], now: msk('2025-03-11T11:00:00'), expected: null }],
  ['the planned call passed 90 minutes ago', { activities: [doneCall(), planned('p1', '2025-03-11T11:00:00')], now: msk('2025-03-11T12:30:00'), expected: { kind: 'next_contact_overdue', activityId: 'p1', overdueMinutes: 90, overdueWorkingMinutes: 90 } }],
  [
    'overdue since Friday 17:30: 64 hours, one working hour',
    { activities: [planned('p1', '2025-03-14T17:30:00')], now: msk('2025-03-17T09:30:00'), expected: { kind: 'next_contact_overdue', activityId: 'p1', overdueMinutes: 64 * 60, overdueWorkingMinutes: 60 } },
  ],
  [
    'a missed call stays overdue though a later one is planned',
    { activities: [planned('p2', '2025-03-13T11:00:00'), planned('p1', '2025-03-11T11:00:00')], now: msk('2025-03-12T11:00:00'), expected: { kind: 'next_contact_overdue', activityId: 'p1', overdueMinutes: 1440, overdueWorkingMinutes: 540 } },
  ],
  [
    'a meeting without a deadline is due at its start',
    { activities: [activity({ id: 'm1', kind: 'meeting', startAt: msk('2025-03-11T15:00:00') })], now: msk('2025-03-11T15:20:00'), expected: { kind: 'next_contact_overdue', activityId: 'm1', overdueMinutes: 20, overdueWorkingMinutes: 20 } },
  ],
  ['a completed call is no plan', { activities: [activity({ deadline: msk('2025-03-12T11:00:00'), completed: true, createdAt: msk('2025-03-10T12:00:00') })], now: msk('2025-03-10T12:30:00'), expected: { kind: 'next_contact_missing', hoursWithoutNextContact: 0 } }],
  ['an open activity with no date is no plan', { activities: [activity({ kind: 'other', createdAt: msk('2025-03-10T12:00:00') })], now: msk('2025-03-10T12:30:00'), expected: { kind: 'next_contact_missing', hoursWithoutNextContact: 0 } }],
  ['requireNextContact off: missing is not reported', { activities: [], discipline: { requireNextContact: false }, now: msk('2025-03-12T12:00:00'), expected: null }],
  ['requireNextContact off: overdue is not reported', { activities: [planned('p1', '2025-03-11T11:00:00')], discipline: { requireNextContact: false }, now: msk('2025-03-12T12:00:00'), expected: null }],
  ['a won deal needs no next contact', { deal: { stageId: 'WON', stageSemantics: 'success' }, activities: [], now: msk('2025-03-12T12:00:00'), expected: null }],
];

describe('checkNextContact', () => {
  it.each(cases)('%s', (_name, c) => {
    const findings = checkNextContact(scanOf(c.now, c));
    if (c.expected === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.kind).toBe(c.expected.kind);
    expect(f.details).toMatchObject(Object.fromEntries(Object.entries(c.expected).filter(([k]) => k !== 'kind')));
  });

  it('reports a missing next contact in full', () => {
    expect(checkNextContact(scanOf(msk('2025-03-10T18:00:00'), { activities: [doneCall()], discipline: { nextContactGraceHours: 2 } }))).toEqual([
      {
        kind: 'next_contact_missing',
        dedupeKey: 'next_contact_missing:501',
        entity: 'deal',
        dealId: '501',
        dealTitle: 'Acme: 40 laptops',
        managerId: '17',
        pipelineId: '0',
        stageId: 'FINAL_INVOICE',
        settledAt: null,
        details: { quietSince: '2025-03-10T09:05:00.000Z', lastActivityAt: '2025-03-10T09:05:00.000Z', hoursWithoutNextContact: 5, graceHours: 2 },
      },
    ]);
  });

  it('reports an overdue next contact in full', () => {
    const call = activity({ id: 'p9', subject: 'Send the contract', createdAt: msk('2025-03-10T12:10:00'), deadline: msk('2025-03-11T11:00:00') });
    expect(checkNextContact(scanOf(msk('2025-03-11T12:30:00'), { activities: [call] }))).toEqual([
      {
        kind: 'next_contact_overdue',
        dedupeKey: 'next_contact_overdue:501',
        entity: 'deal',
        dealId: '501',
        dealTitle: 'Acme: 40 laptops',
        managerId: '17',
        pipelineId: '0',
        stageId: 'FINAL_INVOICE',
        settledAt: null,
        details: {
          activityId: 'p9',
          activityKind: 'call',
          subject: 'Send the contract',
          dueAt: '2025-03-11T08:00:00.000Z',
          overdueMinutes: 90,
          overdueWorkingMinutes: 90,
        },
      },
    ]);
  });
});

import { checkFirstResponse, type FirstResponseSubject } from '../../src/discipline/checks/first-response.check.js';
import type { DisciplineActivity } from '../../src/discipline/discipline-input.js';
import type { WorkingTime } from '../../src/rules/rules-config.schema.js';
import { MOSCOW, TOKYO, activity, msk } from './discipline-fixtures.js';

interface Case {
  subject?: Partial<FirstResponseSubject>;
  activities?: DisciplineActivity[];
  workingTime?: WorkingTime;
  now: string;
  /** [responseWorkingMinutes, contactedAt (UTC) or null] or null for no finding. */
  expected: [number, string | null] | null;
}

// A deal that came in on Friday 2025-03-14 at 18:00 Moscow time, the end of the working day; SLA 30.
const FRIDAY_18 = msk('2025-03-14T18:00:00');
const contact = (overrides: Partial<DisciplineActivity>) => activity({ completed: true, createdAt: msk('2025-03-17T12:00:00'), ...overrides });

const cases: [string, Case][] = [
  ['Saturday noon: no working minute has passed, not late', { now: msk('2025-03-15T12:00:00'), expected: null }],
  ['Monday 09:30: exactly the 30 minutes, not late yet', { now: msk('2025-03-17T09:30:00'), expected: null }],
  ['Monday 09:31 and nobody called: late', { now: msk('2025-03-17T09:31:00'), expected: [31, null] }],
  ['called back Monday 09:20: in time', { activities: [contact({ startAt: msk('2025-03-17T09:20:00') })], now: msk('2025-03-17T12:00:00'), expected: null }],
  ['called back Monday 10:17: 77 minutes, late but done', { activities: [contact({ startAt: msk('2025-03-17T10:17:00') })], now: msk('2025-03-17T12:00:00'), expected: [77, '2025-03-17T07:17:00.000Z'] }],
  ['the earliest contact counts', { activities: [contact({ id: 'late', startAt: msk('2025-03-17T11:00:00') }), contact({ id: 'early', kind: 'email', startAt: null, createdAt: msk('2025-03-17T09:25:00') })], now: msk('2025-03-17T12:00:00'), expected: null }],
  ['an email counts when it was recorded', { activities: [contact({ kind: 'email', createdAt: msk('2025-03-17T09:40:00') })], now: msk('2025-03-17T12:00:00'), expected: [40, '2025-03-17T06:40:00.000Z'] }],
  ['an incoming call that was answered counts', { activities: [contact({ direction: 'in', startAt: msk('2025-03-17T09:05:00') })], now: msk('2025-03-17T12:00:00'), expected: null }],
  ['a chat counts', { activities: [contact({ kind: 'chat', direction: 'in', startAt: msk('2025-03-17T09:10:00') })], now: msk('2025-03-17T12:00:00'), expected: null }],
  ['a meeting counts', { activities: [contact({ kind: 'meeting', startAt: msk('2025-03-17T09:29:00') })], now: msk('2025-03-17T12:00:00'), expected: null }],
  ['an answered incoming call nobody has processed yet (open, with talk time) counts', { activities: [activity({ kind: 'call', direction: 'in', durationSec: 45, startAt: msk('2025-03-17T09:05:00') })], now: msk('2025-03-17T12:00:00'), expected: null }],
  ['an open call without talk time (missed) is no contact', { activities: [activity({ kind: 'call', direction: 'in', durationSec: 0, startAt: msk('2025-03-17T09:05:00') })], now: msk('2025-03-17T09:31:00'), expected: [31, null] }],
  ['a call planned for 09:10 and never made is no contact', { activities: [activity({ startAt: msk('2025-03-17T09:10:00'), createdAt: msk('2025-03-14T18:05:00') })], now: msk('2025-03-17T09:31:00'), expected: [31, null] }],
  ['a sent offer is no contact', { activities: [contact({ kind: 'offer', startAt: msk('2025-03-17T09:05:00') })], now: msk('2025-03-17T09:31:00'), expected: [31, null] }],
  ['a lead made from a call: the call came first', { activities: [contact({ direction: 'in', startAt: msk('2025-03-14T17:50:00') })], now: msk('2025-03-17T12:00:00'), expected: null }],
  ['closed unanswered (junk) is not judged', { subject: { open: false }, now: msk('2025-03-17T12:00:00'), expected: null }],
  ['closed after a late answer is still a late answer', { subject: { open: false }, activities: [contact({ startAt: msk('2025-03-17T10:00:00') })], now: msk('2025-03-17T12:00:00'), expected: [60, '2025-03-17T07:00:00.000Z'] }],
  ['Wednesday 10:00, nobody by 10:31', { subject: { createdAt: msk('2025-03-12T10:00:00') }, now: msk('2025-03-12T10:31:00'), expected: [31, null] }],
  ['Tokyo 09:31 Monday (03:31 in Moscow): late in Tokyo', { subject: { createdAt: '2025-03-16T23:00:00Z' }, workingTime: TOKYO, now: '2025-03-17T00:31:00Z', expected: [31, null] }],
  ['the same instants in Moscow: not late', { subject: { createdAt: '2025-03-16T23:00:00Z' }, workingTime: MOSCOW, now: '2025-03-17T00:31:00Z', expected: null }],
];

function run(c: Case) {
  const subject: FirstResponseSubject = { id: '501', title: 'Acme: 40 laptops', createdAt: FRIDAY_18, responsibleId: '17', pipelineId: '0', stageId: 'NEW', ...c.subject };
  return checkFirstResponse({ now: new Date(c.now), workingTime: c.workingTime ?? MOSCOW, slaMinutes: 30, subjects: [subject], activitiesBySubject: { '501': c.activities ?? [] } });
}

describe('checkFirstResponse', () => {
  it.each(cases)('%s', (_name, c) => {
    const findings = run(c);
    if (c.expected === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    const [f] = findings;
    if (f.kind !== 'slow_first_response') throw new Error(f.kind);
    expect([f.details.responseWorkingMinutes, f.details.contactedAt]).toEqual(c.expected);
    expect(f.settledAt).toBe(c.expected[1]);
    expect(f.details.workingMinutesLate).toBe(c.expected[0] - 30);
  });

  it('reports an unanswered deal in full, with when the SLA ran out', () => {
    expect(run({ now: msk('2025-03-17T11:00:00'), expected: null })).toEqual([
      {
        kind: 'slow_first_response',
        dedupeKey: 'slow_first_response:501',
        entity: 'deal',
        dealId: '501',
        dealTitle: 'Acme: 40 laptops',
        managerId: '17',
        pipelineId: '0',
        stageId: 'NEW',
        settledAt: null,
        details: {
          createdAt: '2025-03-14T15:00:00.000Z',
          slaMinutes: 30,
          slaDeadline: '2025-03-17T06:30:00.000Z',
          contactedAt: null,
          contactActivityId: null,
          responseWorkingMinutes: 120,
          workingMinutesLate: 90,
        },
      },
    ]);
  });

  it('a lead is keyed apart from a deal with the same id', () => {
    const [f] = run({ subject: { entity: 'lead', pipelineId: null, stageId: null }, now: msk('2025-03-17T09:31:00'), expected: null });
    expect([f.dedupeKey, f.entity, f.pipelineId, f.stageId]).toEqual(['slow_first_response:lead:501', 'lead', null, null]);
  });
});

import { runDisciplineChecks } from '../../src/discipline/run-discipline-checks.js';
import type { DisciplineScanInput } from '../../src/discipline/discipline-input.js';
import { MOSCOW, PIPELINE, activity, at, deal, msk, rules, task } from './discipline-fixtures.js';

// Scanned on Monday 2025-03-17 at 12:00 Moscow time. Each deal carries one seeded problem, or none.
function portalScan(firstResponseSince: Date | null = null): DisciplineScanInput {
  return {
    now: at('2025-03-17T12:00:00'),
    pipeline: PIPELINE,
    rules: rules(),
    workingTime: MOSCOW,
    deals: [
      // healthy: answered at once, called today, next call tomorrow
      deal({ id: 'healthy', stageId: 'PREPARATION', createdAt: msk('2025-03-10T10:00:00'), stageEnteredAt: msk('2025-03-11T10:00:00') }),
      // stalled in NEW (3 days): quiet since last Tuesday, but a call is planned for tomorrow
      deal({ id: 'stalled', stageId: 'NEW', createdAt: msk('2025-03-11T10:00:00'), stageEnteredAt: msk('2025-03-11T10:00:00') }),
      // called on time, nothing planned since this morning's call
      deal({ id: 'no-plan', stageId: 'EXECUTING', createdAt: msk('2025-03-10T10:00:00'), stageEnteredAt: msk('2025-03-12T10:00:00') }),
      // came in at 10:00 today, nobody reached out in two hours
      deal({ id: 'new-lead', stageId: 'NEW', createdAt: msk('2025-03-17T10:00:00'), stageEnteredAt: msk('2025-03-17T10:00:00') }),
      // a Stageguard fix task due last Friday; otherwise fine
      deal({ id: 'task', stageId: 'PREPARATION', createdAt: msk('2025-03-10T10:00:00'), stageEnteredAt: msk('2025-03-10T10:00:00') }),
      // won: nothing applies
      deal({ id: 'won', stageId: 'WON', stageSemantics: 'success', createdAt: msk('2025-01-10T10:00:00'), stageEnteredAt: msk('2025-01-20T10:00:00') }),
    ],
    activitiesByDeal: {
      healthy: [
        activity({ id: 'h1', completed: true, createdAt: msk('2025-03-10T10:05:00') }),
        activity({ id: 'h2', completed: true, createdAt: msk('2025-03-17T10:00:00') }),
        activity({ id: 'h3', createdAt: msk('2025-03-17T10:05:00'), deadline: msk('2025-03-18T11:00:00') }),
      ],
      stalled: [
        activity({ id: 's1', kind: 'email', completed: true, createdAt: msk('2025-03-11T10:10:00') }),
        activity({ id: 's2', createdAt: msk('2025-03-11T10:15:00'), deadline: msk('2025-03-18T11:00:00') }),
      ],
      'no-plan': [
        activity({ id: 'n1', completed: true, createdAt: msk('2025-03-10T10:10:00') }),
        activity({ id: 'n2', completed: true, createdAt: msk('2025-03-17T09:30:00') }),
      ],
      'new-lead': [activity({ id: 'l1', createdAt: msk('2025-03-17T10:01:00'), deadline: msk('2025-03-17T15:00:00') })],
      task: [
        activity({ id: 't1', completed: true, createdAt: msk('2025-03-10T10:10:00') }),
        activity({ id: 't2', completed: true, createdAt: msk('2025-03-17T11:00:00') }),
        activity({ id: 't3', createdAt: msk('2025-03-17T11:00:00'), deadline: msk('2025-03-19T11:00:00') }),
      ],
      won: [],
    },
    tasks: [
      task({ id: 'fix-1', dealId: 'task', deadline: msk('2025-03-14T18:00:00') }),
      task({ id: 'fix-2', dealId: 'healthy', deadline: msk('2025-03-20T18:00:00') }),
      task({ id: 'fix-3', dealId: 'won', deadline: msk('2025-03-01T18:00:00') }),
    ],
    firstResponseSince,
  };
}

describe('runDisciplineChecks', () => {
  it('finds each seeded problem once and nothing on healthy or closed deals', () => {
    expect(runDisciplineChecks(portalScan()).map((f) => f.dedupeKey)).toEqual([
      'deal_stalled:stalled:NEW',
      'next_contact_missing:no-plan',
      'slow_first_response:new-lead',
      'task_overdue:task:fix-1',
    ]);
  });

  it('a second run at the same moment finds the same', () => {
    expect(runDisciplineChecks(portalScan())).toEqual(runDisciplineChecks(portalScan()));
  });

  it('first responses are judged only for deals created since the cut-off', () => {
    const keys = runDisciplineChecks(portalScan(at('2025-03-17T10:30:00'))).map((f) => f.dedupeKey);
    expect(keys).not.toContain('slow_first_response:new-lead');
    expect(keys).toHaveLength(3);
  });

  it('a healthy pipeline yields nothing', () => {
    const input = portalScan();
    expect(runDisciplineChecks({ ...input, deals: input.deals.filter((d) => d.id === 'healthy' || d.id === 'won') })).toEqual([]);
  });
});

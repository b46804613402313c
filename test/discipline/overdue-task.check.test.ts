import { checkOverdueTasks } from '../../src/discipline/checks/overdue-task.check.js';
import type { DisciplineDeal, StageguardTask } from '../../src/discipline/discipline-input.js';
import type { DisciplineRules } from '../../src/rules/rules-config.schema.js';
import { msk, scanOf, task } from './discipline-fixtures.js';

interface Case {
  task?: Partial<StageguardTask>;
  deal?: Partial<DisciplineDeal>;
  discipline?: Partial<DisciplineRules>;
  now: string;
  /** [overdueMinutes, overdueWorkingMinutes] or null. */
  expected: [number, number] | null;
}

// The task was due on Wednesday 2025-03-12 at 18:00.
const cases: [string, Case][] = [
  ['due Wednesday 18:00, open on Thursday 10:00', { now: msk('2025-03-13T10:00:00'), expected: [16 * 60, 60] }],
  ['not due yet', { now: msk('2025-03-12T17:59:00'), expected: null }],
  ['due exactly now', { now: msk('2025-03-12T18:00:00'), expected: null }],
  ['completed', { task: { completed: true }, now: msk('2025-03-13T10:00:00'), expected: null }],
  ['overdue on Saturday: no working minute late yet, but overdue', { task: { deadline: msk('2025-03-14T18:00:00') }, now: msk('2025-03-15T10:00:00'), expected: [16 * 60, 0] }],
  ['the deal was won meanwhile', { deal: { stageId: 'WON', stageSemantics: 'success' }, now: msk('2025-03-13T10:00:00'), expected: null }],
  ['a task on a deal outside this scan', { task: { dealId: '999' }, now: msk('2025-03-13T10:00:00'), expected: null }],
  ['overdueTasks off', { discipline: { overdueTasks: false }, now: msk('2025-03-13T10:00:00'), expected: null }],
];

describe('checkOverdueTasks', () => {
  it.each(cases)('%s', (_name, c) => {
    const findings = checkOverdueTasks(scanOf(c.now, { deal: c.deal, discipline: c.discipline, tasks: [task(c.task)] }));
    if (c.expected === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings.map((f) => f.kind === 'task_overdue' && [f.details.overdueMinutes, f.details.overdueWorkingMinutes])).toEqual([c.expected]);
  });

  it('reports the task in full; the assignee is the one who is late', () => {
    expect(checkOverdueTasks(scanOf(msk('2025-03-13T10:00:00'), { tasks: [task()] }))).toEqual([
      {
        kind: 'task_overdue',
        dedupeKey: 'task_overdue:501:t1',
        entity: 'deal',
        dealId: '501',
        dealTitle: 'Acme: 40 laptops',
        managerId: '23',
        pipelineId: '0',
        stageId: 'FINAL_INVOICE',
        settledAt: null,
        details: { taskId: 't1', title: 'Fix the stage order: Acme: 40 laptops', deadline: '2025-03-12T15:00:00.000Z', overdueMinutes: 960, overdueWorkingMinutes: 60 },
      },
    ]);
  });

  it('two overdue tasks on one deal are two violations', () => {
    const findings = checkOverdueTasks(scanOf(msk('2025-03-13T10:00:00'), { tasks: [task({ id: 't1' }), task({ id: 't2' })] }));
    expect(findings.map((f) => f.dedupeKey)).toEqual(['task_overdue:501:t1', 'task_overdue:501:t2']);
  });
});

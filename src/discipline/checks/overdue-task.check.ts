import { disciplineOf } from '../../rules/rules-config.schema.js';
import { workingMinutesBetween } from '../../rules/working-time.js';
import { dedupeKeys, type DisciplineFinding } from '../discipline-finding.js';
import type { DisciplineScanInput } from '../discipline-input.js';

type Input = Pick<DisciplineScanInput, 'now' | 'pipeline' | 'rules' | 'workingTime' | 'deals' | 'tasks'>;

/**
 * Tasks Stageguard created that are past their deadline and not completed, on open deals of this
 * pipeline. A task on a won or lost deal (or a deal not given) is moot and not reported. The one to
 * act is the task's assignee. Off when the pipeline's overdueTasks is false.
 */
export function checkOverdueTasks(input: Input): DisciplineFinding[] {
  const { now, pipeline, workingTime } = input;
  if (!disciplineOf(input.rules).overdueTasks) return [];
  const nowMs = now.getTime();
  const openDeals = new Map(input.deals.filter((d) => d.stageSemantics === 'process').map((d) => [d.id, d]));
  const findings: DisciplineFinding[] = [];
  for (const task of input.tasks) {
    const deal = openDeals.get(task.dealId);
    const deadline = Date.parse(task.deadline);
    if (!deal || task.completed || deadline >= nowMs) continue;
    findings.push({
      kind: 'task_overdue',
      dedupeKey: dedupeKeys.taskOverdue(deal.id, task.id),
      entity: 'deal',
      dealId: deal.id,
      dealTitle: deal.title,
      managerId: task.responsibleId,
      pipelineId: pipeline.id,
      stageId: deal.stageId,
      settledAt: null,
      details: {
        taskId: task.id,
        title: task.title ?? null,
        deadline: new Date(deadline).toISOString(),
        overdueMinutes: Math.floor((nowMs - deadline) / 60_000),
        overdueWorkingMinutes: workingMinutesBetween(new Date(deadline), now, workingTime),
      },
    });
  }
  return findings;
}

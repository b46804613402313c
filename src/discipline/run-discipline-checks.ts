import { disciplineOf } from '../rules/rules-config.schema.js';
import { checkFirstResponse } from './checks/first-response.check.js';
import { checkNextContact } from './checks/next-contact.check.js';
import { checkOverdueTasks } from './checks/overdue-task.check.js';
import { checkStalledDeals } from './checks/stalled-deal.check.js';
import type { DisciplineFinding } from './discipline-finding.js';
import type { DisciplineScanInput } from './discipline-input.js';

/**
 * Every scheduled check over one pipeline of one portal. The findings are the whole truth for this
 * pipeline at `now`: a violation of these kinds that is not among them has cleared
 * (planViolationChanges with scanKinds = DISCIPLINE_KINDS), a disabled check included.
 */
export function runDisciplineChecks(input: DisciplineScanInput): DisciplineFinding[] {
  const since = input.firstResponseSince?.getTime() ?? -Infinity;
  const firstResponse = checkFirstResponse({
    now: input.now,
    workingTime: input.workingTime,
    slaMinutes: disciplineOf(input.rules).firstResponseSlaMinutes,
    subjects: input.deals
      .filter((d) => Date.parse(d.createdAt) >= since)
      .map((d) => ({
        id: d.id,
        title: d.title,
        createdAt: d.createdAt,
        responsibleId: d.responsibleId,
        pipelineId: input.pipeline.id,
        stageId: d.stageId,
        open: d.stageSemantics === 'process',
      })),
    activitiesBySubject: input.activitiesByDeal,
  });
  return [...checkStalledDeals(input), ...checkNextContact(input), ...firstResponse, ...checkOverdueTasks(input)];
}

import { disciplineOf } from '../../rules/rules-config.schema.js';
import { workingDaysBetween } from '../../rules/working-time.js';
import { iso, lastActivityAt } from '../activity-timing.js';
import { dedupeKeys, type DisciplineFinding } from '../discipline-finding.js';
import type { DisciplineScanInput } from '../discipline-input.js';

type Input = Pick<DisciplineScanInput, 'now' | 'pipeline' | 'rules' | 'workingTime' | 'deals' | 'activitiesByDeal'>;

/**
 * An open deal is stalled when nothing happened to it — no activity created or completed, no stage
 * change — for N whole working days in its current stage (workingDaysBetween). N is the stage's
 * maxDaysInStage (working days; a fraction rounds up, as days are counted whole), else the
 * pipeline's stalledAfterWorkingDays. Keyed per stage: moving the deal on resolves it, and stalling
 * again in the next stage is a new violation.
 */
export function checkStalledDeals(input: Input): DisciplineFinding[] {
  const { now, pipeline, rules, workingTime } = input;
  const nowMs = now.getTime();
  const fallback = disciplineOf(rules).stalledAfterWorkingDays;
  const findings: DisciplineFinding[] = [];
  for (const deal of input.deals) {
    if (deal.stageSemantics !== 'process') continue;
    const maxDays = rules.stages.find((s) => s.stageId === deal.stageId)?.maxDaysInStage;
    const threshold = maxDays === undefined ? fallback : Math.ceil(maxDays);
    const entered = Date.parse(deal.stageEnteredAt);
    const last = lastActivityAt(input.activitiesByDeal[deal.id] ?? [], nowMs);
    const quietSince = last === null ? entered : Math.max(entered, last);
    const days = workingDaysBetween(new Date(quietSince), now, workingTime);
    if (days < threshold) continue;
    findings.push({
      kind: 'deal_stalled',
      dedupeKey: dedupeKeys.dealStalled(deal.id, deal.stageId),
      entity: 'deal',
      dealId: deal.id,
      dealTitle: deal.title,
      managerId: deal.responsibleId,
      pipelineId: pipeline.id,
      stageId: deal.stageId,
      settledAt: null,
      details: {
        stageName: pipeline.stages.find((s) => s.id === deal.stageId)?.name ?? deal.stageId,
        workingDaysStalled: days,
        thresholdWorkingDays: threshold,
        quietSince: iso(quietSince),
        lastActivityAt: last === null ? null : iso(last),
        stageEnteredAt: iso(entered),
      },
    });
  }
  return findings;
}

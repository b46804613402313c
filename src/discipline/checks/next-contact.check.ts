import { disciplineOf } from '../../rules/rules-config.schema.js';
import { workingMinutesBetween } from '../../rules/working-time.js';
import { iso, lastActivityAt, nextPlannedActivity } from '../activity-timing.js';
import { dedupeKeys, type DisciplineFinding } from '../discipline-finding.js';
import type { DisciplineScanInput } from '../discipline-input.js';

type Input = Pick<DisciplineScanInput, 'now' | 'pipeline' | 'rules' | 'workingTime' | 'deals' | 'activitiesByDeal'>;

const HOUR = 3_600_000;

/**
 * Every open deal should have its next contact planned: an open activity of any kind (call,
 * meeting, task…) with a deadline or start. The earliest such activity is the next contact.
 * - none at all → next_contact_missing, once nextContactGraceHours (calendar hours) have passed
 *   since the last activity or the stage entry, whichever is later;
 * - the earliest is due before now → next_contact_overdue, even when a later one is also planned:
 *   the promise made to the client was not kept, and the stale activity still says otherwise.
 * Both are off when the pipeline's requireNextContact is false.
 */
export function checkNextContact(input: Input): DisciplineFinding[] {
  const { now, pipeline, workingTime } = input;
  const discipline = disciplineOf(input.rules);
  if (!discipline.requireNextContact) return [];
  const nowMs = now.getTime();
  const findings: DisciplineFinding[] = [];
  for (const deal of input.deals) {
    if (deal.stageSemantics !== 'process') continue;
    const activities = input.activitiesByDeal[deal.id] ?? [];
    const common = {
      entity: 'deal' as const,
      dealId: deal.id,
      dealTitle: deal.title,
      managerId: deal.responsibleId,
      pipelineId: pipeline.id,
      stageId: deal.stageId,
      settledAt: null,
    };
    const next = nextPlannedActivity(activities);
    if (next && next.due < nowMs) {
      findings.push({
        ...common,
        kind: 'next_contact_overdue',
        dedupeKey: dedupeKeys.nextContactOverdue(deal.id),
        details: {
          activityId: next.activity.id,
          activityKind: next.activity.kind,
          subject: next.activity.subject,
          dueAt: iso(next.due),
          overdueMinutes: Math.floor((nowMs - next.due) / 60_000),
          overdueWorkingMinutes: workingMinutesBetween(new Date(next.due), now, workingTime),
        },
      });
      continue;
    }
    if (next) continue;
    const last = lastActivityAt(activities, nowMs);
    const quietSince = Math.max(Date.parse(deal.stageEnteredAt), last ?? -Infinity);
    if (nowMs - quietSince < discipline.nextContactGraceHours * HOUR) continue;
    findings.push({
      ...common,
      kind: 'next_contact_missing',
      dedupeKey: dedupeKeys.nextContactMissing(deal.id),
      details: {
        quietSince: iso(quietSince),
        lastActivityAt: last === null ? null : iso(last),
        hoursWithoutNextContact: Math.max(0, Math.floor((nowMs - quietSince) / HOUR)),
        graceHours: discipline.nextContactGraceHours,
      },
    });
  }
  return findings;
}

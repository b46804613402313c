import type { WorkingTime } from '../../rules/rules-config.schema.js';
import { addWorkingMinutes, workingMinutesBetween } from '../../rules/working-time.js';
import { firstContact, iso } from '../activity-timing.js';
import { dedupeKeys, type DisciplineFinding } from '../discipline-finding.js';
import type { DisciplineActivity } from '../discipline-input.js';

/** A new deal or lead: anything with an id, a creation time and someone responsible for it. */
export interface FirstResponseSubject {
  /** Default 'deal'. */
  entity?: 'deal' | 'lead';
  id: string;
  title?: string;
  /** ISO. */
  createdAt: string;
  responsibleId: string | null;
  pipelineId?: string | null;
  stageId?: string | null;
  /** Closed (won, lost, junk) before anyone reached out: not judged. Default true. */
  open?: boolean;
}

export interface FirstResponseInput {
  now: Date;
  workingTime: WorkingTime;
  slaMinutes: number;
  subjects: readonly FirstResponseSubject[];
  /** Each subject's activities, by subject id. */
  activitiesBySubject: Readonly<Record<string, readonly DisciplineActivity[]>>;
}

/**
 * Was the client reached (firstContact: a completed call, email, chat or meeting) within slaMinutes
 * WORKING minutes of the deal coming in? Minutes are whole (workingMinutesBetween), and late means
 * more than slaMinutes of them.
 * - reached in time → nothing;
 * - not reached and the SLA has run out → a finding in force, with the minutes so far;
 * - reached late → a settled finding: it happened, with the measured minutes, and there is nothing
 *   left to chase.
 * A subject closed without any contact is not judged (a junk lead closed unanswered is no late answer).
 */
export function checkFirstResponse(input: FirstResponseInput): DisciplineFinding[] {
  const { now, workingTime, slaMinutes } = input;
  const nowMs = now.getTime();
  const findings: DisciplineFinding[] = [];
  for (const subject of input.subjects) {
    const entity = subject.entity ?? 'deal';
    const created = new Date(subject.createdAt);
    const contact = firstContact(input.activitiesBySubject[subject.id] ?? [], nowMs);
    if (!contact && subject.open === false) continue;
    const minutes = workingMinutesBetween(created, contact ? new Date(contact.at) : now, workingTime);
    if (minutes <= slaMinutes) continue;
    findings.push({
      kind: 'slow_first_response',
      dedupeKey: dedupeKeys.slowFirstResponse(entity, subject.id),
      entity,
      dealId: subject.id,
      dealTitle: subject.title ?? '',
      managerId: subject.responsibleId,
      pipelineId: subject.pipelineId ?? null,
      stageId: subject.stageId ?? null,
      settledAt: contact ? iso(contact.at) : null,
      details: {
        createdAt: created.toISOString(),
        slaMinutes,
        slaDeadline: addWorkingMinutes(created, slaMinutes, workingTime).toISOString(),
        contactedAt: contact ? iso(contact.at) : null,
        contactActivityId: contact ? contact.activity.id : null,
        responseWorkingMinutes: minutes,
        workingMinutesLate: minutes - slaMinutes,
      },
    });
  }
  return findings;
}

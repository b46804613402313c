import type { ActivityKind } from '../domain/crm.js';

// What a scheduled check reports, as plain JSON-ready data: `details` is stored as the violation's
// details and read by people, so every number in it is one a head of sales would quote.

export const DISCIPLINE_KINDS = [
  'deal_stalled',
  'next_contact_missing',
  'next_contact_overdue',
  'slow_first_response',
  'task_overdue',
] as const;

export type DisciplineKind = (typeof DISCIPLINE_KINDS)[number];

interface FindingCommon {
  /**
   * One open violation per deal and rule: kind + deal (+ stage for a stalled deal, + task for an
   * overdue task). The same key seen again on the next run is the same violation, not a new one.
   */
  dedupeKey: string;
  /** 'lead' only for a Bitrix24 lead given to the first-response check; everything else is a deal. */
  entity: 'deal' | 'lead';
  /** The deal's (or lead's) host id. */
  dealId: string;
  dealTitle: string;
  /** Who has to act: the deal's responsible, or the task's assignee for an overdue task. */
  managerId: string | null;
  pipelineId: string | null;
  stageId: string | null;
  /**
   * ISO instant when a condition that did hold stopped holding by itself in a way that leaves a fact
   * behind (a lead first answered late). Such a finding is recorded and alerted once, resolved at
   * once, never escalated. Null for every finding still in force.
   */
  settledAt: string | null;
}

export interface DealStalledDetails {
  stageName: string;
  /** Whole working days without an activity or a stage change (see workingDaysBetween). */
  workingDaysStalled: number;
  /** The stage's maxDaysInStage, or the pipeline's stalledAfterWorkingDays. */
  thresholdWorkingDays: number;
  /** ISO: the later of the stage entry and the last activity. */
  quietSince: string;
  lastActivityAt: string | null;
  stageEnteredAt: string;
}

export interface NextContactMissingDetails {
  /** ISO: the later of the stage entry and the last activity; the grace period runs from here. */
  quietSince: string;
  lastActivityAt: string | null;
  /** Calendar hours since quietSince, rounded down. */
  hoursWithoutNextContact: number;
  graceHours: number;
}

export interface NextContactOverdueDetails {
  activityId: string;
  activityKind: ActivityKind;
  subject: string;
  /** ISO: the activity's deadline, or its start when it has no deadline. */
  dueAt: string;
  /** Calendar minutes since dueAt. */
  overdueMinutes: number;
  /** Working minutes since dueAt: zero over a weekend. */
  overdueWorkingMinutes: number;
}

export interface SlowFirstResponseDetails {
  /** ISO: when the deal or lead came in. */
  createdAt: string;
  slaMinutes: number;
  /** ISO: when the SLA's working minutes ran out. */
  slaDeadline: string;
  /** ISO: the first contact, or null while there is none. */
  contactedAt: string | null;
  contactActivityId: string | null;
  /** Working minutes from creation to the first contact, or to now while there is none. */
  responseWorkingMinutes: number;
  /** responseWorkingMinutes beyond the SLA. */
  workingMinutesLate: number;
}

export interface TaskOverdueDetails {
  taskId: string;
  title: string | null;
  /** ISO. */
  deadline: string;
  overdueMinutes: number;
  overdueWorkingMinutes: number;
}

export type DisciplineFinding =
  | (FindingCommon & { kind: 'deal_stalled'; details: DealStalledDetails })
  | (FindingCommon & { kind: 'next_contact_missing'; details: NextContactMissingDetails })
  | (FindingCommon & { kind: 'next_contact_overdue'; details: NextContactOverdueDetails })
  | (FindingCommon & { kind: 'slow_first_response'; details: SlowFirstResponseDetails })
  | (FindingCommon & { kind: 'task_overdue'; details: TaskOverdueDetails });

export const dedupeKeys = {
  dealStalled: (dealId: string, stageId: string) => `deal_stalled:${dealId}:${stageId}`,
  nextContactMissing: (dealId: string) => `next_contact_missing:${dealId}`,
  nextContactOverdue: (dealId: string) => `next_contact_overdue:${dealId}`,
  // A lead and a deal can share a numeric id on Bitrix24; the entity keeps their keys apart.
  slowFirstResponse: (entity: 'deal' | 'lead', id: string) =>
    entity === 'lead' ? `slow_first_response:lead:${id}` : `slow_first_response:${id}`,
  taskOverdue: (dealId: string, taskId: string) => `task_overdue:${dealId}:${taskId}`,
};

import type { DisciplineActivity } from './discipline-input.js';

// When things happened, read from activities. Instants are epoch milliseconds inside the checks and
// ISO strings at their edges.

const CONTACT_KINDS = new Set(['call', 'email', 'chat', 'meeting']);

/**
 * The last moment the activity shows someone working the deal: its creation (planning a call is
 * work too) or, once completed, its completion — completedAt when known, else its start or deadline.
 * Nothing later than `now`: a meeting marked done ahead of its date was done by now.
 */
export function lastTouch(activity: DisciplineActivity, now: number): number {
  let touch = Date.parse(activity.createdAt);
  if (activity.completed) {
    const completed = activity.completedAt ?? activity.startAt ?? activity.deadline;
    if (completed) touch = Math.max(touch, Date.parse(completed));
  }
  return Math.min(touch, now);
}

/** The latest lastTouch over the activities, or null when there are none. */
export function lastActivityAt(activities: readonly DisciplineActivity[], now: number): number | null {
  let latest: number | null = null;
  for (const activity of activities) {
    const touch = lastTouch(activity, now);
    if (latest === null || touch > latest) latest = touch;
  }
  return latest;
}

/** When an open activity is due: its deadline, else its planned start; null if it has neither. */
export function dueAt(activity: DisciplineActivity): number | null {
  const due = activity.deadline ?? activity.startAt;
  return due === null ? null : Date.parse(due);
}

/**
 * The earliest open activity with a date: the deal's next contact. Null when nothing is planned.
 * Ties go to the lower id, so the same data always names the same activity.
 */
export function nextPlannedActivity(activities: readonly DisciplineActivity[]): { activity: DisciplineActivity; due: number } | null {
  let next: { activity: DisciplineActivity; due: number } | null = null;
  for (const activity of activities) {
    if (activity.completed) continue;
    const due = dueAt(activity);
    if (due === null) continue;
    if (next === null || due < next.due || (due === next.due && activity.id < next.activity.id)) next = { activity, due };
  }
  return next;
}

/**
 * The first time the client was reached: a call, email, chat or meeting that happened, whoever made it
 * and in either direction. Happened means completed, or a call with talk time: Bitrix24 leaves an
 * answered incoming call an open to-do until someone processes it, yet the client was reached (the
 * first-response report counts the same way: src/reports/queries/first-response.query.ts). It
 * happened at its start (a call logged after hanging up started earlier), else when it was recorded;
 * never later than its completion or `now`. A planned call that nobody made is not a contact.
 */
export function firstContact(activities: readonly DisciplineActivity[], now: number): { activity: DisciplineActivity; at: number } | null {
  let first: { activity: DisciplineActivity; at: number } | null = null;
  for (const activity of activities) {
    const tookPlace = activity.completed || (activity.kind === 'call' && (activity.durationSec ?? 0) > 0);
    if (!tookPlace || !CONTACT_KINDS.has(activity.kind)) continue;
    const happened = Date.parse(activity.startAt ?? activity.createdAt);
    const doneBy = activity.completedAt ? Date.parse(activity.completedAt) : now;
    const at = Math.min(happened, doneBy, now);
    if (first === null || at < first.at || (at === first.at && activity.id < first.activity.id)) first = { activity, at };
  }
  return first;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

import type { ActionSpec } from '../domain/actions.js';
import type { Locale } from '../rules/rules-config.schema.js';
import type { DisciplineFinding } from './discipline-finding.js';
import { disciplineMessages } from './discipline-messages.js';
import type { OpenViolation, ViolationPlan } from './violation-lifecycle.js';

export interface DisciplineAlertInput {
  now: Date;
  plan: ViolationPlan;
  /** The findings the plan was made from: an escalated violation is described by its current finding. */
  findings: readonly DisciplineFinding[];
  /** The open violations the plan was made from: their detectedAt dates the escalations. */
  open: readonly OpenViolation[];
  locale: Locale;
  /** The portal's time zone, for the dates in messages. */
  timeZone: string;
  headsOfSales: readonly string[];
  /** Display names by user id, for escalations ("responsible: …"); a missing one shows as #id. */
  managerNames?: Readonly<Record<string, string>>;
}

export interface DisciplineAlert {
  dedupeKey: string;
  event: 'open' | 'escalate';
  /**
   * The cause key for ActionRepository.record. It names the violation's occurrence (opened at `now`,
   * which the shell must store as detected_at) so a violation that clears and comes back alerts again,
   * while a retried run maps onto the actions already recorded.
   */
  causeKey: string;
  actions: ActionSpec[];
}

const HOUR = 3_600_000;

/**
 * The notifications a plan calls for, as data:
 * - opened → the responsible manager, tagged `stageguard:discipline:<dedupeKey>` so a repeat replaces
 *   the earlier one; with nobody responsible, the heads of sales instead;
 * - escalated → each head of sales, with how long it has been open and whose it is.
 * Bitrix24 keeps one notification per TAG across users (a repeat removes the others), so every
 * recipient but the responsible manager gets a tag of their own.
 * Resolutions send nothing: the fixed problem is its own news. Alerts without recipients are left out.
 */
export function disciplineAlerts(input: DisciplineAlertInput): DisciplineAlert[] {
  const messages = disciplineMessages(input.locale);
  const heads = [...new Set(input.headsOfSales)];
  const nameOf = (userId: string | null) => (userId === null ? null : (input.managerNames?.[userId] ?? `#${userId}`));
  const alerts: DisciplineAlert[] = [];

  for (const finding of input.plan.open) {
    const text = messages.finding(finding, input.timeZone);
    const tag = `stageguard:discipline:${finding.dedupeKey}`;
    const actions: ActionSpec[] =
      finding.managerId !== null
        ? [{ kind: 'notify', slug: `notify:${finding.managerId}`, userId: finding.managerId, message: text, tag }]
        : heads.map((userId) => ({ kind: 'notify', slug: `notify:${userId}`, userId, message: text, tag: `${tag}:${userId}` }));
    if (actions.length === 0) continue;
    alerts.push({ dedupeKey: finding.dedupeKey, event: 'open', causeKey: `discipline:${finding.dedupeKey}:open:${input.now.toISOString()}`, actions });
  }

  const findingByKey = new Map(input.findings.map((f) => [f.dedupeKey, f]));
  const openByKey = new Map(input.open.map((v) => [v.dedupeKey, v]));
  for (const key of input.plan.escalate) {
    const finding = findingByKey.get(key);
    const violation = openByKey.get(key);
    if (!finding || !violation || heads.length === 0) continue;
    const detectedAt = new Date(violation.detectedAt);
    const hoursOpen = Math.floor((input.now.getTime() - detectedAt.getTime()) / HOUR);
    const text = messages.escalation(messages.finding(finding, input.timeZone), hoursOpen, nameOf(finding.managerId));
    alerts.push({
      dedupeKey: key,
      event: 'escalate',
      causeKey: `discipline:${key}:escalate:${detectedAt.toISOString()}`,
      actions: heads.map((userId) => ({
        kind: 'notify',
        slug: `notify:${userId}`,
        userId,
        message: text,
        tag: `stageguard:discipline:${key}:escalation:${userId}`,
      })),
    });
  }
  return alerts;
}

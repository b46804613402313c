import type { ActionSpec } from '../../domain/actions.js';
import type { MetricsRecord } from '../../domain/metrics-record.js';
import type { ReportsWriteback, WorkingTime } from '../../rules/rules-config.schema.js';
import { formatIsoDate, localDateAt, type LocalDate } from '../../rules/working-time.js';
import { digestSlot } from '../../discipline/discipline-digest.js';
import { previousWeekIfFirstWorkingDay, sincePreviousWorkingDay, type LocalPeriod } from './writeback-period.js';

export interface WritebackDue {
  /** The local working date the run belongs to. */
  today: LocalDate;
  /** Since the previous working day: the KPI lines' and the metrics record's window. */
  daily: LocalPeriod;
  /** The digest's period today, null when no digest is due (weekly on another day, or off). */
  digest: LocalPeriod | null;
}

/**
 * What the write-back owes at `now`: nothing before hourLocal or on a day off; otherwise today's
 * windows. Each output below carries a cause key per portal and date (or digest period), so any
 * number of ticks after the hour record each write once, and a tick missed is made up later that day.
 */
export function writebackDue(now: Date, settings: ReportsWriteback, wt: WorkingTime): WritebackDue | null {
  if (!digestSlot(now, settings.hourLocal, wt)) return null;
  const today = localDateAt(now, wt.timeZone);
  const daily = sincePreviousWorkingDay(today, wt);
  const digest = settings.digest === 'off' ? null : settings.digest === 'weekly' ? previousWeekIfFirstWorkingDay(today, wt) : daily;
  return { today, daily, digest };
}

export interface CausedActions {
  causeKey: string;
  actions: ActionSpec[];
}

export const metricsDigestKey = (portalId: string, frequency: 'daily' | 'weekly', period: LocalPeriod) =>
  `metrics-digest:${portalId}:${frequency}:${formatIsoDate(period.start)}`;
export const kpiLineKey = (portalId: string, today: LocalDate) => `kpi-line:${portalId}:${formatIsoDate(today)}`;
export const metricsRecordKey = (portalId: string, today: LocalDate) => `metrics-record:${portalId}:${formatIsoDate(today)}`;

export function metricsDigestActions(a: { portalId: string; frequency: 'daily' | 'weekly'; period: LocalPeriod; text: string; headsOfSales: readonly string[] }): CausedActions {
  return {
    causeKey: metricsDigestKey(a.portalId, a.frequency, a.period),
    actions: [...new Set(a.headsOfSales)].map((userId) => ({
      kind: 'notify',
      slug: `notify:${userId}`,
      userId,
      message: a.text,
      // One tag per head of sales: the next digest replaces this one instead of piling up.
      tag: `stageguard:metrics-digest:${userId}`,
    })),
  };
}

export function kpiLineActions(a: { portalId: string; today: LocalDate; lines: ReadonlyArray<{ managerId: string; text: string }> }): CausedActions {
  return {
    causeKey: kpiLineKey(a.portalId, a.today),
    actions: a.lines.map((l) => ({ kind: 'notify', slug: `notify:${l.managerId}`, userId: l.managerId, message: l.text, tag: `stageguard:kpi:${l.managerId}` })),
  };
}

export function metricsRecordActions(a: { portalId: string; today: LocalDate; records: readonly MetricsRecord[] }): CausedActions {
  return {
    causeKey: metricsRecordKey(a.portalId, a.today),
    actions: a.records.map((record) => ({ kind: 'write_metrics_record', slug: `record:${record.key}`, record })),
  };
}

import type { MetricsRecord, MetricsRecordSchema } from '../../domain/metrics-record.js';
import type { Locale } from '../../rules/rules-config.schema.js';
import { formatIsoDate } from '../../rules/working-time.js';
import { ACTIVITY_METRICS, type ActivityCounters, type ActivityMetric } from '../report-filter.js';
import { writebackPhrases } from './writeback-messages.js';
import { addDays, type LocalPeriod } from './writeback-period.js';

/** callsOver30s → CALLS_OVER30S: list field codes are upper-case identifiers. */
export const metricFieldCode = (metric: ActivityMetric): string => metric.replace(/([A-Z])/g, '_$1').toUpperCase();

/**
 * The record's fields. Dates go in as ISO text ("2026-11-01"), not as date fields: a list date field
 * takes the portal's own display format, which an app cannot know for sure, and ISO text still sorts
 * and filters correctly.
 */
export function metricsRecordSchema(locale: Locale): MetricsRecordSchema {
  const t = writebackPhrases(locale);
  const f = t.recordFields;
  return {
    name: f.listName,
    description: f.listDescription,
    fields: [
      { code: 'MANAGER', type: 'employee', name: f.manager },
      { code: 'PERIOD', type: 'string', name: f.period },
      { code: 'PERIOD_START', type: 'string', name: f.periodStart },
      { code: 'PERIOD_END', type: 'string', name: f.periodEnd },
      ...ACTIVITY_METRICS.map((m) => ({ code: metricFieldCode(m), type: 'number' as const, name: t.metric[m] })),
      { code: 'VIOLATIONS', type: 'number', name: t.violations },
      { code: 'UPDATED_AT', type: 'string', name: f.updatedAt },
    ],
  };
}

/** One manager's month to date as a record; `period` is the part of the month covered so far. */
export function metricsRecord(input: {
  managerId: string;
  managerName: string;
  month: LocalPeriod & { key: string };
  counters: ActivityCounters;
  violations: number;
  updatedAt: Date;
}): MetricsRecord {
  const { month } = input;
  return {
    key: `stageguard-${input.managerId}-${month.key}`,
    title: `${input.managerName} · ${month.key}`,
    values: {
      MANAGER: input.managerId,
      PERIOD: month.key,
      PERIOD_START: formatIsoDate(month.start),
      PERIOD_END: formatIsoDate(addDays(month.end, -1)),
      ...Object.fromEntries(ACTIVITY_METRICS.map((m) => [metricFieldCode(m), input.counters[m]])),
      VIOLATIONS: input.violations,
      UPDATED_AT: input.updatedAt.toISOString(),
    },
  };
}

/** What every report is asked for: one portal, a period [from, to), optionally one pipeline and one manager. */
export interface ReportFilter {
  portalId: string;
  from: Date;
  to: Date;
  pipelineId?: string;
  managerId?: string;
}

/** Activity and deal counters per manager; also the metric names a plan can target. */
export const ACTIVITY_METRICS = [
  'callsIn',
  'callsOut',
  'callsOver30s',
  'meetings',
  'emails',
  'offers',
  'chats',
  'leadsProcessed',
  'dealsCreated',
  'dealsWon',
  'wonAmount',
] as const;
export type ActivityMetric = (typeof ACTIVITY_METRICS)[number];
export type ActivityCounters = Record<ActivityMetric, number>;

export const zeroCounters = (): ActivityCounters => Object.fromEntries(ACTIVITY_METRICS.map((m) => [m, 0])) as ActivityCounters;

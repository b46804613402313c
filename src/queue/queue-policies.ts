// Every queue, declared once, with its retry policy as data. The queue (pg-boss) owns retries,
// backoff and dead-lettering; job handlers stay thin and just throw.

export const DEAD_LETTER_QUEUE = 'dead-letter';

export interface QueuePolicy {
  name: string;
  retryLimit: number;
  /** Seconds before the first retry; doubled per attempt with jitter when backoff is on. */
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax: number;
  /** Seconds a running job may take before it is presumed dead and retried. */
  expireInSeconds: number;
  deadLetter: string | null;
  /**
   * A running job's worker refreshes it this often (pg-boss does it while the handler runs); a job
   * whose worker died (SIGKILL, lost machine) is retried once it goes stale, not after expireInSeconds.
   */
  heartbeatSeconds?: number;
}

const standard = (name: string, overrides: Partial<QueuePolicy> = {}): QueuePolicy => ({
  name,
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 300,
  deadLetter: DEAD_LETTER_QUEUE,
  heartbeatSeconds: 30,
  ...overrides,
});

export const QUEUES = {
  /** One inbound host event: re-read the entity, update projections, evaluate rules. */
  event: standard('event'),
  /** One write to a host, recorded in `actions` with its idempotency key. */
  action: standard('action', { retryLimit: 10 }),
  /** After install: bind events and placements, import pipelines, create the goal field. */
  install: standard('install', { retryLimit: 5 }),
  /** Import of deals, stage history and activities of the last N days; resumable. */
  historyImport: standard('history-import', { retryLimit: 20, expireInSeconds: 1800 }),
  /** Cron ticks (one job per tick, whatever the number of instances). */
  disciplineScan: standard('discipline-scan', { retryLimit: 2 }),
  reconcile: standard('reconcile', { retryLimit: 2 }),
  /** Daily reports written back to the host: metrics digest, KPI lines, metrics record. */
  metricsWriteback: standard('metrics-writeback', { retryLimit: 3 }),
  /** Portal housekeeping: data purge after uninstall grace period. */
  maintenance: standard('maintenance', { retryLimit: 3 }),
} as const;

export type QueueKey = keyof typeof QUEUES;

export const DEAD_LETTER_POLICY: QueuePolicy = {
  name: DEAD_LETTER_QUEUE,
  retryLimit: 0,
  retryDelay: 0,
  retryBackoff: false,
  retryDelayMax: 0,
  expireInSeconds: 60,
  deadLetter: null,
};

export function allPolicies(): QueuePolicy[] {
  return [DEAD_LETTER_POLICY, ...Object.values(QUEUES)];
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobsTotal: Counter<'queue' | 'outcome'>;
  jobDuration: Histogram<'queue'>;
  queueDepth: Gauge<'queue' | 'state'>;
  hostCalls: Counter<'host' | 'outcome'>;
  reconcileLagSeconds: Gauge<'portal'>;
}

export interface MetricSources {
  queueDepth?: () => Promise<{ name: string; queued: number; active: number; failed: number }[]>;
  /** Set once the database is up; read at scrape time. */
  reconcileLag?: () => Promise<{ portalId: string; seconds: number }[]>;
}

export function createMetrics(collectQueueDepth?: MetricSources['queueDepth'], sources: MetricSources = {}): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const queueDepth = new Gauge({
    name: 'stageguard_queue_jobs',
    help: 'Jobs per queue and state, read from the queue at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      if (!collectQueueDepth) return;
      this.reset();
      for (const q of await collectQueueDepth()) {
        this.set({ queue: q.name, state: 'queued' }, q.queued);
        this.set({ queue: q.name, state: 'active' }, q.active);
        this.set({ queue: q.name, state: 'failed' }, q.failed);
      }
    },
  });
  return {
    registry,
    queueDepth,
    httpDuration: new Histogram({
      name: 'stageguard_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobsTotal: new Counter({
      name: 'stageguard_jobs_total',
      help: 'Jobs run, by queue and outcome',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'stageguard_job_duration_seconds',
      help: 'Job run time',
      labelNames: ['queue'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers: [registry],
    }),
    hostCalls: new Counter({
      name: 'stageguard_host_calls_total',
      help: 'HTTP calls made to host CRMs',
      labelNames: ['host', 'outcome'] as const,
      registers: [registry],
    }),
    reconcileLagSeconds: new Gauge({
      name: 'stageguard_reconcile_lag_seconds',
      help: 'Seconds since the last completed reconcile of each active portal',
      labelNames: ['portal'] as const,
      registers: [registry],
      async collect() {
        if (!sources.reconcileLag) return;
        this.reset();
        for (const r of await sources.reconcileLag()) this.set({ portal: r.portalId }, r.seconds);
      },
    }),
  };
}

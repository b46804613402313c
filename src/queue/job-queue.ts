import { PgBoss, type Job } from 'pg-boss';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import type { Db } from '../db/data-source.js';
import { returningRows } from '../db/returning-rows.js';
import { withTransaction } from '../db/with-transaction.js';
import type { Logger } from '../log/logger.js';
import type { AppMetrics } from '../observability/metrics.js';
import { allPolicies, DEAD_LETTER_QUEUE, type QueuePolicy } from './queue-policies.js';

export type JobHandler<T = unknown> = (data: T, job: { id: string; name: string; retryCount: number }) => Promise<void>;

export interface SendOptions {
  /** Run the insert inside this open transaction (inbox row + job commit together or not at all). */
  tx?: QueryRunner;
  /** Deterministic job id: a second send with the same id is a no-op. Must be a UUID. */
  id?: string;
  startAfterSeconds?: number;
  /** Jobs with the same group id share `groupConcurrency` across every worker process. */
  groupId?: string;
}

/**
 * The durable job queue: pg-boss on the application's own database, so the inbox insert and its job
 * share a transaction and every web/worker process on any machine coordinates through Postgres alone.
 */
/** Jobs fetched at once, and the most jobs of one portal (job group) active at once. */
const PORTAL_BATCH = 10;

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly handlers = new Map<string, JobHandler<any>>();
  private readonly policies: QueuePolicy[];
  private workerIds: string[] = [];

  constructor(
    connectionString: string,
    private readonly log: Logger,
    private readonly metrics: AppMetrics | null,
    opts: { policies?: QueuePolicy[]; schema?: string; poolSize?: number; heartbeatSeconds?: number; superviseSeconds?: number } = {},
  ) {
    this.policies = (opts.policies ?? allPolicies()).map((p) => (p.heartbeatSeconds && opts.heartbeatSeconds ? { ...p, heartbeatSeconds: opts.heartbeatSeconds } : p));
    this.boss = new PgBoss({
      connectionString,
      schema: opts.schema ?? 'pgboss',
      max: opts.poolSize ?? 5,
      application_name: 'stageguard-queue',
      ...(opts.superviseSeconds ? { superviseIntervalSeconds: opts.superviseSeconds } : {}),
    } as ConstructorParameters<typeof PgBoss>[0]);
    this.boss.on('error', (err: Error) => this.log.error({ err }, 'queue error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    const existing = new Set((await this.boss.getQueues()).map((q: { name: string }) => q.name));
    // Dead-letter queue first: the others reference it.
    for (const p of this.policies) {
      const options = {
        retryLimit: p.retryLimit,
        retryDelay: p.retryDelay,
        retryBackoff: p.retryBackoff,
        ...(p.retryBackoff ? { retryDelayMax: p.retryDelayMax } : {}),
        expireInSeconds: p.expireInSeconds,
        ...(p.deadLetter ? { deadLetter: p.deadLetter } : {}),
        ...(p.heartbeatSeconds ? { heartbeatSeconds: p.heartbeatSeconds } : {}),
      };
      if (existing.has(p.name)) await this.boss.updateQueue(p.name, options);
      else await this.createQueueIgnoringRace(p.name, options);
    }
  }

  private async createQueueIgnoringRace(name: string, options: object): Promise<void> {
    try {
      await this.boss.createQueue(name, options);
    } catch (err) {
      // Another instance starting at the same moment created it first.
      if (!(await this.boss.getQueue(name))) throw err;
    }
  }

  register<T>(queue: string, handler: JobHandler<T>): void {
    if (!this.policies.some((p) => p.name === queue)) throw new Error(`Unknown queue "${queue}": declare it in queue-policies.ts`);
    this.handlers.set(queue, handler as JobHandler<any>);
  }

  async send(queue: string, data: object, opts: SendOptions = {}): Promise<string | null> {
    const options: Record<string, unknown> = {};
    if (opts.id) options.id = opts.id;
    if (opts.startAfterSeconds) options.startAfter = opts.startAfterSeconds;
    if (opts.groupId) options.group = { id: opts.groupId };
    if (opts.tx) options.db = transactionDb(opts.tx);
    return this.boss.send(queue, data, options);
  }

  /**
   * Insert rows and their jobs in ONE statement: one round trip, atomic without BEGIN/COMMIT. This
   * is the webhook hot path (see InboxWriter, which batches concurrent requests into one call).
   * `rowSql` is an INSERT … RETURNING key; a job is inserted only for a row that was inserted
   * (a duplicate inserts neither), matched by `jobKeySql`, an expression over `j.data` (the job's
   * data as jsonb) that yields the same key. pg-boss builds the job insert itself
   * (`json_to_recordset($1)`); we only filter its input. Should a future pg-boss build it
   * differently, this falls back to one transaction per row.
   */
  async insertRowsWithJobs(
    db: Db,
    queue: string,
    rowSql: string,
    rowParams: unknown[],
    jobs: { key: string; data: object; groupId?: string }[],
    jobKeySql: string,
  ): Promise<{ insertedKeys: Set<string>; path: 'single-statement' | 'fallback' }> {
    let inserted: Set<string> | null = null;
    const n = rowParams.length;
    const adapter = {
      executeSql: async (text: string, values?: unknown[]) => {
        const marker = '$1::text::json';
        if (!text.includes(marker) || values?.length !== 1 || /^\s*WITH\b/i.test(text)) return { rows: [] as unknown[] };
        const filtered = `(SELECT COALESCE(json_agg(j.job), '[]'::json) FROM json_array_elements($${n + 1}::text::json) AS j(job)
                            WHERE ${jobKeySql.replaceAll('j.data', "(j.job->'data')")} IN (SELECT key FROM sg_row))::text::json`;
        const combined = `WITH sg_row AS (${rowSql}), sg_job AS (${text.replace(marker, filtered)}) SELECT key FROM sg_row`;
        // Named, so each connection plans it once: the text is constant per queue and batch shape.
        const name = `sg_${createHash('sha1').update(combined).digest('hex').slice(0, 16)}`;
        const pool = (db.driver as unknown as { master: Pool }).master;
        const result = await pool.query({ name, text: combined, values: [...rowParams, values[0]] });
        inserted = new Set(result.rows.map((r: { key: string }) => r.key));
        return { rows: [] as unknown[] };
      },
    };
    await this.boss.insert(
      queue,
      jobs.map((j) => ({ data: j.data, ...(j.groupId ? { group: { id: j.groupId } } : {}) })),
      { db: adapter } as never,
    );
    if (inserted) return { insertedKeys: inserted, path: 'single-statement' };

    this.log.warn({ queue }, 'pg-boss job insert has an unexpected shape: falling back to one transaction per row');
    const keys = new Set<string>();
    await withTransaction(db, async (tx) => {
      const rows = returningRows<{ key: string }>(await tx.query(rowSql, rowParams));
      for (const r of rows) keys.add(r.key);
      for (const j of jobs) if (keys.has(j.key)) await this.send(queue, j.data, { tx, groupId: j.groupId });
    });
    return { insertedKeys: keys, path: 'fallback' };
  }

  /** Start polling workers for every registered handler. */
  async startWorkers(concurrency: number, pollingIntervalSeconds = 1): Promise<void> {
    for (const [name] of this.handlers) {
      const id = await this.boss.work(
        name,
        {
          localConcurrency: concurrency,
          // Fairness between portals. Without a group limit every slot fetched the oldest jobs, all of
          // one portal when its backlog was oldest, and they all waited on that portal's rate budget
          // while the other portals' work sat behind them (measured: 2 actions/s across 4 portals
          // whose budgets allowed 8). With at most one batch per portal active at a time, across
          // every worker process (the limit is kept in the database), the other slots take other
          // portals; a batch still fills (the limit equals its size), so a backlog drains without
          // waiting a polling interval between batches. The count is read when a fetch starts, so two
          // fetches in the same instant can both take one portal; slots drift apart under real load.
          groupConcurrency: PORTAL_BATCH,
          // Batches of jobs, settled one by one; a full batch means more is waiting, so the next fetch
          // comes at once instead of after the polling interval (with batches of one, a backlog would
          // drain at one job per interval per slot).
          batchSize: PORTAL_BATCH,
          burstWhenBatchFull: true,
          perJobResults: true,
          pollingIntervalSeconds,
          includeMetadata: true,
        },
        async (jobs: Job<object>[]) => {
          const results: { id: string; status: 'completed' | 'failed'; output?: object }[] = [];
          for (const job of jobs) {
            try {
              await this.run(name, job as Job<object> & { retryCount?: number });
              results.push({ id: job.id, status: 'completed' });
            } catch (err) {
              results.push({ id: job.id, status: 'failed', output: { message: err instanceof Error ? err.message : String(err) } });
            }
          }
          return results;
        },
      );
      this.workerIds.push(id);
    }
  }

  private async run(name: string, job: Job<object> & { retryCount?: number }): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`No handler for queue ${name}`);
    const started = process.hrtime.bigint();
    try {
      await handler(job.data, { id: job.id, name, retryCount: job.retryCount ?? 0 });
      this.metrics?.jobsTotal.inc({ queue: name, outcome: 'completed' });
    } catch (err) {
      this.metrics?.jobsTotal.inc({ queue: name, outcome: 'failed' });
      this.log.warn({ err, queue: name, jobId: job.id, retryCount: job.retryCount }, 'job failed');
      throw err;
    } finally {
      this.metrics?.jobDuration.observe({ queue: name }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /**
   * Process every job that is ready now, in this process, until none is left: the deterministic
   * drain used by tests (no sleeps). Retries that become ready at once are drained too.
   */
  async drain(maxRounds = 10_000, opts: { partial?: boolean } = {}): Promise<number> {
    let processed = 0;
    for (let round = 0; round < maxRounds; round++) {
      let fetchedAny = false;
      for (const name of this.handlers.keys()) {
        const jobs = (await this.boss.fetch(name, { batchSize: 1, includeMetadata: true })) as (Job<object> & {
          retryCount?: number;
        })[];
        for (const job of jobs) {
          fetchedAny = true;
          processed++;
          try {
            await this.run(name, job);
            await this.boss.complete(name, job.id);
          } catch (err) {
            await this.boss.fail(name, job.id, { message: err instanceof Error ? err.message : String(err) });
          }
        }
      }
      if (!fetchedAny) return processed;
    }
    if (opts.partial) return processed;
    throw new Error(`drain: still finding jobs after ${maxRounds} rounds`);
  }

  async queueDepths(): Promise<{ name: string; queued: number; active: number; failed: number }[]> {
    const queues = await this.boss.getQueues();
    return queues.map((q: any) => ({ name: q.name, queued: q.queuedCount ?? 0, active: q.activeCount ?? 0, failed: q.failedCount ?? 0 }));
  }

  async findJobs(queue: string): Promise<{ id: string; data: any; state: string }[]> {
    return (await this.boss.findJobs(queue)) as any;
  }

  async ping(): Promise<void> {
    await this.boss.getQueue(DEAD_LETTER_QUEUE);
  }

  /** Stop fetching; wait (bounded) for running jobs to finish; close the pool. */
  async stop(timeoutMs: number): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }

  get raw(): PgBoss {
    return this.boss;
  }
}

function transactionDb(tx: QueryRunner) {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result = await tx.query(text, values as unknown[] | undefined, true);
      return { rows: result.records as unknown[] };
    },
  };
}

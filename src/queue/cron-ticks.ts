import { createHash } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { JobQueue } from './job-queue.js';

export interface CronTick {
  /** Queue the tick's job goes to. */
  queue: string;
  /** node-cron expression (UTC). */
  schedule: string;
  /** Also tick once when the instance starts (e.g. catch up on what happened while it was down). */
  runAtStart?: boolean;
}

/**
 * Every instance runs node-cron; every tick becomes a job whose id is derived from the queue and the
 * tick's scheduled time. pg-boss inserts with ON CONFLICT DO NOTHING on the id, so however many
 * instances tick, one job exists per tick, and exactly one worker runs it.
 */
export class CronTicks {
  private tasks: ScheduledTask[] = [];

  constructor(
    private readonly queue: JobQueue,
    private readonly ticks: CronTick[],
  ) {}

  start(): void {
    for (const tick of this.ticks) {
      const task = cron.schedule(tick.schedule, (ctx) => this.fire(tick.queue, ctx.date), {
        timezone: 'UTC',
        name: `tick:${tick.queue}`,
        noOverlap: true,
      });
      this.tasks.push(task);
      // Instances starting in the same minute share the start tick's job id.
      if (tick.runAtStart) void this.fire(tick.queue, new Date(Math.floor(Date.now() / 60_000) * 60_000)).catch(() => undefined);
    }
  }

  /** What a tick does; public so tests can fire a tick at a chosen time on several instances. */
  async fire(queue: string, scheduledAt: Date): Promise<string | null> {
    const at = new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000).toISOString();
    return this.queue.send(queue, { tickAt: at }, { id: tickJobId(queue, at) });
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
  }
}

export function tickJobId(queue: string, tickIso: string): string {
  return deterministicUuid(`tick|${queue}|${tickIso}`);
}

/** A UUID (version 8, "custom") from a name: the same name always yields the same id. */
export function deterministicUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

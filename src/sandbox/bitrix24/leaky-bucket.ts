// The per-portal request counter from settings/performance/limits.md: each HTTP request adds 1, the
// counter drops by `drainPerSec` once per second, and a request that finds the counter at `limit` is
// refused with 503 QUERY_LIMIT_EXCEEDED. Drain happens in whole-second steps ("decreases by Y once per
// second"), which is stricter than a smooth drain: a client may not sneak in half a request early.
// The docs do not say whether refused requests add to the counter; here they do not.

import type { SandboxClock } from './clock.js';

export interface BucketConfig {
  drainPerSec: number;
  limit: number;
}

export class LeakyBucket {
  private level = 0;
  private lastTick: number;

  constructor(
    private readonly clock: SandboxClock,
    public config: BucketConfig,
  ) {
    this.lastTick = clock.now();
  }

  /** Counts the request and returns true, or returns false when the portal must answer 503. */
  take(): boolean {
    this.drain();
    if (this.level >= this.config.limit) return false;
    this.level += 1;
    return true;
  }

  current(): number {
    this.drain();
    return this.level;
  }

  reset(): void {
    this.level = 0;
    this.lastTick = this.clock.now();
  }

  /** Fill the bucket as if `count` requests had just been made (for tests of a busy portal). */
  fill(count: number): void {
    this.drain();
    this.level = Math.min(this.config.limit, this.level + count);
  }

  private drain(): void {
    const now = this.clock.now();
    if (now < this.lastTick) {
      this.lastTick = now;
      return;
    }
    const seconds = Math.floor((now - this.lastTick) / 1000);
    if (seconds <= 0) return;
    this.level = Math.max(0, this.level - seconds * this.config.drainPerSec);
    this.lastTick += seconds * 1000;
  }
}

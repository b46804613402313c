import type { AmoRateBudget, AmoTokenStore, AmoTokens, JtiStore } from './amocrm-ports.js';

// Single-process implementations of the connector's ports: for tests, the sandbox demo and a
// one-process setup. They keep the same contracts as the database versions, minus "across processes".

export class InMemoryAmoTokenStore implements AmoTokenStore {
  private tail: Promise<unknown> = Promise.resolve();
  /** Every pair persisted, oldest first; tests read it to prove rotation was stored. */
  readonly saved: AmoTokens[] = [];

  constructor(private tokens: AmoTokens | null) {}

  async load(): Promise<AmoTokens | null> {
    return this.tokens ? { ...this.tokens } : null;
  }

  refreshExclusive(fn: (current: AmoTokens) => Promise<AmoTokens>): Promise<AmoTokens> {
    const run = this.tail.then(async () => {
      if (!this.tokens) throw new Error('no amoCRM tokens to refresh');
      const next = await fn({ ...this.tokens });
      this.tokens = { ...next };
      this.saved.push({ ...next });
      return { ...next };
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** No waiting at all: for unit tests that count requests instead. */
export const unlimitedAmoRateBudget: AmoRateBudget = { take: async () => undefined };

/**
 * A token bucket for one process. The host says "not more than 7 requests per second" without
 * saying how it counts (docs/limitations), so the budget must hold for ANY one-second window: a
 * bucket lets through at most `burst + perSecond` in a second, hence the defaults 1 + 6 — an even
 * spacing of 1/6 s with room for network jitter. The database budget shared by all workers should
 * use the same numbers (capacity 1, drain 6/s).
 */
export class InMemoryAmoRateBudget implements AmoRateBudget {
  private level = 0;
  private last: number;
  private blockedUntil = 0;
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: { perSecond?: number; burst?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {}) {
    this.perSecond = options.perSecond ?? 6;
    this.burst = options.burst ?? 1;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.last = this.now();
  }

  async take(cost = 1): Promise<void> {
    for (;;) {
      const t = this.now();
      this.level = Math.max(0, this.level - ((t - this.last) / 1000) * this.perSecond);
      this.last = t;
      const blockedFor = this.blockedUntil - t;
      if (blockedFor <= 0 && this.level + cost <= this.burst) {
        this.level += cost;
        return;
      }
      const drainMs = ((this.level + cost - this.burst) / this.perSecond) * 1000;
      await this.sleep(Math.max(blockedFor, drainMs, 5));
    }
  }

  async blockUntil(until: Date): Promise<void> {
    this.blockedUntil = Math.max(this.blockedUntil, until.getTime());
  }
}

export class InMemoryJtiStore implements JtiStore {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  async claimOnce(jti: string, expiresAt: Date): Promise<boolean> {
    const t = this.now();
    for (const [key, until] of this.seen) if (until < t) this.seen.delete(key);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAt.getTime());
    return true;
  }
}

import type { Db } from '../db/data-source.js';
import { returningRows } from '../db/returning-rows.js';

export interface RateBudgetLimits {
  /** Requests the host lets through in a burst. */
  capacity: number;
  /** Requests per second the host's bucket drains. */
  drainPerSec: number;
}

/**
 * A leaky bucket per portal kept in Postgres, so every worker process on every machine draws on
 * the same budget as the host does (the host counts per portal, not per process). The database
 * clock is the only clock: processes with skewed clocks still agree.
 */
export class PostgresRateBudget {
  constructor(
    private readonly db: Db,
    private readonly portalId: string,
    private readonly limits: RateBudgetLimits,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Wait until `cost` requests fit in the bucket, then take them. */
  async take(cost = 1): Promise<void> {
    for (;;) {
      const waitSec = await this.tryTake(cost);
      if (waitSec <= 0) return;
      await this.sleep(Math.ceil(waitSec * 1000));
    }
  }

  /** The host said stop (503/429): nobody calls this portal before `until`. */
  async blockUntil(until: Date): Promise<void> {
    await this.ensureRow();
    await this.db.query(
      `UPDATE rate_budgets SET blocked_until = GREATEST(COALESCE(blocked_until, $2), $2) WHERE portal_id = $1`,
      [this.portalId, until],
    );
  }

  /** Returns 0 when granted, else seconds to wait before trying again. */
  async tryTake(cost = 1): Promise<number> {
    await this.ensureRow();
    const rows = returningRows(await this.db.query(
      `WITH cur AS (
         SELECT portal_id,
                GREATEST(0, level - drain_per_sec * EXTRACT(EPOCH FROM clock_timestamp() - updated_at)) AS lvl,
                capacity, drain_per_sec,
                GREATEST(0, EXTRACT(EPOCH FROM blocked_until - clock_timestamp())) AS blocked_for
           FROM rate_budgets WHERE portal_id = $1 FOR UPDATE
       ), decision AS (
         SELECT *, (blocked_for = 0 AND lvl + $2 <= capacity) AS granted FROM cur
       )
       UPDATE rate_budgets r
          SET level = CASE WHEN d.granted THEN d.lvl + $2 ELSE d.lvl END,
              updated_at = clock_timestamp()
         FROM decision d
        WHERE r.portal_id = d.portal_id
       RETURNING d.granted, d.lvl, d.capacity, d.drain_per_sec, d.blocked_for`,
      [this.portalId, cost],
    ));
    const r = rows[0];
    if (r.granted) return 0;
    const overflow = (Number(r.lvl) + cost - Number(r.capacity)) / Number(r.drain_per_sec);
    return Math.max(Number(r.blocked_for), overflow, 0.05);
  }

  private ensured = false;
  private async ensureRow(): Promise<void> {
    if (this.ensured) return;
    await this.db.query(
      `INSERT INTO rate_budgets (portal_id, capacity, drain_per_sec) VALUES ($1, $2, $3)
       ON CONFLICT (portal_id) DO UPDATE SET capacity = EXCLUDED.capacity, drain_per_sec = EXCLUDED.drain_per_sec`,
      [this.portalId, this.limits.capacity, this.limits.drainPerSec],
    );
    this.ensured = true;
  }
}

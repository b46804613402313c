// What the amoCRM connector needs from the rest of the system, as small interfaces. The database
// implementations live elsewhere (portals, rate budgets, replay store); in-memory ones for tests
// and the sandbox demo are in amocrm-ports.memory.ts.

/** One account's OAuth pair. Same shape as PortalTokens, so the portal store can hand it over as is. */
export interface AmoTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires. */
  expiresAt: Date;
}

export interface AmoTokenStore {
  /** The current pair, or null when the account has none (uninstalled, never authorized). */
  load(): Promise<AmoTokens | null>;
  /**
   * Runs `fn` under a per-account lock held across processes, with the pair as it is NOW in the
   * store (another worker may have rotated it while we waited), then persists what `fn` returns
   * before returning it. Two refreshes with the same refresh token can lose the pair for good
   * (shared/protocols/amocrm.md §1 "Implementation notes"), hence the lock; and the rotated refresh
   * token must be durable before anyone uses the new access token, hence persist-then-return.
   * If `fn` throws, nothing is written.
   */
  refreshExclusive(fn: (current: AmoTokens) => Promise<AmoTokens>): Promise<AmoTokens>;
}

/**
 * The per-account request budget (7 req/s per integration, §4), shared by every worker. `take`
 * resolves when the request may go. `blockUntil`, when implemented, stops every worker until then
 * (a 429's retry_after, a 403 block).
 */
export interface AmoRateBudget {
  take(cost?: number): Promise<void>;
  blockUntil?(until: Date): Promise<void>;
}

/** One-time use of a widget token's `jti` (§5.2). */
export interface JtiStore {
  /** True the first time `jti` is claimed; false ever after (at least until `expiresAt`). */
  claimOnce(jti: string, expiresAt: Date): Promise<boolean>;
}

// What the Bitrix24 client needs from the outside world. The database implementations live with
// the portals (src/portals); tests use in-memory ones.

/** One portal's OAuth pair. Structurally the same as PortalTokens, so the Postgres store fits as is. */
export interface Bitrix24Tokens {
  accessToken: string;
  /** Rotates on every refresh and lives 180 days (settings/oauth/auto-renewal.md). */
  refreshToken: string;
  /** When the access token expires (1 h). Informational: we refresh on `expired_token`, never on this clock. */
  expiresAt: Date;
}

export interface Bitrix24TokenStore {
  load(): Promise<Bitrix24Tokens>;
  /**
   * Runs `refresh` under a lock shared by every process for this portal, after re-reading the stored
   * tokens, and persists what it returns BEFORE resolving: the host invalidates the old refresh token
   * the moment it issues a new one, so an unsaved rotation is a lost portal.
   *
   * `staleAccessToken` is the token the host just refused. When the stored one differs, another
   * process has refreshed meanwhile and the store may return the stored pair without calling
   * `refresh`. A store that ignores the argument is still correct: `refresh` itself hands back
   * `current` unchanged in that case.
   */
  refreshExclusive(refresh: (current: Bitrix24Tokens) => Promise<Bitrix24Tokens>, staleAccessToken?: string): Promise<Bitrix24Tokens>;
}

/**
 * The per-portal request budget, shared by all workers (the host's leaky bucket counts per portal
 * and source IP, not per process: settings/performance/limits.md). Awaited before every HTTP request
 * to the portal; a batch is one request (limits.md: "a batch counts as one HTTP request").
 */
export interface Bitrix24RateBudget {
  take(cost?: number): Promise<void>;
  /** The host said stop (503 QUERY_LIMIT_EXCEEDED): nobody calls this portal before `until`. Optional. */
  blockUntil?(until: Date): Promise<void>;
}

import type { Db } from '../db/data-source.js';
import type { PortalTokens } from './portal.js';
import type { PortalRepository } from './portal.repository.js';

/**
 * Host tokens of one portal, shared by every process. A refresh holds the portal row's lock, so one
 * refresh per portal runs at a time across all machines; a process that waited re-reads and, when
 * another already rotated the token, uses the new one instead of spending the (now invalid) old
 * refresh token. The rotated pair is committed before anyone uses it.
 */
export class PostgresTokenStore {
  constructor(
    private readonly db: Db,
    private readonly portals: PortalRepository,
    private readonly portalId: string,
  ) {}

  async load(): Promise<PortalTokens> {
    const tokens = await this.portals.loadTokens(this.portalId);
    if (!tokens) throw new Error(`portal ${this.portalId} has no tokens`);
    return tokens;
  }

  /**
   * `staleAccessToken` is the token the host just refused; if the stored one differs, someone else
   * has refreshed meanwhile and it is returned as is.
   */
  async refreshExclusive(refresh: (current: PortalTokens) => Promise<PortalTokens>, staleAccessToken?: string): Promise<PortalTokens> {
    return this.db.transaction(async (m) => {
      const current = await this.portals.loadTokens(this.portalId, m, true);
      if (!current) throw new Error(`portal ${this.portalId} has no tokens`);
      if (staleAccessToken !== undefined && current.accessToken !== staleAccessToken) return current;
      const next = await refresh(current);
      await this.portals.saveTokens(this.portalId, next, m);
      return next;
    });
  }
}

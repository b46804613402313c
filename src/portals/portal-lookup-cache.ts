import type { Db } from '../db/data-source.js';
import type { HostKind } from '../domain/crm.js';

export interface PortalAuthEntry {
  portalId: string;
  status: string;
  applicationTokenHash: string | null;
}

/**
 * The events endpoint looks a portal up on every request; a portal's id, status and application
 * token change only on install, update and uninstall. A few seconds of caching takes two database
 * round trips off the hot path; those changes take effect within the TTL, and a cached "unknown"
 * is never kept (a portal installing right now must not be refused for long).
 */
export class PortalLookupCache {
  private readonly entries = new Map<string, { value: PortalAuthEntry; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(host: HostKind, externalId: string): Promise<PortalAuthEntry | null> {
    const key = `${host}|${externalId}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const rows = await this.db.query(`SELECT id, status, application_token_hash FROM portals WHERE host = $1 AND external_id = $2`, [host, externalId]);
    if (!rows[0]) {
      this.entries.delete(key);
      return null;
    }
    const value = { portalId: rows[0].id, status: rows[0].status, applicationTokenHash: rows[0].application_token_hash };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: now + this.ttlMs });
    return value;
  }
}

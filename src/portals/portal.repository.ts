import type { EntityManager } from 'typeorm';
import type { Db } from '../db/data-source.js';
import type { HostKind } from '../domain/crm.js';
import type { TokenCipher } from '../security/token-cipher.js';
import type { Portal, PortalStatus, PortalTokens } from './portal.js';

type Queryable = Pick<Db, 'query'> | EntityManager;

const COLUMNS = `id, host, external_id, domain, status, locale, plan, client_endpoint, server_endpoint, settings, installed_at`;

function toPortal(r: any): Portal {
  return {
    id: r.id,
    host: r.host,
    externalId: r.external_id,
    domain: r.domain,
    status: r.status,
    locale: r.locale,
    plan: r.plan,
    clientEndpoint: r.client_endpoint,
    serverEndpoint: r.server_endpoint,
    settings: r.settings ?? {},
    installedAt: r.installed_at ? new Date(r.installed_at).toISOString() : null,
  };
}

// AAD for token ciphertexts: a ciphertext only opens in the row and slot it was written for.
const aad = (portalId: string, kind: 'access' | 'refresh') => `portal:${portalId}:${kind}`;

export class PortalRepository {
  constructor(
    private readonly db: Db,
    private readonly cipher: TokenCipher,
  ) {}

  async findByExternalId(host: HostKind, externalId: string, q: Queryable = this.db): Promise<Portal | null> {
    const rows = await q.query(`SELECT ${COLUMNS} FROM portals WHERE host = $1 AND external_id = $2`, [host, externalId]);
    return rows[0] ? toPortal(rows[0]) : null;
  }

  async get(portalId: string, q: Queryable = this.db): Promise<Portal | null> {
    const rows = await q.query(`SELECT ${COLUMNS} FROM portals WHERE id = $1`, [portalId]);
    return rows[0] ? toPortal(rows[0]) : null;
  }

  /** Install or re-install: the portal keeps its id (and all its data) across re-installs. */
  async upsertInstalled(input: {
    host: HostKind;
    externalId: string;
    domain: string;
    locale: string;
    clientEndpoint: string | null;
    serverEndpoint: string | null;
    applicationToken: string | null;
    tokens: PortalTokens | null;
    /** The app's clock; defaults to the database's. */
    at?: Date;
  }): Promise<Portal> {
    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO portals (host, external_id, domain, locale, client_endpoint, server_endpoint, status, installed_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'installing', COALESCE($7::timestamptz, now()))
         ON CONFLICT (host, external_id) DO UPDATE SET
           domain = EXCLUDED.domain,
           locale = EXCLUDED.locale,
           client_endpoint = COALESCE(EXCLUDED.client_endpoint, portals.client_endpoint),
           server_endpoint = COALESCE(EXCLUDED.server_endpoint, portals.server_endpoint),
           status = CASE WHEN portals.status = 'active' THEN 'active' ELSE 'installing' END,
           uninstalled_at = NULL,
           purge_after = NULL,
           installed_at = CASE WHEN portals.status = 'uninstalled' THEN EXCLUDED.installed_at ELSE portals.installed_at END,
           updated_at = now()
         RETURNING ${COLUMNS}`,
        [input.host, input.externalId, input.domain, input.locale, input.clientEndpoint, input.serverEndpoint, input.at ?? null],
      );
      const portal = toPortal(rows[0]);
      if (input.applicationToken) await this.setApplicationToken(portal.id, input.applicationToken, m);
      if (input.tokens) await this.saveTokens(portal.id, input.tokens, m);
      await m.query(
        `INSERT INTO audit_log (portal_id, actor, action, details) VALUES ($1, 'host', 'installed', $2::jsonb)`,
        [portal.id, JSON.stringify({ domain: input.domain })],
      );
      return portal;
    });
  }

  async setApplicationToken(portalId: string, token: string, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE portals SET application_token_hash = $2, updated_at = now() WHERE id = $1`, [portalId, this.cipher.digest(token)]);
  }

  /** Constant-time check of a presented application token (Bitrix24's only proof of an event's origin). */
  async applicationTokenMatches(portalId: string, presented: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT application_token_hash FROM portals WHERE id = $1`, [portalId]);
    return this.cipher.matches(presented, rows[0]?.application_token_hash ?? null);
  }

  async saveTokens(portalId: string, tokens: PortalTokens, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE portals SET access_token_enc = $2, refresh_token_enc = $3, token_expires_at = $4, updated_at = now() WHERE id = $1`,
      [
        portalId,
        this.cipher.encrypt(tokens.accessToken, aad(portalId, 'access')),
        this.cipher.encrypt(tokens.refreshToken, aad(portalId, 'refresh')),
        tokens.expiresAt,
      ],
    );
  }

  async loadTokens(portalId: string, q: Queryable = this.db, forUpdate = false): Promise<PortalTokens | null> {
    const rows = await q.query(
      `SELECT access_token_enc, refresh_token_enc, token_expires_at FROM portals WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [portalId],
    );
    const r = rows[0];
    if (!r?.access_token_enc || !r.refresh_token_enc) return null;
    return {
      accessToken: this.cipher.decrypt(r.access_token_enc, aad(portalId, 'access')),
      refreshToken: this.cipher.decrypt(r.refresh_token_enc, aad(portalId, 'refresh')),
      expiresAt: new Date(r.token_expires_at),
    };
  }

  async setStatus(portalId: string, status: PortalStatus, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE portals SET status = $2, updated_at = now() WHERE id = $1`, [portalId, status]);
  }

  async markUninstalled(portalId: string, purgeAfter: Date | null): Promise<void> {
    await this.db.query(
      `UPDATE portals SET status = 'uninstalled', access_token_enc = NULL, refresh_token_enc = NULL, token_expires_at = NULL,
         uninstalled_at = now(), purge_after = $2, updated_at = now() WHERE id = $1`,
      [portalId, purgeAfter],
    );
  }

  async updateSettings(portalId: string, patch: Record<string, unknown>): Promise<void> {
    await this.db.query(`UPDATE portals SET settings = settings || $2::jsonb, updated_at = now() WHERE id = $1`, [portalId, JSON.stringify(patch)]);
  }
}

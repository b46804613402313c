import type { QueryRunner } from 'typeorm';
import type { Db } from '../db/data-source.js';

export interface InboxEvent {
  id: string;
  portalId: string;
  dedupeKey: string;
  eventName: string;
  entityId: string | null;
  payload: Record<string, unknown>;
  receivedAt: Date;
  status: 'pending' | 'processed' | 'ignored' | 'failed';
}

function toEvent(r: any): InboxEvent {
  return {
    id: String(r.id),
    portalId: r.portal_id,
    dedupeKey: r.dedupe_key,
    eventName: r.event_name,
    entityId: r.entity_id,
    payload: r.payload,
    receivedAt: new Date(r.received_at),
    status: r.status,
  };
}

export class InboxRepository {
  constructor(private readonly db: Db) {}

  /** Inserts inside the caller's transaction; null when the same event was already received. */
  async insert(
    tx: QueryRunner,
    e: { portalId: string; dedupeKey: string; eventName: string; entityId: string | null; payload: object },
  ): Promise<string | null> {
    const rows = await tx.query(
      `INSERT INTO inbox_events (portal_id, dedupe_key, event_name, entity_id, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (portal_id, dedupe_key) DO NOTHING
       RETURNING id`,
      [e.portalId, e.dedupeKey, e.eventName, e.entityId, JSON.stringify(e.payload)],
    );
    return rows[0] ? String(rows[0].id) : null;
  }

  async getByDedupeKey(portalId: string, dedupeKey: string): Promise<InboxEvent | null> {
    const rows = await this.db.query(`SELECT * FROM inbox_events WHERE portal_id = $1 AND dedupe_key = $2`, [portalId, dedupeKey]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async get(portalId: string, id: string): Promise<InboxEvent | null> {
    const rows = await this.db.query(`SELECT * FROM inbox_events WHERE portal_id = $1 AND id = $2`, [portalId, id]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async markDone(portalId: string, ids: string[], status: 'processed' | 'ignored', error: string | null = null): Promise<void> {
    if (!ids.length) return;
    await this.db.query(
      `UPDATE inbox_events SET status = $3, processed_at = now(), attempts = attempts + 1, error = $4
        WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND status = 'pending'`,
      [portalId, ids, status, error],
    );
  }

  async recordFailure(portalId: string, id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE inbox_events SET attempts = attempts + 1, error = $3 WHERE portal_id = $1 AND id = $2`, [portalId, id, error]);
  }

  /** Other pending events of the same kind for this portal: read together in one host round trip. */
  async pendingEntityIds(portalId: string, eventNames: string[], limit: number): Promise<{ id: string; entityId: string; receivedAt: Date }[]> {
    const rows = await this.db.query(
      `SELECT id, entity_id, received_at FROM inbox_events
        WHERE portal_id = $1 AND status = 'pending' AND event_name = ANY($2) AND entity_id IS NOT NULL
        ORDER BY received_at LIMIT $3`,
      [portalId, eventNames, limit],
    );
    return rows.map((r: any) => ({ id: String(r.id), entityId: r.entity_id, receivedAt: new Date(r.received_at) }));
  }
}

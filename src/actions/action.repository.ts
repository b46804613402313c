import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Db } from '../db/data-source.js';
import type { ActionSpec } from '../domain/actions.js';
import { returningRows } from '../db/returning-rows.js';

export type ActionStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface ActionRow {
  id: string;
  portalId: string;
  idempotencyKey: string;
  kind: ActionSpec['kind'];
  dealId: string | null;
  spec: ActionSpec;
  cause: Record<string, unknown>;
  status: ActionStatus;
  attempts: number;
  hostResultId: string | null;
}

function toRow(r: any): ActionRow {
  return {
    id: String(r.id),
    portalId: r.portal_id,
    idempotencyKey: r.idempotency_key,
    kind: r.kind,
    dealId: r.deal_id,
    spec: r.payload,
    cause: r.cause,
    status: r.status,
    attempts: r.attempts,
    hostResultId: r.host_result_id,
  };
}

/** The marker stored inside what we create on the host, so a retry can find it instead of creating again. */
export function actionMarker(idempotencyKey: string): string {
  return `sg-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

export class ActionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Record the actions of one cause. The key is cause + slug, so the same cause evaluated again
   * (duplicate event, job retry) finds its rows already there and records nothing new.
   * Returns only the rows inserted now.
   */
  async record(
    m: EntityManager,
    portalId: string,
    causeKey: string,
    cause: Record<string, unknown>,
    specs: ActionSpec[],
  ): Promise<ActionRow[]> {
    const inserted: ActionRow[] = [];
    for (const spec of specs) {
      const rows = await m.query(
        `INSERT INTO actions (portal_id, idempotency_key, kind, deal_id, payload, cause)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
         ON CONFLICT (portal_id, idempotency_key) DO NOTHING
         RETURNING *`,
        // A notification or a client-field write has no deal of its own: it belongs to the deal of its cause.
        [portalId, `${causeKey}|${spec.slug}`, spec.kind, 'dealId' in spec ? spec.dealId : typeof cause.dealId === 'string' ? cause.dealId : null, JSON.stringify(spec), JSON.stringify(cause)],
      );
      if (rows[0]) inserted.push(toRow(rows[0]));
    }
    return inserted;
  }

  async get(portalId: string, id: string): Promise<ActionRow | null> {
    const rows = await this.db.query(`SELECT * FROM actions WHERE portal_id = $1 AND id = $2`, [portalId, id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Marks the start of an attempt; returns the attempt number (1 for the first). */
  async startAttempt(portalId: string, id: string): Promise<number> {
    const rows = returningRows(await this.db.query(
      `UPDATE actions SET status = 'running', attempts = attempts + 1, updated_at = now()
        WHERE portal_id = $1 AND id = $2 RETURNING attempts`,
      [portalId, id],
    ));
    return rows[0].attempts;
  }

  async finish(portalId: string, id: string, status: Exclude<ActionStatus, 'pending' | 'running'>, hostResultId: string | null, error: string | null = null): Promise<void> {
    await this.db.query(
      `UPDATE actions SET status = $3, host_result_id = $4, error = $5, updated_at = now(), done_at = now()
        WHERE portal_id = $1 AND id = $2`,
      [portalId, id, status, hostResultId, error],
    );
  }

  async noteError(portalId: string, id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE actions SET error = $3, updated_at = now() WHERE portal_id = $1 AND id = $2`, [portalId, id, error]);
  }

  /**
   * If the app itself moved this deal to this stage and that move is not yet matched to a
   * transition, match it to this one: the transition is the app's own and is not judged.
   */
  async matchOwnMove(portalId: string, dealId: string, stageId: string, transitionId: string): Promise<boolean> {
    // Idempotent: a re-judged transition (its first verdict never committed) finds its earlier match.
    const already = await this.db.query(`SELECT 1 FROM actions WHERE portal_id = $1 AND matched_transition_id = $2`, [portalId, transitionId]);
    if (already.length) return true;
    const rows = returningRows(await this.db.query(
      `UPDATE actions SET matched_transition_id = $4
        WHERE id = (
          SELECT id FROM actions
           WHERE portal_id = $1 AND deal_id = $2 AND kind = 'move_stage' AND matched_transition_id IS NULL
             AND payload->>'stageId' = $3 AND status IN ('running', 'done')
           ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [portalId, dealId, stageId, transitionId],
    ));
    return rows.length > 0;
  }

  async listForDeal(portalId: string, dealId: string): Promise<ActionRow[]> {
    const rows = await this.db.query(`SELECT * FROM actions WHERE portal_id = $1 AND deal_id = $2 ORDER BY id`, [portalId, dealId]);
    return rows.map(toRow);
  }
}

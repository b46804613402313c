import type { EntityManager } from 'typeorm';
import type { Db } from '../db/data-source.js';

export interface ViolationRecord {
  dedupeKey: string;
  kind: string;
  dealId: string;
  managerId: string | null;
  pipelineId: string | null;
  stageId: string | null;
  details: Record<string, unknown>;
  detectedAt: Date;
}

export interface ViolationRow extends Omit<ViolationRecord, 'detectedAt' | 'dedupeKey'> {
  id: string;
  detectedAt: string;
  escalatedAt: string | null;
  resolvedAt: string | null;
}

export interface ViolationFilter {
  managerId?: string;
  kind?: string;
  stageId?: string;
  dealId?: string;
  from?: Date;
  to?: Date;
  open?: boolean;
  limit?: number;
  beforeId?: string;
}

function toRow(r: any): ViolationRow {
  return {
    id: String(r.id),
    kind: r.kind,
    dealId: r.deal_id,
    managerId: r.manager_id,
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    details: r.details,
    detectedAt: new Date(r.detected_at).toISOString(),
    escalatedAt: r.escalated_at ? new Date(r.escalated_at).toISOString() : null,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
  };
}

export class ViolationRepository {
  constructor(private readonly db: Db) {}

  /** Records once per dedupe key; returns false when it was already recorded. */
  async record(m: EntityManager, portalId: string, v: ViolationRecord): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO violations (portal_id, dedupe_key, kind, deal_id, manager_id, pipeline_id, stage_id, details, detected_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9)
       ON CONFLICT (portal_id, dedupe_key) DO NOTHING RETURNING id`,
      [portalId, v.dedupeKey, v.kind, v.dealId, v.managerId, v.pipelineId, v.stageId, JSON.stringify(v.details), v.detectedAt],
    );
    return rows.length > 0;
  }

  async list(portalId: string, f: ViolationFilter = {}): Promise<ViolationRow[]> {
    const where = ['portal_id = $1'];
    const params: unknown[] = [portalId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.managerId) add('manager_id = ?', f.managerId);
    if (f.kind) add('kind = ?', f.kind);
    if (f.stageId) add('stage_id = ?', f.stageId);
    if (f.dealId) add('deal_id = ?', f.dealId);
    if (f.from) add('detected_at >= ?', f.from);
    if (f.to) add('detected_at < ?', f.to);
    if (f.beforeId) add('id < ?', f.beforeId);
    if (f.open === true) where.push('resolved_at IS NULL');
    if (f.open === false) where.push('resolved_at IS NOT NULL');
    params.push(Math.min(f.limit ?? 100, 500));
    const rows = await this.db.query(
      `SELECT * FROM violations WHERE ${where.join(' AND ')} ORDER BY detected_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRow);
  }
}

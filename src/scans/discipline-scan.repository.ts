import type { EntityManager } from 'typeorm';
import type { Db } from '../db/data-source.js';
import { returningRows } from '../db/returning-rows.js';
import type { DisciplineActivity, DisciplineDeal, DisciplineFinding, OpenViolation } from '../discipline/index.js';
import { toActivity } from '../sync/projection.repository.js';

/** The reads and writes of one discipline scan of one pipeline; every statement scoped by portal. */
export class DisciplineScanRepository {
  constructor(private readonly db: Db) {}

  /** Open deals, plus closed ones created since `since` (their first response is still judged). */
  async deals(portalId: string, pipelineId: string, since: Date | null): Promise<DisciplineDeal[]> {
    const rows = await this.db.query(
      `SELECT d.id, d.title, d.stage_id, d.responsible_id, d.host_created_at, d.stage_semantics,
              COALESCE((SELECT max(t.at) FROM stage_transitions t
                         WHERE t.portal_id = d.portal_id AND t.deal_id = d.id AND t.pipeline_id = d.pipeline_id AND t.to_stage_id = d.stage_id),
                       d.host_created_at) AS stage_entered_at
         FROM deals d
        WHERE d.portal_id = $1 AND d.pipeline_id = $2 AND d.deleted_at IS NULL
          AND (d.stage_semantics = 'process' OR d.host_created_at >= $3)`,
      [portalId, pipelineId, since ?? new Date(8.64e15)],
    );
    return rows.map((r: any) => ({
      id: r.id,
      title: r.title,
      stageId: r.stage_id,
      responsibleId: r.responsible_id,
      createdAt: new Date(r.host_created_at).toISOString(),
      stageEnteredAt: new Date(r.stage_entered_at).toISOString(),
      stageSemantics: r.stage_semantics,
    }));
  }

  async activitiesByDeal(portalId: string, dealIds: string[]): Promise<Record<string, DisciplineActivity[]>> {
    if (!dealIds.length) return {};
    const rows = await this.db.query(
      `SELECT * FROM activities WHERE portal_id = $1 AND deal_ids && $2::text[] AND deleted_at IS NULL ORDER BY host_created_at, id`,
      [portalId, dealIds],
    );
    const wanted = new Set(dealIds);
    const out: Record<string, DisciplineActivity[]> = {};
    for (const r of rows) {
      const a: DisciplineActivity = toActivity(r);
      for (const id of r.deal_ids as string[]) if (wanted.has(id)) (out[id] ??= []).push(a);
    }
    return out;
  }

  /**
   * Leads for the first-response check: created since `since` and within the last `days` days (an old
   * lead nobody closed is no longer news), not deleted; closed ones too, a late answer still counts.
   */
  async leads(portalId: string, since: Date | null, notBefore: Date): Promise<{ id: string; title: string; responsibleId: string | null; open: boolean; createdAt: string }[]> {
    const from = since && since > notBefore ? since : notBefore;
    const rows = await this.db.query(
      `SELECT id, title, responsible_id, open, host_created_at FROM leads
        WHERE portal_id = $1 AND deleted_at IS NULL AND host_created_at >= $2`,
      [portalId, from],
    );
    return rows.map((r: any) => ({ id: r.id, title: r.title, responsibleId: r.responsible_id, open: r.open, createdAt: new Date(r.host_created_at).toISOString() }));
  }

  async activitiesByLead(portalId: string, leadIds: string[]): Promise<Record<string, DisciplineActivity[]>> {
    if (!leadIds.length) return {};
    const rows = await this.db.query(
      `SELECT * FROM activities WHERE portal_id = $1 AND lead_ids && $2::text[] AND lead_ids <> '{}' AND deleted_at IS NULL ORDER BY host_created_at, id`,
      [portalId, leadIds],
    );
    const wanted = new Set(leadIds);
    const out: Record<string, DisciplineActivity[]> = {};
    for (const r of rows) {
      const a: DisciplineActivity = toActivity(r);
      for (const id of r.lead_ids as string[]) if (wanted.has(id)) (out[id] ??= []).push(a);
    }
    return out;
  }

  /** Open first-response violations of leads (they belong to no pipeline). */
  async openLeadViolations(portalId: string): Promise<OpenViolation[]> {
    const rows = await this.db.query(
      `SELECT kind, COALESCE(finding_key, dedupe_key) AS finding_key, detected_at, escalated_at FROM violations
        WHERE portal_id = $1 AND pipeline_id IS NULL AND kind = 'slow_first_response' AND details->>'entity' = 'lead' AND resolved_at IS NULL`,
      [portalId],
    );
    return rows.map((r: any) => ({ kind: r.kind, dedupeKey: r.finding_key, detectedAt: new Date(r.detected_at), escalatedAt: r.escalated_at ? new Date(r.escalated_at) : null }));
  }

  /** Tasks Stageguard created (and the host accepted) on these deals. */
  async stageguardTasks(portalId: string, dealIds: string[]): Promise<{ hostId: string; dealId: string; responsibleId: string; title: string; deadline: string }[]> {
    if (!dealIds.length) return [];
    const rows = await this.db.query(
      `SELECT host_result_id, deal_id, payload FROM actions
        WHERE portal_id = $1 AND kind = 'create_task' AND status = 'done' AND host_result_id IS NOT NULL AND deal_id = ANY($2)`,
      [portalId, dealIds],
    );
    return rows.map((r: any) => ({ hostId: r.host_result_id, dealId: r.deal_id, responsibleId: r.payload.responsibleId, title: r.payload.title, deadline: r.payload.deadline }));
  }

  async openViolations(portalId: string, pipelineId: string, kinds: readonly string[]): Promise<(OpenViolation & { managerId: string | null })[]> {
    const rows = await this.db.query(
      `SELECT kind, COALESCE(finding_key, dedupe_key) AS finding_key, detected_at, escalated_at, manager_id FROM violations
        WHERE portal_id = $1 AND pipeline_id = $2 AND resolved_at IS NULL AND kind = ANY($3)`,
      [portalId, pipelineId, kinds],
    );
    return rows.map((r: any) => ({ kind: r.kind, dedupeKey: r.finding_key, detectedAt: new Date(r.detected_at), escalatedAt: r.escalated_at ? new Date(r.escalated_at) : null, managerId: r.manager_id }));
  }

  /** Findings among `keys` with a resolved occurrence on record (settled findings are told once). */
  async resolvedKeys(portalId: string, keys: string[]): Promise<string[]> {
    if (!keys.length) return [];
    const rows = await this.db.query(
      `SELECT DISTINCT finding_key FROM violations WHERE portal_id = $1 AND finding_key = ANY($2) AND resolved_at IS NOT NULL`,
      [portalId, keys],
    );
    return rows.map((r: any) => r.finding_key);
  }

  /**
   * A new occurrence of the finding: its own row, keyed by finding + detection time, so a problem
   * that cleared and came back leaves the earlier occurrence as it was (migrations/…41000). The
   * partial unique index keeps one open occurrence per finding; a concurrent scan's insert is a no-op.
   */
  async open(m: EntityManager, portalId: string, f: DisciplineFinding, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO violations (portal_id, dedupe_key, finding_key, kind, deal_id, manager_id, pipeline_id, stage_id, details, detected_at, resolved_at)
       VALUES ($1, $2 || '@' || $11, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
       ON CONFLICT DO NOTHING`,
      [portalId, f.dedupeKey, f.kind, f.dealId, f.managerId, f.pipelineId, f.stageId, JSON.stringify({ ...f.details, dealTitle: f.dealTitle, entity: f.entity }), now, f.settledAt ? now : null, now.toISOString()],
    );
  }

  async resolve(m: EntityManager, portalId: string, keys: string[], now: Date): Promise<void> {
    if (keys.length) await m.query(`UPDATE violations SET resolved_at = $3 WHERE portal_id = $1 AND finding_key = ANY($2) AND resolved_at IS NULL`, [portalId, keys, now]);
  }

  async escalate(m: EntityManager, portalId: string, keys: string[], now: Date): Promise<number> {
    if (!keys.length) return 0;
    const rows = returningRows(
      await m.query(`UPDATE violations SET escalated_at = $3 WHERE portal_id = $1 AND finding_key = ANY($2) AND escalated_at IS NULL AND resolved_at IS NULL RETURNING id`, [
        portalId,
        keys,
        now,
      ]),
    );
    return rows.length;
  }

  async managerNames(portalId: string): Promise<Record<string, string>> {
    const rows = await this.db.query(`SELECT id, name FROM host_users WHERE portal_id = $1`, [portalId]);
    return Object.fromEntries(rows.map((r: any) => [r.id, r.name]));
  }
}

import type { Db } from '../db/data-source.js';
import type { Activity, Deal, HostUser, Lead, Pipeline, StageTransition } from '../domain/crm.js';
import { returningRows } from '../db/returning-rows.js';

export interface StoredTransition extends StageTransition {
  id: string;
  ownMove: boolean;
  verdict: string | null;
}

function toTransition(r: any): StoredTransition {
  return {
    id: String(r.id),
    dealId: r.deal_id,
    pipelineId: r.pipeline_id,
    fromPipelineId: r.from_pipeline_id,
    fromStageId: r.from_stage_id,
    toStageId: r.to_stage_id,
    at: new Date(r.at).toISOString(),
    byUserId: r.by_user_id,
    hostHistoryId: r.host_history_id,
    ownMove: r.own_move,
    verdict: r.verdict,
  };
}

export function toActivity(r: any): Activity {
  return {
    id: r.id,
    kind: r.kind,
    direction: r.direction,
    durationSec: r.duration_sec,
    completed: r.completed,
    responsibleId: r.responsible_id,
    dealIds: r.deal_ids,
    subject: r.subject,
    createdAt: new Date(r.host_created_at).toISOString(),
    startAt: r.start_at ? new Date(r.start_at).toISOString() : null,
    deadline: r.deadline ? new Date(r.deadline).toISOString() : null,
  };
}

export function toDeal(r: any): Deal {
  return {
    id: r.id,
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    title: r.title,
    responsibleId: r.responsible_id,
    amount: r.amount === null ? null : Number(r.amount),
    currency: r.currency,
    closeDate: r.close_date ? new Date(r.close_date).toISOString() : null,
    probability: r.probability,
    companyId: r.company_id,
    contactId: r.contact_id,
    createdAt: new Date(r.host_created_at).toISOString(),
    updatedAt: new Date(r.host_updated_at).toISOString(),
    goalMark: r.goal_mark,
    fields: r.fields ?? {},
  };
}

/** Projections of host data. Every statement is scoped by portal. */
export class ProjectionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Upsert the deal as read from the host at `readAt`. A read that started earlier than the one
   * already stored loses: two workers reading the same deal can finish in either order.
   */
  async upsertDeal(portalId: string, deal: Deal, readAt: Date, stageSemantics: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO deals (portal_id, id, pipeline_id, stage_id, title, responsible_id, amount, currency, close_date, probability,
                          company_id, contact_id, goal_mark, fields, host_created_at, host_updated_at, stage_semantics, synced_at, deleted_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14::jsonb,$15,$16,$17,$18,NULL)
       ON CONFLICT (portal_id, id) DO UPDATE SET
         pipeline_id = EXCLUDED.pipeline_id, stage_id = EXCLUDED.stage_id, title = EXCLUDED.title,
         responsible_id = EXCLUDED.responsible_id, amount = EXCLUDED.amount, currency = EXCLUDED.currency,
         close_date = EXCLUDED.close_date, probability = EXCLUDED.probability, company_id = EXCLUDED.company_id,
         contact_id = EXCLUDED.contact_id, goal_mark = EXCLUDED.goal_mark, fields = EXCLUDED.fields,
         host_created_at = EXCLUDED.host_created_at, host_updated_at = EXCLUDED.host_updated_at,
         stage_semantics = EXCLUDED.stage_semantics, synced_at = EXCLUDED.synced_at, deleted_at = NULL
       WHERE deals.synced_at <= EXCLUDED.synced_at
       RETURNING id`,
      [
        portalId, deal.id, deal.pipelineId, deal.stageId, deal.title, deal.responsibleId, deal.amount, deal.currency,
        deal.closeDate, deal.probability, deal.companyId, deal.contactId, deal.goalMark, JSON.stringify(deal.fields),
        deal.createdAt, deal.updatedAt, stageSemantics, readAt,
      ],
    );
    return rows.length > 0;
  }

  /** The database's clock: every process compares read and receive times on the same clock. */
  async dbNow(): Promise<Date> {
    const rows = await this.db.query(`SELECT clock_timestamp() AS now`);
    return new Date(rows[0].now);
  }

  async markDealDeleted(portalId: string, dealId: string): Promise<void> {
    await this.db.query(`UPDATE deals SET deleted_at = now() WHERE portal_id = $1 AND id = $2 AND deleted_at IS NULL`, [portalId, dealId]);
  }

  async getDeal(portalId: string, dealId: string): Promise<Deal | null> {
    const rows = await this.db.query(`SELECT * FROM deals WHERE portal_id = $1 AND id = $2 AND deleted_at IS NULL`, [portalId, dealId]);
    return rows[0] ? toDeal(rows[0]) : null;
  }

  /** When the last completed read of this deal started; events received before it are covered. */
  async dealSyncedAt(portalId: string, dealId: string): Promise<Date | null> {
    const rows = await this.db.query(`SELECT synced_at FROM deals WHERE portal_id = $1 AND id = $2`, [portalId, dealId]);
    return rows[0] ? new Date(rows[0].synced_at) : null;
  }

  async knownHistoryIds(portalId: string, dealId: string): Promise<Set<string>> {
    const rows = await this.db.query(`SELECT host_history_id FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2`, [portalId, dealId]);
    return new Set(rows.map((r: any) => r.host_history_id));
  }

  /** Inserts what is new; a row another worker inserted first is skipped, never doubled. */
  async insertTransitions(portalId: string, transitions: StageTransition[]): Promise<StoredTransition[]> {
    const inserted: StoredTransition[] = [];
    for (const t of transitions) {
      const rows = await this.db.query(
        `INSERT INTO stage_transitions (portal_id, deal_id, pipeline_id, from_pipeline_id, from_stage_id, to_stage_id, at, by_user_id, host_history_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
         ON CONFLICT (portal_id, deal_id, host_history_id) DO NOTHING
         RETURNING *`,
        [portalId, t.dealId, t.pipelineId, t.fromPipelineId, t.fromStageId, t.toStageId, t.at, t.byUserId, t.hostHistoryId],
      );
      if (rows[0]) inserted.push(toTransition(rows[0]));
    }
    return inserted;
  }

  async transitions(portalId: string, dealId: string): Promise<StoredTransition[]> {
    const rows = await this.db.query(
      `SELECT * FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 ORDER BY at, id`,
      [portalId, dealId],
    );
    return rows.map(toTransition);
  }

  /** Claim a transition for judgement; only one worker ever gets true for a given transition. */
  async claimEvaluation(portalId: string, transitionId: string): Promise<boolean> {
    const rows = returningRows(
      await this.db.query(
        `UPDATE stage_transitions SET evaluated_at = now() WHERE portal_id = $1 AND id = $2 AND evaluated_at IS NULL RETURNING id`,
        [portalId, transitionId],
      ),
    );
    return rows.length > 0;
  }

  async setVerdict(portalId: string, transitionId: string, verdict: string, ownMove: boolean): Promise<void> {
    await this.db.query(`UPDATE stage_transitions SET verdict = $3, own_move = $4 WHERE portal_id = $1 AND id = $2`, [
      portalId,
      transitionId,
      verdict,
      ownMove,
    ]);
  }

  async unevaluatedTransitions(portalId: string, dealId: string): Promise<StoredTransition[]> {
    const rows = await this.db.query(
      `SELECT * FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 AND evaluated_at IS NULL ORDER BY at, id`,
      [portalId, dealId],
    );
    return rows.map(toTransition);
  }

  async upsertActivity(portalId: string, a: Activity): Promise<void> {
    await this.db.query(
      `INSERT INTO activities (portal_id, id, kind, direction, duration_sec, completed, responsible_id, deal_ids, subject,
                               host_created_at, start_at, deadline, synced_at, deleted_at, lead_ids)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,now(),NULL,$13)
       ON CONFLICT (portal_id, id) DO UPDATE SET
         kind = EXCLUDED.kind, direction = EXCLUDED.direction, duration_sec = EXCLUDED.duration_sec,
         completed = EXCLUDED.completed, responsible_id = EXCLUDED.responsible_id, deal_ids = EXCLUDED.deal_ids, lead_ids = EXCLUDED.lead_ids,
         subject = EXCLUDED.subject, host_created_at = EXCLUDED.host_created_at, start_at = EXCLUDED.start_at,
         deadline = EXCLUDED.deadline, synced_at = now(), deleted_at = NULL`,
      [portalId, a.id, a.kind, a.direction, a.durationSec, a.completed, a.responsibleId, a.dealIds, a.subject, a.createdAt, a.startAt, a.deadline, a.leadIds ?? []],
    );
  }

  /** A lead as the host has it now; null marks it deleted (gone from the host). */
  async upsertLead(portalId: string, leadId: string, lead: Lead | null): Promise<void> {
    if (!lead) {
      await this.db.query(`UPDATE leads SET deleted_at = now() WHERE portal_id = $1 AND id = $2`, [portalId, leadId]);
      return;
    }
    await this.db.query(
      `INSERT INTO leads (portal_id, id, title, responsible_id, status_id, open, host_created_at, synced_at, deleted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), NULL)
       ON CONFLICT (portal_id, id) DO UPDATE SET title = EXCLUDED.title, responsible_id = EXCLUDED.responsible_id,
         status_id = EXCLUDED.status_id, open = EXCLUDED.open, host_created_at = EXCLUDED.host_created_at, synced_at = now(), deleted_at = NULL`,
      [portalId, lead.id, lead.title, lead.responsibleId, lead.statusId, lead.open, lead.createdAt],
    );
  }

  async markActivityDeleted(portalId: string, activityId: string): Promise<void> {
    await this.db.query(`UPDATE activities SET deleted_at = now() WHERE portal_id = $1 AND id = $2`, [portalId, activityId]);
  }

  async activitiesOfDeal(portalId: string, dealId: string): Promise<Activity[]> {
    const rows = await this.db.query(
      `SELECT * FROM activities WHERE portal_id = $1 AND $2 = ANY(deal_ids) AND deleted_at IS NULL ORDER BY host_created_at, id`,
      [portalId, dealId],
    );
    return rows.map(toActivity);
  }

  async replacePipelines(portalId: string, pipelines: Pipeline[]): Promise<void> {
    await this.db.transaction(async (m) => {
      for (const p of pipelines) {
        await m.query(
          `INSERT INTO pipelines (portal_id, id, name, sort, is_default) VALUES ($1,$2,$3,$4,$5)
           ON CONFLICT (portal_id, id) DO UPDATE SET name = EXCLUDED.name, sort = EXCLUDED.sort, is_default = EXCLUDED.is_default`,
          [portalId, p.id, p.name, p.sort, p.isDefault],
        );
        const ids = p.stages.map((s) => s.id);
        await m.query(`DELETE FROM stages WHERE portal_id = $1 AND pipeline_id = $2 AND NOT (id = ANY($3))`, [portalId, p.id, ids]);
        for (const s of p.stages) {
          await m.query(
            `INSERT INTO stages (portal_id, pipeline_id, id, name, sort, semantics) VALUES ($1,$2,$3,$4,$5,$6)
             ON CONFLICT (portal_id, pipeline_id, id) DO UPDATE SET name = EXCLUDED.name, sort = EXCLUDED.sort, semantics = EXCLUDED.semantics`,
            [portalId, p.id, s.id, s.name, s.sort, s.semantics],
          );
        }
      }
    });
  }

  async replaceUsers(portalId: string, users: HostUser[]): Promise<void> {
    await this.db.transaction(async (m) => {
      for (const u of users) {
        await m.query(
          `INSERT INTO host_users (portal_id, id, name, email, active, is_admin) VALUES ($1,$2,$3,$4,$5,$6)
           ON CONFLICT (portal_id, id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, active = EXCLUDED.active, is_admin = EXCLUDED.is_admin`,
          [portalId, u.id, u.name, u.email, u.active, u.isAdmin],
        );
      }
    });
  }

  async pipelines(portalId: string): Promise<Pipeline[]> {
    const ps = await this.db.query(`SELECT * FROM pipelines WHERE portal_id = $1 ORDER BY sort, id`, [portalId]);
    const ss = await this.db.query(`SELECT * FROM stages WHERE portal_id = $1 ORDER BY sort, id`, [portalId]);
    return ps.map((p: any) => ({
      id: p.id,
      name: p.name,
      sort: p.sort,
      isDefault: p.is_default,
      stages: ss
        .filter((s: any) => s.pipeline_id === p.id)
        .map((s: any) => ({ id: s.id, pipelineId: s.pipeline_id, name: s.name, sort: s.sort, semantics: s.semantics })),
    }));
  }
}

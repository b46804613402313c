import type { AppContext } from '../app/app-context.js';
import type { ConnectorRegistry } from '../connectors/connector-registry.js';
import type { CrmConnector } from '../connectors/crm-connector.js';
import { decideOnHostError, pausedStatusFor } from '../connectors/host-error-policy.js';
import { withTransaction } from '../db/with-transaction.js';
import {
  checkFirstResponse,
  DISCIPLINE_KINDS,
  buildDigest,
  digestNotifications,
  digestSlot,
  disciplineAlerts,
  groupByManager,
  planViolationChanges,
  runDisciplineChecks,
  type DisciplineAlert,
  type StageguardTask,
  type ViolationPlan,
} from '../discipline/index.js';
import { ActionRepository } from '../actions/action.repository.js';
import { dashboardLink } from '../portals/dashboard-link.js';
import { PortalRepository } from '../portals/portal.repository.js';
import type { Portal } from '../portals/portal.js';
import { fanOutToActivePortals } from '../queue/portal-fan-out.js';
import { activePortalWithRules } from './active-portal-rules.js';
import { QUEUES } from '../queue/queue-policies.js';
import { disciplineOf } from '../rules/rules-config.schema.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import type { ActionJobData } from '../sync/deal-processor.js';
import { DisciplineScanRepository } from './discipline-scan.repository.js';

/** Leads older than this are not judged any more: nobody answers a month-old lead for the first time. */
const LEAD_WINDOW_DAYS = 14;

/**
 * Scheduled discipline checks. A cron tick fans out one job per active portal (one per portal per
 * tick, however many instances ticked); the portal job runs the pure checks over each configured
 * pipeline, brings the violations on record in line with what is wrong now (open once, resolve
 * when cleared, escalate once), and records the alerts as actions in the same transaction.
 */
export function disciplineScanJobHandler(ctx: AppContext, registry: ConnectorRegistry) {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const repo = new DisciplineScanRepository(ctx.db);
  const rulesRepo = new RulesConfigRepository(ctx.db);
  const projections = new ProjectionRepository(ctx.db);
  const actions = new ActionRepository(ctx.db);

  return async (data: { tickAt?: string; portalId?: string }) => {
    if (!data.portalId) {
      await fanOutToActivePortals(ctx, QUEUES.disciplineScan.name, data.tickAt);
      return;
    }
    const loaded = await activePortalWithRules(portals, rulesRepo, data.portalId);
    if (!loaded) return;
    const { portal, config } = loaded;
    const now = ctx.now();
    const pipelines = await projections.pipelines(portal.id);
    const names = await repo.managerNames(portal.id);
    let connector: CrmConnector | null = null;

    for (const rules of config.pipelines) {
      const pipeline = pipelines.find((p) => p.id === rules.pipelineId);
      if (!pipeline) continue;
      const since = portal.installedAt ? new Date(portal.installedAt) : null;
      const deals = await repo.deals(portal.id, pipeline.id, since);
      const dealIds = deals.map((d) => d.id);
      const tasks = disciplineOf(rules).overdueTasks ? await taskStates(portal, dealIds) : [];
      const findings = runDisciplineChecks({
        now,
        pipeline,
        rules,
        workingTime: config.workingTime,
        deals,
        activitiesByDeal: await repo.activitiesByDeal(portal.id, dealIds),
        tasks,
        firstResponseSince: since,
      });
      const open = await repo.openViolations(portal.id, pipeline.id, DISCIPLINE_KINDS);
      const settledKeys = findings.filter((f) => f.settledAt).map((f) => f.dedupeKey);
      const plan = planViolationChanges({
        now,
        findings,
        open,
        escalateAfterHours: disciplineOf(rules).escalateAfterHours,
        scanKinds: DISCIPLINE_KINDS,
        resolvedKeys: await repo.resolvedKeys(portal.id, settledKeys),
      });
      const alerts = disciplineAlerts({
        now,
        plan,
        findings,
        open,
        locale: config.locale,
        timeZone: config.workingTime.timeZone,
        headsOfSales: config.headsOfSales,
        managerNames: names,
      });

      await applyPlan(portal.id, plan, alerts, now);

      await sendDigest(portal, rules, config, pipeline.name, now, names);
    }

    await scanLeads(portal, config, now, names);

    async function taskStates(p: Portal, dealIds: string[]): Promise<StageguardTask[]> {
      const created = await repo.stageguardTasks(p.id, dealIds);
      if (!created.length) return [];
      connector ??= registry.forPortal(p);
      if (!connector.getTaskStates) return [];
      try {
        const states = await connector.getTaskStates(created.map((t) => t.hostId));
        return created
          .filter((t) => states.has(t.hostId))
          .map((t) => ({ id: t.hostId, dealId: t.dealId, responsibleId: t.responsibleId, title: t.title, deadline: states.get(t.hostId)!.deadline ?? t.deadline, completed: states.get(t.hostId)!.completed }));
      } catch (err) {
        // The task check waits for the next run; the other checks need no host call.
        if (decideOnHostError(err) === 'pause_portal') await portals.setStatus(p.id, pausedStatusFor(err));
        ctx.log.warn({ err, portalId: p.id }, 'task states unavailable: overdue-task check skipped this run');
        return [];
      }
    }
  };

  /**
   * Bitrix24 leads: the slow-first-response check over the leads of the last LEAD_WINDOW_DAYS, with
   * the first configured pipeline's SLA (a lead is in no pipeline yet). Alerts and violations work as
   * for deals; the violations belong to no pipeline.
   */
  async function scanLeads(portal: Portal, config: import('../rules/index.js').RulesConfig, now: Date, names: Record<string, string>): Promise<void> {
    const rules = config.pipelines[0];
    if (!rules) return;
    const discipline = disciplineOf(rules);
    const since = portal.installedAt ? new Date(portal.installedAt) : null;
    const leads = await repo.leads(portal.id, since, new Date(now.getTime() - LEAD_WINDOW_DAYS * 86_400_000));
    const open = await repo.openLeadViolations(portal.id);
    if (!leads.length && !open.length) return;
    const findings = checkFirstResponse({
      now,
      workingTime: config.workingTime,
      slaMinutes: discipline.firstResponseSlaMinutes,
      subjects: leads.map((l) => ({ entity: 'lead' as const, id: l.id, title: l.title, createdAt: l.createdAt, responsibleId: l.responsibleId, open: l.open })),
      activitiesBySubject: await repo.activitiesByLead(portal.id, leads.map((l) => l.id)),
    });
    const settledKeys = findings.filter((f) => f.settledAt).map((f) => f.dedupeKey);
    const plan = planViolationChanges({
      now,
      findings,
      open,
      escalateAfterHours: discipline.escalateAfterHours,
      scanKinds: ['slow_first_response'],
      resolvedKeys: await repo.resolvedKeys(portal.id, settledKeys),
    });
    const alerts = disciplineAlerts({ now, plan, findings, open, locale: config.locale, timeZone: config.workingTime.timeZone, headsOfSales: config.headsOfSales, managerNames: names });
    await applyPlan(portal.id, plan, alerts, now);
  }

  /** The violations brought in line and their alerts recorded as actions, in one transaction. */
  async function applyPlan(portalId: string, plan: ViolationPlan, alerts: DisciplineAlert[], now: Date): Promise<void> {
    await withTransaction(ctx.db, async (tx) => {
      for (const f of plan.open) await repo.open(tx.manager, portalId, f, now);
      await repo.resolve(tx.manager, portalId, plan.resolve, now);
      await repo.escalate(tx.manager, portalId, plan.escalate, now);
      for (const alert of alerts) {
        const rows = await actions.record(tx.manager, portalId, alert.causeKey, { scan: 'discipline', dedupeKey: alert.dedupeKey, event: alert.event }, alert.actions);
        for (const row of rows) await ctx.queue.send(QUEUES.action.name, { portalId, actionId: row.id } satisfies ActionJobData, { tx, groupId: portalId });
      }
    });
  }

  async function sendDigest(
    portal: Portal,
    rules: import('../rules/index.js').PipelineRules,
    config: import('../rules/index.js').RulesConfig,
    scope: string,
    now: Date,
    names: Record<string, string>,
  ): Promise<void> {
    const digest = disciplineOf(rules).digest;
    if (!digest.enabled || !config.headsOfSales.length) return;
    const slot = digestSlot(now, digest.hourLocal, config.workingTime);
    if (!slot) return;
    // Leads belong to no pipeline; their violations go with the first pipeline's digest, whose SLA judged them.
    const withLeads = config.pipelines[0]?.pipelineId === rules.pipelineId;
    const open = await ctx.db.query(
      `SELECT kind, manager_id FROM violations
        WHERE portal_id = $1 AND resolved_at IS NULL
          AND (pipeline_id = $2 OR ($3 AND pipeline_id IS NULL AND details->>'entity' = 'lead'))`,
      [portal.id, rules.pipelineId, withLeads],
    );
    const text = buildDigest({
      locale: config.locale,
      openFindingsByManager: groupByManager(open.map((r: { kind: string; manager_id: string | null }) => ({ kind: r.kind, managerId: r.manager_id }))),
      managerNames: names,
      dashboardUrl: dashboardLink(portal, ctx.config.publicUrl),
      scope,
    });
    const { causeKey, actions: specs } = digestNotifications({ text, headsOfSales: config.headsOfSales, scopeKey: `${portal.id}:${rules.pipelineId}`, slot });
    await withTransaction(ctx.db, async (tx) => {
      const rows = await actions.record(tx.manager, portal.id, causeKey, { digest: rules.pipelineId }, specs);
      for (const row of rows) await ctx.queue.send(QUEUES.action.name, { portalId: portal.id, actionId: row.id } satisfies ActionJobData, { tx, groupId: portal.id });
    });
  }
}

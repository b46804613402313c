import { ActionRepository } from '../actions/action.repository.js';
import type { AppContext } from '../app/app-context.js';
import { withTransaction } from '../db/with-transaction.js';
import type { ActionSpec } from '../domain/actions.js';
import { HttpError } from '../http/http-errors.js';
import { dashboardLink } from '../portals/dashboard-link.js';
import { PortalRepository } from '../portals/portal.repository.js';
import { fanOutToActivePortals } from '../queue/portal-fan-out.js';
import { QUEUES } from '../queue/queue-policies.js';
import { zeroCounters, type ActivityCounters } from '../reports/report-filter.js';
import { ReportsService } from '../reports/reports.service.js';
import {
  addDays,
  buildKpiLine,
  buildMetricsDigest,
  kpiLineActions,
  kpiLineKey,
  metricsDigestActions,
  metricsDigestKey,
  metricsRecord,
  metricsRecordActions,
  metricsRecordKey,
  monthsTouched,
  writebackDue,
  plansByManager,
  teamPlans,
  type DigestPipeline,
  type LocalPeriod,
  type PlanFactRow,
} from '../reports/writeback/index.js';
import { reportsOf, type RulesConfig } from '../rules/rules-config.schema.js';
import { zonedTimeToUtc, type LocalDate } from '../rules/working-time.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import type { ActionJobData } from '../sync/deal-processor.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import { DisciplineScanRepository } from './discipline-scan.repository.js';
import { activePortalWithRules } from './active-portal-rules.js';
import { WritebackRunRepository } from './writeback-run.repository.js';

/** The trailing window of the digest's funnel lines: a day or a week of deals says little about conversion. */
const FUNNEL_DAYS = 30;

/**
 * The reports written back to the host once a working day: the heads of sales' metrics digest,
 * each planned manager's KPI line and the per-manager metrics records. A tick fans out one job per
 * active portal; the portal job computes what is due through the same ReportsService the API uses
 * and records it as actions, once per cause key (writeback_runs), whatever the number of ticks.
 */
export function metricsWritebackJobHandler(ctx: AppContext) {
  const portals = new PortalRepository(ctx.db, ctx.cipher);
  const rulesRepo = new RulesConfigRepository(ctx.db);
  const projections = new ProjectionRepository(ctx.db);
  const people = new DisciplineScanRepository(ctx.db);
  const actions = new ActionRepository(ctx.db);
  const runs = new WritebackRunRepository(ctx.db);
  const reports = new ReportsService(ctx.db, ctx.now);

  async function once(portalId: string, causeKey: string, build: () => Promise<ActionSpec[]>): Promise<void> {
    if (await runs.done(portalId, causeKey)) return;
    const specs = await build();
    await withTransaction(ctx.db, async (tx) => {
      if (!(await runs.claim(tx.manager, portalId, causeKey, specs.length))) return;
      const rows = await actions.record(tx.manager, portalId, causeKey, { writeback: causeKey.split(':')[0] }, specs);
      for (const row of rows) await ctx.queue.send(QUEUES.action.name, { portalId, actionId: row.id } satisfies ActionJobData, { tx, groupId: portalId });
    });
  }

  return async (data: { tickAt?: string; portalId?: string }) => {
    if (!data.portalId) {
      await fanOutToActivePortals(ctx, QUEUES.metricsWriteback.name, data.tickAt);
      return;
    }
    const loaded = await activePortalWithRules(portals, rulesRepo, data.portalId);
    if (!loaded) return;
    const { portal, config } = loaded;
    const settings = reportsOf(config);
    const due = writebackDue(ctx.now(), settings, config.workingTime);
    if (!due) return;

    const portalId = portal.id;
    const at = (d: LocalDate) => zonedTimeToUtc(d, 0, 0, config.workingTime.timeZone);
    const names = await people.managerNames(portalId);
    const nameOf = (id: string) => names[id] ?? `#${id}`;
    const dashboardUrl = dashboardLink(portal, ctx.config.publicUrl);
    const span = (p: LocalPeriod) => ({ portalId, from: at(p.start), to: at(p.end) });
    // Both the digest and the KPI lines read today's plans: one query for both.
    let plansTodayOnce: Promise<PlanFactRow[]> | null = null;
    const plansToday = () => (plansTodayOnce ??= reports.planFact({ portalId, from: at(due.today), to: at(addDays(due.today, 1)) }));

    if (due.digest && settings.digest !== 'off' && config.headsOfSales.length) {
      const period = due.digest;
      const frequency = settings.digest;
      await once(portalId, metricsDigestKey(portalId, frequency, period), async () => {
        const [perManager, plans, pipelines] = await Promise.all([managerFigures(span(period)), plansToday(), pipelineLines(portalId, config, due.today, at)]);
        const text = buildMetricsDigest({
          locale: config.locale,
          period,
          team: perManager.team,
          managers: perManager.managers.map((m) => ({ name: nameOf(m.managerId), counters: m.counters, violations: m.violations })),
          pipelines,
          funnelDays: FUNNEL_DAYS,
          plans: teamPlans(plans),
          dashboardUrl,
        });
        return metricsDigestActions({ portalId, frequency, period, text, headsOfSales: config.headsOfSales }).actions;
      });
    }

    if (settings.kpiLine) {
      await once(portalId, kpiLineKey(portalId, due.today), async () => {
        const lines = [...plansByManager(await plansToday())].flatMap(([managerId, plans]) => {
          const text = buildKpiLine({ locale: config.locale, managerName: nameOf(managerId), plans, dashboardUrl });
          return text ? [{ managerId, text }] : [];
        });
        return kpiLineActions({ portalId, today: due.today, lines }).actions;
      });
    }

    // A host without a record store (amoCRM, or a Bitrix24 portal whose installer could not create lists) gets none.
    if (settings.hostRecord && portal.settings.metricsRecordStore) {
      await once(portalId, metricsRecordKey(portalId, due.today), async () => {
        const records = [];
        for (const month of monthsTouched(due.daily)) {
          const figures = await managerFigures(span(month));
          for (const m of figures.managers) {
            records.push(metricsRecord({ managerId: m.managerId, managerName: nameOf(m.managerId), month, counters: m.counters, violations: m.violations, updatedAt: ctx.now() }));
          }
        }
        return metricsRecordActions({ portalId, today: due.today, records }).actions;
      });
    }
  };

  /** Activity counters and violation counts per manager over a span; managers with either. */
  async function managerFigures(f: { portalId: string; from: Date; to: Date }) {
    const [activity, violations] = await Promise.all([reports.activity(f), reports.violations(f)]);
    const counters = new Map<string, ActivityCounters>(activity.managers.map(({ managerId, ...c }) => [managerId, c]));
    const violationCount = new Map<string, number>();
    for (const v of violations.managers) if (v.managerId !== null) violationCount.set(v.managerId, v.total);
    const ids = [...new Set([...counters.keys(), ...violationCount.keys()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return {
      team: activity.team,
      managers: ids.map((managerId) => ({ managerId, counters: counters.get(managerId) ?? zeroCounters(), violations: violationCount.get(managerId) ?? 0 })),
    };
  }

  /** Each configured pipeline's conversion and team bottleneck over the trailing window. */
  async function pipelineLines(portalId: string, config: RulesConfig, today: LocalDate, at: (d: LocalDate) => Date): Promise<DigestPipeline[]> {
    const pipelines = await projections.pipelines(portalId);
    const f = { portalId, from: at(addDays(today, -FUNNEL_DAYS)), to: at(today) };
    const out: DigestPipeline[] = [];
    for (const rules of config.pipelines) {
      const pipeline = pipelines.find((p) => p.id === rules.pipelineId);
      if (!pipeline) continue;
      try {
        const [funnel, bottleneck] = await Promise.all([reports.funnel({ ...f, pipelineId: pipeline.id }), reports.bottleneck({ ...f, pipelineId: pipeline.id })]);
        const stageName = (id: string) => funnel.stages.find((s) => s.stageId === id)?.name ?? id;
        const team = bottleneck.team;
        out.push({
          name: pipeline.name,
          overall: funnel.overall,
          bottleneck: team && team.conversion !== null ? { fromStage: stageName(team.fromStageId), toStage: stageName(team.toStageId), conversion: team.conversion } : null,
        });
      } catch (err) {
        // A pipeline deleted on the host since the rules were saved: the digest goes out without it.
        if (!(err instanceof HttpError)) throw err;
      }
    }
    return out;
  }
}

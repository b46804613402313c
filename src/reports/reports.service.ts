import type { Db } from '../db/data-source.js';
import { HttpError } from '../http/http-errors.js';
import { bestConverters, conversionMatrix, teamBottleneck, weakestStep } from './math/bottleneck.js';
import { FIRST_RESPONSE_BOUNDS_MINUTES, responseBuckets } from './math/first-response.js';
import { funnelStages, funnelSteps, overallConversion, reachedCounts, stepConversions, type FunnelStageInput } from './math/funnel.js';
import { planProgress } from './math/plan-progress.js';
import { ratio } from './math/ratio.js';
import { salesVelocity, winRate } from './math/velocity.js';
import { activityByManager, dealsCreatedByManager } from './queries/activity.query.js';
import { closedDeals, closedDealsByManager, openDeals } from './queries/closed-deals.query.js';
import { dwellByStage } from './queries/dwell.query.js';
import { firstResponseByManager, type FirstResponseRow } from './queries/first-response.query.js';
import { furthestFunnelIndex } from './queries/funnel.query.js';
import { pipelineStages, resolvePipelineId } from './queries/pipeline-stages.query.js';
import { listPlans, upsertPlan, type PlanRow } from './queries/plans.query.js';
import { violationsByManager } from './queries/violations.query.js';
import { zeroCounters, type ActivityCounters, type ActivityMetric, type ReportFilter } from './report-filter.js';

const DAY = 86_400_000;
const step = (ids: readonly string[], i: number) => ({ fromStageId: ids[i]!, toStageId: ids[i + 1]! });

/** Every report: the queries fetch small aggregates, the pure math turns them into the answer. */
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  private async funnelData(f: ReportFilter) {
    const pipelineId = await resolvePipelineId(this.db, f.portalId, f.pipelineId);
    if (!pipelineId) throw new HttpError(400, 'invalid_input', `query parameter pipelineId: no such pipeline`);
    const stages = funnelStages(await pipelineStages(this.db, f.portalId, pipelineId));
    const ids = stages.map((s) => s.id);
    const rows = ids.length ? await furthestFunnelIndex(this.db, { ...f, pipelineId }, ids) : [];
    const team = new Map<number, number>();
    const byManager = new Map<string, Map<number, number>>();
    for (const r of rows) {
      team.set(r.index, (team.get(r.index) ?? 0) + r.deals);
      if (r.managerId === null) continue;
      const m = byManager.get(r.managerId) ?? new Map<number, number>();
      m.set(r.index, (m.get(r.index) ?? 0) + r.deals);
      byManager.set(r.managerId, m);
    }
    const reached = reachedCounts(ids.length, team);
    return { pipelineId, stages, ids, reached, conversions: stepConversions(reached), matrix: conversionMatrix(ids.length, byManager) };
  }

  async funnel(f: ReportFilter) {
    const d = await this.funnelData(f);
    return {
      pipelineId: d.pipelineId,
      stages: d.stages.map((s, i) => ({ stageId: s.id, name: s.name, reached: d.reached[i]!, conversion: i === 0 ? null : d.conversions[i - 1]! })),
      overall: overallConversion(d.reached),
    };
  }

  async conversionMatrix(f: ReportFilter) {
    const d = await this.funnelData(f);
    return {
      pipelineId: d.pipelineId,
      steps: funnelSteps(d.ids),
      team: d.conversions,
      managers: d.matrix.map((m) => ({ managerId: m.managerId, reached: m.reached, conversions: m.conversions })),
    };
  }

  async bottleneck(f: ReportFilter, minSample = 3) {
    const d = await this.funnelData(f);
    const team = teamBottleneck(d.conversions);
    return {
      pipelineId: d.pipelineId,
      team: team ? { ...step(d.ids, team.step), conversion: team.conversion } : null,
      managers: d.matrix.map((m) => {
        const w = weakestStep(d.conversions, m);
        return { managerId: m.managerId, weakestStep: w ? { ...step(d.ids, w.step), conversion: w.conversion, teamConversion: w.teamConversion, gap: w.gap } : null };
      }),
      bestConverters: bestConverters(d.matrix, minSample).map((b) => ({ ...step(d.ids, b.step), managerId: b.managerId, conversion: b.conversion, sample: b.sample })),
    };
  }

  async time(f: ReportFilter) {
    const pipelineId = await resolvePipelineId(this.db, f.portalId, f.pipelineId);
    if (!pipelineId) throw new HttpError(400, 'invalid_input', `query parameter pipelineId: no such pipeline`);
    const scoped = { ...f, pipelineId };
    const [stages, dwell, closed, open] = await Promise.all([
      pipelineStages(this.db, f.portalId, pipelineId),
      dwellByStage(this.db, scoped),
      closedDeals(this.db, scoped),
      openDeals(this.db, scoped),
    ]);
    const { won, lost, wonAmount, cycle } = closed.team;
    const rate = winRate(won, lost);
    const meanWonAmount = ratio(wonAmount, won);
    const byStage = new Map(dwell.map((d) => [d.stageId, d]));
    const hours = (s: number | undefined) => (s === undefined ? null : s / 3600);
    return {
      pipelineId,
      dwell: stages
        .filter((s: FunnelStageInput) => byStage.has(s.id) || s.semantics === 'process')
        .map((s) => {
          const d = byStage.get(s.id);
          return { stageId: s.id, name: s.name, samples: d?.samples ?? 0, meanHours: hours(d?.meanSeconds), medianHours: hours(d?.medianSeconds), p90Hours: hours(d?.p90Seconds) };
        }),
      cycle,
      cycleDays: cycle.meanDays,
      won,
      lost,
      winRate: rate,
      openDeals: open,
      meanWonAmount,
      velocity: salesVelocity({ openDeals: open, winRate: rate, meanWonAmount, meanCycleDays: cycle.meanDays }),
    };
  }

  /** Activity and deal counters per manager and for the team (the sum over managers). */
  async activity(f: ReportFilter) {
    const byManager = await this.counters(f);
    const team = zeroCounters();
    for (const c of byManager.values()) for (const k of Object.keys(team) as ActivityMetric[]) team[k] += c[k];
    const managers = [...byManager.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([managerId, c]) => ({ managerId, ...c }));
    return { managers, team };
  }

  private async counters(f: ReportFilter): Promise<Map<string, ActivityCounters>> {
    const [acts, created, closed] = await Promise.all([activityByManager(this.db, f), dealsCreatedByManager(this.db, f), closedDealsByManager(this.db, f)]);
    const out = new Map<string, ActivityCounters>();
    const of = (id: string) => out.get(id) ?? out.set(id, zeroCounters()).get(id)!;
    for (const a of acts) {
      const { managerId, ...counts } = a;
      Object.assign(of(managerId), counts);
    }
    for (const c of created) Object.assign(of(c.managerId), { dealsCreated: c.deals, leadsProcessed: c.deals });
    for (const c of closed) {
      if (c.managerId === null || c.won === 0) continue;
      Object.assign(of(c.managerId), { dealsWon: c.won, wonAmount: c.wonAmount });
    }
    return out;
  }

  async violations(f: ReportFilter) {
    const rows = await violationsByManager(this.db, f);
    const managers = new Map<string | null, { managerId: string | null; byKind: Record<string, number>; total: number }>();
    const team = { byKind: {} as Record<string, number>, total: 0 };
    for (const r of rows) {
      const m = managers.get(r.managerId) ?? managers.set(r.managerId, { managerId: r.managerId, byKind: {}, total: 0 }).get(r.managerId)!;
      m.byKind[r.kind] = r.count;
      m.total += r.count;
      team.byKind[r.kind] = (team.byKind[r.kind] ?? 0) + r.count;
      team.total += r.count;
    }
    return { managers: [...managers.values()], team };
  }

  /**
   * Discipline: the violations of the period by kind per manager, and how fast the deals created in the
   * period got their first contact (distribution per manager; the team row covers every deal, the
   * unassigned ones too).
   */
  async discipline(f: ReportFilter) {
    const [violations, responses] = await Promise.all([this.violations(f), firstResponseByManager(this.db, f, this.now())]);
    const dist = (r: FirstResponseRow | undefined) => ({
      deals: r?.deals ?? 0,
      answered: r?.answered ?? 0,
      waiting: (r?.deals ?? 0) - (r?.answered ?? 0),
      meanMinutes: r?.meanMinutes ?? null,
      medianMinutes: r?.medianMinutes ?? null,
      p90Minutes: r?.p90Minutes ?? null,
      buckets: responseBuckets(r?.within ?? FIRST_RESPONSE_BOUNDS_MINUTES.map(() => 0), r?.answered ?? 0),
    });
    const managers = responses
      .filter((r) => !r.team)
      .sort((a, b) => (a.managerId === null ? 1 : b.managerId === null ? -1 : a.managerId.localeCompare(b.managerId, 'en', { numeric: true })))
      .map((r) => ({ managerId: r.managerId, ...dist(r) }));
    return { violations, firstResponse: { team: dist(responses.find((r) => r.team)), managers } };
  }

  listPlans(portalId: string, opts: { from?: Date; to?: Date; managerId?: string }) {
    return listPlans(this.db, portalId, opts);
  }

  savePlan(portalId: string, plan: PlanRow) {
    return upsertPlan(this.db, portalId, plan);
  }

  /**
   * Plans overlapping the period, each with its fact over the plan's own period (to date), progress %
   * and the run-rate forecast to the plan's end. A plan's days are UTC days, its end day inclusive.
   */
  async planFact(f: Omit<ReportFilter, 'pipelineId'>) {
    const plans = await listPlans(this.db, f.portalId, f);
    const now = this.now();
    const facts = new Map<string, Map<string, ActivityCounters>>();
    for (const p of plans) {
      const key = `${p.periodStart}/${p.periodEnd}`;
      if (facts.has(key)) continue;
      const start = new Date(`${p.periodStart}T00:00:00Z`);
      const end = new Date(Date.parse(`${p.periodEnd}T00:00:00Z`) + DAY);
      facts.set(key, await this.counters({ portalId: f.portalId, from: start, to: end, managerId: f.managerId }));
    }
    return plans.map((p) => {
      const start = new Date(`${p.periodStart}T00:00:00Z`);
      const end = new Date(Date.parse(`${p.periodEnd}T00:00:00Z`) + DAY);
      const fact = facts.get(`${p.periodStart}/${p.periodEnd}`)!.get(p.managerId)?.[p.metric as ActivityMetric] ?? 0;
      return { ...p, fact, ...planProgress({ target: p.target, fact, start, end, now }) };
    });
  }
}

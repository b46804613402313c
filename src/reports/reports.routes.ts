import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { isoDate, parseInput } from '../http/query-params.js';
import { requireRole, sessionOf } from '../ui/session.js';
import { ACTIVITY_METRICS } from './report-filter.js';
import { ReportsService } from './reports.service.js';

const id = z.string().min(1).max(64);
const periodQuery = z
  .object({ from: isoDate, to: isoDate, pipelineId: id.optional(), managerId: id.optional(), minSample: z.coerce.number().int().min(1).max(1000).optional() })
  .refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] });
const plansQuery = z.object({ from: isoDate.optional(), to: isoDate.optional(), managerId: id.optional() });
const day = z.iso.date();
const planBody = z
  .object({ managerId: id, metric: z.enum(ACTIVITY_METRICS), periodStart: day, periodEnd: day, target: z.number().finite().min(0).max(1e15) })
  .refine((p) => p.periodEnd >= p.periodStart, { message: 'must not be before periodStart', path: ['periodEnd'] });

/** The reports API (mounted under /api behind the session): the portal is always the session's. */
export function reportsRouter(ctx: AppContext): Router {
  const service = new ReportsService(ctx.db, ctx.now);
  const router = Router();
  const filter = (query: unknown, portalId: string) => {
    const q = parseInput(periodQuery, query, 'query parameter');
    return { portalId, from: q.from, to: q.to, pipelineId: q.pipelineId, managerId: q.managerId, minSample: q.minSample };
  };

  router.get('/reports/funnel', async (req, res) => {
    res.json(await service.funnel(filter(req.query, sessionOf(res).portalId)));
  });
  router.get('/reports/conversion-matrix', async (req, res) => {
    res.json(await service.conversionMatrix(filter(req.query, sessionOf(res).portalId)));
  });
  router.get('/reports/bottleneck', async (req, res) => {
    const f = filter(req.query, sessionOf(res).portalId);
    res.json(await service.bottleneck(f, f.minSample));
  });
  router.get('/reports/time', async (req, res) => {
    res.json(await service.time(filter(req.query, sessionOf(res).portalId)));
  });
  router.get('/reports/activity', async (req, res) => {
    res.json(await service.activity(filter(req.query, sessionOf(res).portalId)));
  });
  router.get('/reports/violations', async (req, res) => {
    res.json(await service.violations(filter(req.query, sessionOf(res).portalId)));
  });
  router.get('/reports/discipline', async (req, res) => {
    res.json(await service.discipline(filter(req.query, sessionOf(res).portalId)));
  });
  router.get('/reports/plan-fact', async (req, res) => {
    const { pipelineId: _ignored, ...f } = filter(req.query, sessionOf(res).portalId);
    res.json(await service.planFact(f));
  });

  router.get('/plans', async (req, res) => {
    const q = parseInput(plansQuery, req.query, 'query parameter');
    res.json(await service.listPlans(sessionOf(res).portalId, q));
  });
  router.put('/plans', express.json({ limit: '16kb' }), requireRole('admin', 'head'), async (req, res) => {
    if (req.body === undefined) throw new HttpError(400, 'invalid_input', 'body: a JSON plan is required');
    const plan = parseInput(planBody, req.body, 'body field');
    await service.savePlan(sessionOf(res).portalId, plan);
    res.json(plan);
  });

  return router;
}

import { Router } from 'express';
import type { Feature } from '../../../src/app/app-context.js';
import { requireSession } from '../../../src/ui/session.js';
import { B2B_STAGE as S } from '../../../src/rules/index.js';

/**
 * A stand-in for /api/reports/* with fixed answers, so the dashboard's drawing is tested on known
 * numbers. It records the queries it got, to check the pickers reach the API.
 */
export function reportsStandIn(seen: { path: string; query: Record<string, string> }[]): Feature {
  return {
    name: 'reports-stand-in',
    routes: (ctx) => {
      const r = Router();
      r.use(requireSession(ctx.sessionSecret));
      r.use((req, _res, next) => {
        seen.push({ path: req.path, query: req.query as Record<string, string> });
        next();
      });
      r.get('/funnel', (_req, res) => {
        res.json({
          stages: [
            { stageId: S.identification, reached: 10, conversion: null },
            { stageId: S.qualification, reached: 9, conversion: 0.9 },
            { stageId: S.offer, reached: 6, conversion: 0.667 },
            { stageId: S.negotiation, reached: 5, conversion: 0.833 },
            { stageId: S.won, reached: 3, conversion: 0.6 },
          ],
          overall: 0.3,
        });
      });
      r.get('/bottleneck', (_req, res) => {
        res.json({
          team: { fromStageId: S.negotiation, toStageId: S.won, conversion: 0.6 },
          managers: [
            { managerId: '201', weakestStep: { fromStageId: S.qualification, toStageId: S.offer } },
            { managerId: '202', weakestStep: { fromStageId: S.negotiation, toStageId: S.won } },
          ],
        });
      });
      r.get('/conversion-matrix', (_req, res) => {
        const steps = [
          [S.identification, S.qualification],
          [S.qualification, S.offer],
          [S.offer, S.negotiation],
          [S.negotiation, S.won],
        ].map(([fromStageId, toStageId]) => ({ fromStageId, toStageId }));
        res.json({
          steps,
          team: [0.9, 0.667, 0.833, 0.6],
          managers: [
            { managerId: '201', conversions: [1, 0.4, 1, 0.5] },
            { managerId: '202', conversions: [0.8, 1, 0.75, 0.667] },
          ],
        });
      });
      r.get('/plan-fact', (_req, res) => {
        res.json([
          { managerId: '201', metric: 'dealsWon', target: 4, fact: 1, forecast: 2.5 },
          { managerId: '202', metric: 'dealsWon', target: 3, fact: 2, forecast: 4.1 },
          { managerId: '202', metric: 'wonAmount', target: 20000, fact: 20000, forecast: 31000 },
        ]);
      });
      r.get('/time', (_req, res) => {
        res.json({ velocity: 2350.5, winRate: 0.75, cycleDays: 9.5, openDeals: 5 });
      });
      return [{ path: '/api/reports', router: r }];
    },
  };
}

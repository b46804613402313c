import express from 'express';
import type { Server } from 'node:http';
import type { AppContext } from '../../src/app/app-context.js';
import { errorHandler } from '../../src/http/http-errors.js';
import { createLogger } from '../../src/log/logger.js';
import { reportsRouter } from '../../src/reports/reports.routes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { NOW, PERIOD, seedReferenceDataset } from './reference-dataset.js';

// Expected values are worked out by hand from reference-dataset.ts; the comments show the sums.
describe('reports API on the reference dataset', () => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let portals: { A: string; B: string };

  beforeAll(async () => {
    t = await createTestDatabase();
    portals = await seedReferenceDataset(t.db);
    const app = express();
    // Stand-in for the session middleware: the portal comes only from here.
    app.use((req, res, next) => {
      res.locals.session = { portalId: portals[(req.headers['x-portal'] as 'A' | 'B') ?? 'A'], userId: '1', role: (req.headers['x-role'] as string) ?? 'head' };
      next();
    });
    app.use('/api', reportsRouter({ db: t.db, now: () => NOW } as unknown as AppContext));
    app.use(errorHandler(createLogger('silent')));
    server = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await t?.drop();
  });

  const get = async (path: string, query: Record<string, string> = {}, portal: 'A' | 'B' = 'A') => {
    const res = await fetch(`${base}${path}?${new URLSearchParams({ ...PERIOD, ...query })}`, { headers: { 'x-portal': portal } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const close = (got: unknown, want: number | null) => (want === null ? expect(got).toBeNull() : expect(got as number).toBeCloseTo(want, 9));

  describe('funnel', () => {
    it('counts reached stages from each deal’s furthest funnel stage (skips pass, backward moves undo nothing, losses pass nothing)', async () => {
      // cohort D1..D7 (D8, D11 created earlier; D9 deleted; D10 another pipeline)
      // furthest: D1 WON, D2 S3 (skip + back), D3 S1 (lost), D4 WON (skipped S3), D5 S2, D6 S1, D7 S1
      const { status, body } = await get('/reports/funnel');
      expect(status).toBe(200);
      expect(body.pipelineId).toBe('P');
      expect(body.stages.map((s: any) => [s.stageId, s.name, s.reached])).toEqual([
        ['S1', 'New', 7],
        ['S2', 'Qualified', 4],
        ['S3', 'Offer', 3],
        ['WON', 'Won', 2],
      ]);
      expect(body.stages[0].conversion).toBeNull();
      close(body.stages[1].conversion, 4 / 7);
      close(body.stages[2].conversion, 3 / 4);
      close(body.stages[3].conversion, 2 / 3);
      close(body.overall, 2 / 7);
    });

    it('per manager: the same over their deals', async () => {
      const { body } = await get('/reports/funnel', { managerId: '2', pipelineId: 'P' });
      expect(body.stages.map((s: any) => s.reached)).toEqual([3, 2, 1, 1]);
      close(body.overall, 1 / 3);
    });

    it('portal B sees only its own deals', async () => {
      const { body } = await get('/reports/funnel', {}, 'B');
      expect(body.stages.map((s: any) => s.reached)).toEqual([4, 3, 3, 2]);
    });

    it('another pipeline is its own funnel', async () => {
      const { body } = await get('/reports/funnel', { pipelineId: 'Q' });
      expect(body.stages.map((s: any) => [s.stageId, s.reached])).toEqual([
        ['X1', 1],
        ['XW', 1],
      ]);
    });
  });

  it('conversion matrix: manager × step', async () => {
    const { body } = await get('/reports/conversion-matrix');
    expect(body.steps).toEqual([
      { fromStageId: 'S1', toStageId: 'S2' },
      { fromStageId: 'S2', toStageId: 'S3' },
      { fromStageId: 'S3', toStageId: 'WON' },
    ]);
    [4 / 7, 3 / 4, 2 / 3].forEach((v, i) => close(body.team[i], v));
    expect(body.managers.map((m: any) => [m.managerId, m.reached])).toEqual([
      ['1', [3, 2, 2, 1]],
      ['2', [3, 2, 1, 1]],
    ]);
    [2 / 3, 1, 1 / 2].forEach((v, i) => close(body.managers[0].conversions[i], v));
    [2 / 3, 1 / 2, 1].forEach((v, i) => close(body.managers[1].conversions[i], v));
  });

  describe('bottleneck', () => {
    it('team: the lowest step; each manager: the largest gap below the team', async () => {
      const { body } = await get('/reports/bottleneck');
      expect(body.team).toMatchObject({ fromStageId: 'S1', toStageId: 'S2' });
      close(body.team.conversion, 4 / 7);
      // manager 1 gaps: 4/7−2/3 = −2/21, 3/4−1 = −1/4, 2/3−1/2 = 1/6 → S3→WON
      const [m1, m2] = body.managers;
      expect(m1).toMatchObject({ managerId: '1', weakestStep: { fromStageId: 'S3', toStageId: 'WON', conversion: 0.5 } });
      close(m1.weakestStep.gap, 1 / 6);
      // manager 2 gaps: −2/21, 3/4−1/2 = 1/4, 2/3−1 = −1/3 → S2→S3
      expect(m2).toMatchObject({ managerId: '2', weakestStep: { fromStageId: 'S2', toStageId: 'S3', conversion: 0.5, teamConversion: 0.75, gap: 0.25 } });
      // min sample 3: only S1 qualifies (3 deals each); tie 2/3 vs 2/3, same sample → lower id
      expect(body.bestConverters).toHaveLength(1);
      expect(body.bestConverters[0]).toMatchObject({ fromStageId: 'S1', toStageId: 'S2', managerId: '1', sample: 3 });
    });

    it('best converters with a smaller minimum sample', async () => {
      const { body } = await get('/reports/bottleneck', { minSample: '2' });
      expect(body.bestConverters.map((b: any) => [b.fromStageId, b.managerId, b.conversion, b.sample])).toEqual([
        ['S1', '1', 2 / 3, 3],
        ['S2', '1', 1, 2],
        ['S3', '1', 0.5, 2],
      ]);
    });
  });

  describe('time', () => {
    it('dwell per stage from completed visits ending in the period; cycle, win rate, velocity', async () => {
      const { body } = await get('/reports/time');
      const dwell = Object.fromEntries(body.dwell.map((d: any) => [d.stageId, d]));
      // S1 visits (h): D1 24, D2 48, D3 12, D4 48, D5 72 → median 48, p90 48 + 0.6 × 24 = 62.4
      expect(dwell.S1.samples).toBe(5);
      close(dwell.S1.meanHours, 40.8);
      close(dwell.S1.medianHours, 48);
      close(dwell.S1.p90Hours, 62.4);
      // S2: D1 48, D4 144, D5 72, D8 600 (entered in Feb, left in the period); D2's visit is still open
      expect(dwell.S2.samples).toBe(4);
      close(dwell.S2.meanHours, 216);
      close(dwell.S2.medianHours, 108);
      close(dwell.S2.p90Hours, 463.2);
      expect(dwell.S3.samples).toBe(2);
      close(dwell.S3.medianHours, 48);
      close(dwell.S3.p90Hours, 48);
      // won: D1 5 d, D4 8 d, D8 30 d (D9 deleted); lost: D3, D5
      expect(body.cycle).toMatchObject({ won: 3, medianDays: 8 });
      close(body.cycle.meanDays, 43 / 3);
      close(body.cycle.p90Days, 25.6);
      close(body.cycleDays, 43 / 3);
      expect(body).toMatchObject({ won: 3, lost: 2, winRate: 0.6, openDeals: 4, meanWonAmount: 1500 });
      // 4 open × 0.6 × 1500 ÷ (43/3)
      close(body.velocity, 10800 / 43);
    });

    it('for one manager', async () => {
      const { body } = await get('/reports/time', { managerId: '1' });
      const dwell = Object.fromEntries(body.dwell.map((d: any) => [d.stageId, d]));
      expect(dwell.S1.samples).toBe(3); // D1 24, D2 48, D3 12
      close(dwell.S1.medianHours, 24);
      expect(body).toMatchObject({ won: 2, lost: 1, openDeals: 2, meanWonAmount: 750 });
      close(body.winRate, 2 / 3);
      close(body.cycle.meanDays, 17.5);
    });
  });

  describe('activity', () => {
    const m1 = { managerId: '1', callsIn: 2, callsOut: 2, callsOver30s: 2, meetings: 1, emails: 2, offers: 1, chats: 1, leadsProcessed: 3, dealsCreated: 3, dealsWon: 2, wonAmount: 1500 };
    // b8, a planned call, is no call; b9, an open incoming call with 45 s of talk, is one (in, over 30 s)
    const m2 = { managerId: '2', callsIn: 2, callsOut: 1, callsOver30s: 2, meetings: 1, emails: 0, offers: 1, chats: 2, leadsProcessed: 4, dealsCreated: 4, dealsWon: 2, wonAmount: 10000 };

    it('per manager and team; calls of exactly 30 s are not over 30 s, 31 s are', async () => {
      const { body } = await get('/reports/activity');
      expect(body.managers).toEqual([m1, m2]);
      expect(body.team).toEqual({ callsIn: 4, callsOut: 3, callsOver30s: 4, meetings: 2, emails: 2, offers: 2, chats: 3, leadsProcessed: 7, dealsCreated: 7, dealsWon: 4, wonAmount: 11500 });
    });

    it('the pipeline filter narrows deal counters (activities belong to no pipeline)', async () => {
      const { body } = await get('/reports/activity', { pipelineId: 'P', managerId: '2' });
      expect(body.managers).toEqual([{ ...m2, leadsProcessed: 3, dealsCreated: 3, dealsWon: 1, wonAmount: 3000 }]);
    });
  });

  it('violations by kind per manager', async () => {
    const { body } = await get('/reports/violations');
    expect(body).toEqual({
      managers: [
        { managerId: '1', byKind: { no_next_contact: 1, stage_skipped: 1 }, total: 2 },
        { managerId: '2', byKind: { stalled_deal: 1 }, total: 1 },
        { managerId: null, byKind: { overdue_task: 1 }, total: 1 },
      ],
      team: { byKind: { no_next_contact: 1, stage_skipped: 1, stalled_deal: 1, overdue_task: 1 }, total: 4 },
    });
  });

  it('plan vs fact: progress and run-rate forecast (20 of 31 days elapsed)', async () => {
    const { body } = await get('/reports/plan-fact');
    expect(body).toEqual([
      { managerId: '1', metric: 'callsOver30s', periodStart: '2025-03-01', periodEnd: '2025-03-31', target: 0, fact: 2, progressPercent: null, forecast: expect.closeTo(3.1, 9) },
      { managerId: '1', metric: 'dealsWon', periodStart: '2025-03-01', periodEnd: '2025-03-31', target: 4, fact: 2, progressPercent: 50, forecast: expect.closeTo(3.1, 9) },
      { managerId: '2', metric: 'wonAmount', periodStart: '2025-03-01', periodEnd: '2025-03-31', target: 20000, fact: 10000, progressPercent: 50, forecast: expect.closeTo(15500, 6) },
    ]);
  });

  describe('plans', () => {
    const put = (body: unknown, role = 'head', portal: 'A' | 'B' = 'B') =>
      fetch(`${base}/plans`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-role': role, 'x-portal': portal }, body: JSON.stringify(body) });

    it('are set through the API and listed for the session’s portal only', async () => {
      const plan = { managerId: '2', metric: 'meetings', periodStart: '2025-06-01', periodEnd: '2025-06-30', target: 12 };
      expect((await put(plan)).status).toBe(200);
      expect((await put({ ...plan, target: 15 })).status).toBe(200);
      const b = await (await fetch(`${base}/plans?managerId=2`, { headers: { 'x-portal': 'B' } })).json();
      expect(b).toEqual([{ ...plan, target: 15 }]);
      const a = await (await fetch(`${base}/plans?from=2025-06-01&to=2025-07-01`, { headers: { 'x-portal': 'A' } })).json();
      expect(a).toEqual([]);
    });

    it.each([
      ['metric', { managerId: '2', metric: 'happiness', periodStart: '2025-06-01', periodEnd: '2025-06-30', target: 1 }],
      ['target', { managerId: '2', metric: 'meetings', periodStart: '2025-06-01', periodEnd: '2025-06-30', target: -1 }],
      ['periodEnd', { managerId: '2', metric: 'meetings', periodStart: '2025-06-01', periodEnd: '2025-05-30', target: 1 }],
      ['managerId', { metric: 'meetings', periodStart: '2025-06-01', periodEnd: '2025-06-30', target: 1 }],
    ])('a bad %s is a 400 naming it', async (field, body) => {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).message).toContain(field);
    });

    it('a manager may not set plans', async () => {
      expect((await put({ managerId: '2', metric: 'meetings', periodStart: '2025-06-01', periodEnd: '2025-06-30', target: 1 }, 'manager')).status).toBe(403);
    });
  });

  it.each([
    ['from', { from: 'yesterday' }],
    ['to', { to: '2025-02-01' }],
    ['pipelineId', { pipelineId: 'NOPE' }],
    ['minSample', { minSample: '0' }],
  ])('a bad %s is a 400 naming it', async (param, query) => {
    const { status, body } = await get('/reports/bottleneck', query);
    expect(status).toBe(400);
    expect(body.message).toContain(param);
  });

  it('a date in the wrong form says which forms it takes', async () => {
    const { status, body } = await get('/reports/funnel', { from: 'yesterday' });
    expect(status).toBe(400);
    expect(body.message).toBe('query parameter from: expected a date (2026-11-01) or a date-time with its offset (2026-11-01T09:00:00+03:00), got "yesterday"');
  });
});

import express from 'express';
import { ReportQueryIndexes1764000031000 } from '../../migrations/1764000031000-report-query-indexes.js';
import type { Server } from 'node:http';
import type { AppContext } from '../../src/app/app-context.js';
import { errorHandler } from '../../src/http/http-errors.js';
import { createLogger } from '../../src/log/logger.js';
import { responseMinutes } from '../../src/reports/math/first-response.js';
import { percentile } from '../../src/reports/math/percentile.js';
import { reportsRouter } from '../../src/reports/reports.routes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { NOW, PERIOD, seedReferenceDataset } from './reference-dataset.js';

// First response over reference-dataset.ts, worked out by hand (minutes from the deal's creation to its
// first completed call/email/chat/meeting, or call with talk time):
//   manager 1: D1 10 (a1), D2 1440 (a5 held on the 5th; a6 only planned), D3 360 (a7; a8 not done)
//   manager 2: D4 120 (a2, by manager 1), D5 0 (a3 started 2 min before the deal), D6 none (a12 deleted;
//              a9 is an offer; portal B's call on its own D6 does not count), D10 30 (b7, pipeline Q)
//   unassigned: D7 720 (c1)
describe('discipline report on the reference dataset', () => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let portals: { A: string; B: string };

  beforeAll(async () => {
    t = await createTestDatabase();
    // The answers must not depend on which indexes exist: this file runs with the partial contact
    // indexes (whether or not migrations/index.ts lists them yet), reports.api.test.ts without.
    if (!(await t.db.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'activities_first_contact_idx'`)).length) {
      const runner = t.db.createQueryRunner();
      await new ReportQueryIndexes1764000031000().up(runner).finally(() => runner.release());
    }
    portals = await seedReferenceDataset(t.db);
    const app = express();
    app.use((req, res, next) => {
      res.locals.session = { portalId: portals[(req.headers['x-portal'] as 'A' | 'B') ?? 'A'], userId: '1', role: 'head' };
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

  const get = async (query: Record<string, string> = {}, portal: 'A' | 'B' = 'A') => {
    const res = await fetch(`${base}/reports/discipline?${new URLSearchParams({ ...PERIOD, ...query })}`, { headers: { 'x-portal': portal } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const close = (got: unknown, want: number | null) => (want === null ? expect(got).toBeNull() : expect(got as number).toBeCloseTo(want, 9));
  const bucketDeals = (d: any) => d.buckets.map((b: any) => b.deals);

  it('first response for the team: every deal created in the period, the unassigned one too', async () => {
    const { status, body } = await get();
    expect(status).toBe(200);
    const team = body.firstResponse.team;
    expect(team).toMatchObject({ deals: 8, answered: 7, waiting: 1 });
    // sorted: 0, 10, 30, 120, 360, 720, 1440 → median the 4th; p90 at h = 5.4: 720 + 0.4 × 720
    close(team.meanMinutes, 2680 / 7);
    close(team.medianMinutes, 120);
    close(team.p90Minutes, 1008);
    expect(team.buckets.map((b: any) => b.upToMinutes)).toEqual([15, 60, 240, 1440, null]);
    expect(bucketDeals(team)).toEqual([2, 1, 1, 3, 0]);
    close(team.buckets[3].share, 3 / 7);
  });

  it('per manager, unassigned last', async () => {
    const { body } = await get();
    const [m1, m2, none] = body.firstResponse.managers;
    expect(body.firstResponse.managers.map((m: any) => m.managerId)).toEqual(['1', '2', null]);
    // manager 1: 10, 360, 1440 → p90 at h = 1.8: 360 + 0.8 × 1080
    expect(m1).toMatchObject({ deals: 3, answered: 3, waiting: 0, medianMinutes: 360 });
    close(m1.meanMinutes, 1810 / 3);
    close(m1.p90Minutes, 1224);
    expect(bucketDeals(m1)).toEqual([1, 0, 0, 2, 0]);
    // manager 2: 0, 30, 120 (D6 waiting) → p90: 30 + 0.8 × 90
    expect(m2).toMatchObject({ deals: 4, answered: 3, waiting: 1, meanMinutes: 50, medianMinutes: 30 });
    close(m2.p90Minutes, 102);
    expect(bucketDeals(m2)).toEqual([1, 1, 1, 0, 0]);
    expect(none).toMatchObject({ managerId: null, deals: 1, answered: 1, medianMinutes: 720, p90Minutes: 720 });
  });

  it('the pipeline filter applies to the deals (D10 is in pipeline Q)', async () => {
    const { body } = await get({ pipelineId: 'P' });
    const team = body.firstResponse.team;
    expect(team).toMatchObject({ deals: 7, answered: 6 });
    // 0, 10, 120, 360, 720, 1440: median 120 + 0.5 × 240; p90 at h = 4.5: 720 + 0.5 × 720
    close(team.medianMinutes, 240);
    close(team.p90Minutes, 1080);
    close(team.meanMinutes, 2650 / 6);
    expect(body.firstResponse.managers[1]).toMatchObject({ managerId: '2', deals: 3, answered: 2, meanMinutes: 60, medianMinutes: 60, p90Minutes: 108 });
  });

  it('one manager', async () => {
    const { body } = await get({ managerId: '2' });
    expect(body.firstResponse.team).toMatchObject({ deals: 4, answered: 3, meanMinutes: 50 });
    expect(body.firstResponse.managers.map((m: any) => m.managerId)).toEqual(['2']);
    expect(body.violations.managers.map((m: any) => m.managerId)).toEqual(['2']);
  });

  it('the SQL percentiles are math/percentile.ts on the same samples', async () => {
    const created: Record<string, string> = { D1: '2025-03-02', D2: '2025-03-04', D3: '2025-03-05', D4: '2025-03-02', D5: '2025-03-03', D10: '2025-03-05', D7: '2025-03-11' };
    const contact: Record<string, string> = {
      D1: '2025-03-02T00:10:00Z',
      D2: '2025-03-05T00:00:00Z',
      D3: '2025-03-05T06:00:00Z',
      D4: '2025-03-02T02:00:00Z',
      D5: '2025-03-02T23:58:00Z',
      D10: '2025-03-05T00:30:00Z',
      D7: '2025-03-11T12:00:00Z',
    };
    const samples = Object.keys(created).map((d) => responseMinutes(new Date(`${created[d]}T00:00:00Z`), new Date(contact[d]!))!);
    const { body } = await get();
    close(body.firstResponse.team.medianMinutes, percentile(samples, 0.5));
    close(body.firstResponse.team.p90Minutes, percentile(samples, 0.9));
  });

  it('violations by kind per manager, as /reports/violations', async () => {
    const { body } = await get();
    expect(body.violations).toEqual((await (await fetch(`${base}/reports/violations?${new URLSearchParams(PERIOD)}`)).json()) as any);
    expect(body.violations.team.total).toBe(4);
  });

  it('portal B: its own deals and contacts only', async () => {
    // B's deals in March: D1, D2 (manager 1), D3, D12 (manager 2); its only bound activity is on its D6,
    // which B does not have. So nobody answered, and A's contacts never show.
    const { body } = await get({}, 'B');
    expect(body.firstResponse.team).toMatchObject({ deals: 4, answered: 0, waiting: 4, medianMinutes: null, p90Minutes: null, meanMinutes: null });
    expect(bucketDeals(body.firstResponse.team)).toEqual([0, 0, 0, 0, 0]);
    expect(body.violations.team).toEqual({ byKind: { stage_skipped: 5 }, total: 5 });
  });

  it('a period with no deals answers zeros and nulls, never NaN', async () => {
    const { body } = await get({ from: '2024-01-01', to: '2024-02-01' });
    expect(body.firstResponse.team).toMatchObject({ deals: 0, answered: 0, waiting: 0, meanMinutes: null, medianMinutes: null });
    expect(body.firstResponse.team.buckets.every((b: any) => b.deals === 0 && b.share === null)).toBe(true);
    expect(body.firstResponse.managers).toEqual([]);
  });
});

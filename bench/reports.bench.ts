import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReportIndexes1764000030000 } from '../migrations/1764000030000-report-indexes.js';
import { ReportQueryIndexes1764000031000 } from '../migrations/1764000031000-report-query-indexes.js';
import { ReportDealLookupIndex1764000032000 } from '../migrations/1764000032000-report-deal-lookup-index.js';
import { createDataSource, type Db } from '../src/db/data-source.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { runMigrations } from '../src/db/migrate.js';
import { ReportsService } from '../src/reports/reports.service.js';

/**
 * Reports: seeds one big portal (1,000,000 stage transitions, 200,000 deals, 5,000,000 activities over
 * two years; BENCH_SCALE scales it) plus two smaller portals, then times every report over the last 30
 * days (the dashboard's default, this month) and the last 90. Each p95 is also printed as a ratio to a
 * baseline from the same run: a bare `count(*)` of the portal's stage transitions.
 *
 * Rows go in in time order, as a CRM's projection fills (sync writes what happens as it happens, and
 * the history import pages by id): scattering them would make every index-only scan hop between
 * visibility-map pages, which no real table does. A deal's activities fall within 30 days of its
 * creation, as they do in a real pipeline.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const DAYS = 730;
const MANAGERS = 50;
/** Report periods, in days back from now: the dashboard's month and a quarter. */
const PERIODS = [30, 90];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function seedPortal(db: Db, name: string, deals: number, activities: number, now: Date): Promise<string> {
  const [p] = await db.query(`INSERT INTO portals (host, external_id, domain, status) VALUES ('bitrix24', $1, $2, 'active') RETURNING id`, [`bench-${name}`, `${name}.bitrix24.ru`]);
  const id: string = p.id;
  await db.query(`INSERT INTO pipelines (portal_id, id, name, sort, is_default) VALUES ($1, 'P', 'Sales', 1, true)`, [id]);
  await db.query(
    `INSERT INTO stages (portal_id, pipeline_id, id, name, sort, semantics)
     SELECT $1, 'P', s.id, s.id, s.sort, s.sem FROM (VALUES ('S1', 10, 'process'), ('S2', 20, 'process'), ('S3', 30, 'process'), ('S4', 40, 'process'),
       ('S5', 50, 'process'), ('WON', 60, 'success'), ('LOSE', 70, 'failure')) AS s(id, sort, sem)`,
    [id],
  );
  // Each deal has a path of five stages: S1 S2 S3 S4, then WON (g % 3 = 0), LOSE (1) or S5 (2, still open);
  // a deal in ten skips to S3, moves back to S2, then skips to S4. Five transitions per deal: the creation row and four moves.
  await db.query(
    `INSERT INTO deals (portal_id, id, pipeline_id, stage_id, title, responsible_id, amount, host_created_at, host_updated_at, stage_semantics)
     SELECT $1, 'd' || g, 'P', CASE g % 3 WHEN 0 THEN 'WON' WHEN 1 THEN 'LOSE' ELSE 'S5' END, '', (g % ${MANAGERS})::text, 1000 + (g % 97) * 10,
            $2::timestamptz - make_interval(secs => (g::bigint * 7919) % (${DAYS} * 86400)), $2,
            CASE g % 3 WHEN 0 THEN 'success' WHEN 1 THEN 'failure' ELSE 'process' END
       FROM generate_series(1, $3::int) g
      ORDER BY 8`,
    [id, now, deals],
  );
  await db.query(
    `INSERT INTO stage_transitions (portal_id, deal_id, pipeline_id, from_pipeline_id, from_stage_id, to_stage_id, at, host_history_id)
     SELECT $1, d.id, 'P', CASE WHEN k > 0 THEN 'P' END, path[k + 1], path[k + 2],
            d.host_created_at + make_interval(hours => k * (6 + (n % 90))), 'h' || k
       FROM (SELECT id, host_created_at, substr(id, 2)::int AS n,
                    CASE WHEN substr(id, 2)::int % 10 = 0 THEN ARRAY[NULL, 'S1', 'S3', 'S2', 'S4', stage_id]
                         ELSE ARRAY[NULL, 'S1', 'S2', 'S3', 'S4', stage_id] END AS path
               FROM deals WHERE portal_id = $1) d
      CROSS JOIN generate_series(0, 4) k
      ORDER BY 7`,
    [id],
  );
  // Activity g belongs to deal k = 1 + g % deals and happens within 30 days of that deal's creation
  // (the deals' creation formula above, repeated), never after now.
  await db.query(
    `INSERT INTO activities (portal_id, id, kind, direction, duration_sec, completed, responsible_id, deal_ids, host_created_at)
     SELECT $1, 'a' || g, (ARRAY['call', 'call', 'call', 'meeting', 'email', 'offer', 'chat', 'task'])[1 + g % 8],
            CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END, g % 120, g % 5 <> 0, (g % ${MANAGERS})::text,
            ARRAY['d' || k], at
       FROM generate_series(1, $3::int) g
      CROSS JOIN LATERAL (SELECT 1 + g % $4::int AS k) kk
      CROSS JOIN LATERAL (
        SELECT LEAST($2::timestamptz, $2::timestamptz - make_interval(secs => (k::bigint * 7919) % (${DAYS} * 86400))
                                       + make_interval(secs => (g::bigint * 104729) % (30 * 86400))) AS at) t
      ORDER BY at`,
    [id, now, activities, deals],
  );
  await db.query(
    `INSERT INTO violations (portal_id, dedupe_key, kind, deal_id, manager_id, pipeline_id, detected_at)
     SELECT $1, 'v' || g, (ARRAY['stage_skipped', 'stalled_deal', 'no_next_contact'])[1 + g % 3], 'd' || g, (g % ${MANAGERS})::text, 'P',
            $2::timestamptz - make_interval(secs => (g::bigint * 7919) % (${DAYS} * 86400))
       FROM generate_series(1, $3::int) g`,
    [id, now, Math.round(deals / 10)],
  );
  await db.query(
    `INSERT INTO plans (portal_id, manager_id, metric, period_start, period_end, target)
     SELECT $1, m::text, metric, date_trunc('month', $2::timestamptz)::date, (date_trunc('month', $2::timestamptz) + interval '1 month - 1 day')::date, 10
       FROM generate_series(0, ${MANAGERS - 1}) m CROSS JOIN unnest(ARRAY['dealsWon', 'wonAmount', 'callsOver30s']) metric`,
    [id, now],
  );
  return id;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

export async function runReportsBench(): Promise<void> {
  let url = process.env.DATABASE_URL;
  const dir = url ? null : mkdtempSync(path.join(tmpdir(), 'sg-reports-bench-'));
  const embedded = dir ? await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() }) : null;
  url ??= embedded!.url;
  const db = createDataSource(url, 4);
  await db.initialize();
  try {
    await runMigrations(db);
    // Until migrations/index.ts lists them, create the report indexes here too.
    for (const [probe, migration] of [
      ['activities_report_idx', new ReportIndexes1764000030000()],
      ['activities_first_contact_idx', new ReportQueryIndexes1764000031000()],
      ['deals_lookup_idx', new ReportDealLookupIndex1764000032000()],
    ] as const) {
      if ((await db.query(`SELECT 1 FROM pg_indexes WHERE indexname = $1`, [probe])).length) continue;
      const runner = db.createQueryRunner();
      await migration.up(runner).finally(() => runner.release());
    }

    const now = new Date();
    const n = (x: number) => Math.max(1, Math.round(x * SCALE));
    const t0 = Date.now();
    const portal = await seedPortal(db, `main-${Date.now()}`, n(200_000), n(5_000_000), now);
    for (const other of ['x', 'y']) await seedPortal(db, `${other}-${Date.now()}`, n(20_000), n(500_000), now);
    await db.query('VACUUM ANALYZE');
    const seedSeconds = (Date.now() - t0) / 1000;

    const counts = await db.query(
      `SELECT (SELECT count(*) FROM stage_transitions WHERE portal_id = $1)::int AS transitions,
              (SELECT count(*) FROM deals WHERE portal_id = $1)::int AS deals,
              (SELECT count(*) FROM activities WHERE portal_id = $1)::int AS activities,
              (SELECT count(*) FROM stage_transitions)::int AS all_transitions,
              (SELECT count(*) FROM deals)::int AS all_deals,
              (SELECT count(*) FROM activities)::int AS all_activities`,
      [portal],
    );
    const service = new ReportsService(db, () => now);
    const baseline = await time(() => db.query('SELECT count(*) FROM stage_transitions WHERE portal_id = $1', [portal]));
    const rows: Record<string, string | number>[] = [
      { report: 'baseline: count(*) transitions of the portal', period: '', 'p50 ms': baseline.p50.toFixed(1), 'p95 ms': baseline.p95.toFixed(1), 'p95 / baseline': '1.00', '< 300 ms': baseline.p95 < 300 ? 'yes' : 'NO' },
    ];
    for (const days of PERIODS) {
      const f = { portalId: portal, from: new Date(now.getTime() - days * 86_400_000), to: now };
      const reports: [string, () => Promise<unknown>][] = [
        ['GET /reports/funnel', () => service.funnel(f)],
        ['GET /reports/conversion-matrix', () => service.conversionMatrix(f)],
        ['GET /reports/bottleneck', () => service.bottleneck(f)],
        ['GET /reports/time', () => service.time(f)],
        ['GET /reports/activity', () => service.activity(f)],
        ['GET /reports/violations', () => service.violations(f)],
        ['GET /reports/discipline', () => service.discipline(f)],
        ['GET /reports/plan-fact', () => service.planFact(f)],
        ['GET /reports/funnel?managerId', () => service.funnel({ ...f, managerId: '7' })],
        ['GET /reports/time?managerId', () => service.time({ ...f, managerId: '7' })],
      ];
      for (const [name, fn] of reports) {
        const r = await time(fn);
        rows.push({ report: name, period: `${days} d`, 'p50 ms': r.p50.toFixed(1), 'p95 ms': r.p95.toFixed(1), 'p95 / baseline': (r.p95 / baseline.p95).toFixed(2), '< 300 ms': r.p95 < 300 ? 'yes' : 'NO' });
      }
    }
    const c = counts[0];
    console.log(`\nReports (scale ${SCALE}, ${RUNS} runs each, periods = the last ${PERIODS.join(' and ')} of ${DAYS} days, seeded in ${seedSeconds.toFixed(0)} s)`);
    console.log(`  main portal: ${c.transitions.toLocaleString('en')} stage transitions, ${c.deals.toLocaleString('en')} deals, ${c.activities.toLocaleString('en')} activities`);
    console.log(`  all portals: ${c.all_transitions.toLocaleString('en')} stage transitions, ${c.all_deals.toLocaleString('en')} deals, ${c.all_activities.toLocaleString('en')} activities`);
    console.table(rows);
  } finally {
    await db.destroy();
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

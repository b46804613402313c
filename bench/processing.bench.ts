import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allFeatures } from '../src/app/features.js';
import { startRuntime } from '../src/app/runtime.js';
import { loadConfig } from '../src/config/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/log/logger.js';
import { bitrix24DefaultRules } from '../src/rules/index.js';
import { Bitrix24Sandbox } from '../src/sandbox/bitrix24/index.js';
import { issueSession } from '../src/ui/session.js';

/**
 * Processing: a backlog of deal events on several sandbox portals (each with the host's own leaky
 * bucket) drained through sync → rules → actions by 1, then 2 `stageguard worker` processes. Every
 * tenth deal is dragged from NEW straight to the invoice stage, a skip the rules (alert mode) answer
 * with a timeline comment, a fix task and notifications. Printed: events/s, host calls per event, and
 * each drain time beside the rate-limit bound of the same backlog.
 */
function positiveIntEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive whole number, got "${raw}"`);
  return n;
}
const PORTALS = positiveIntEnv('BENCH_PORTALS', 4);
const EVENTS_PER_PORTAL = positiveIntEnv('BENCH_EVENTS_PER_PORTAL', 2500);
/** The drain runs for minutes at the hosts' rate limits: say how far it got this often. */
const PROGRESS_EVERY_MS = 30_000;
const KEY = Buffer.alloc(32, 9).toString('base64');
const SESSION = 'processing-bench-session-secret-0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export async function runProcessingBench(): Promise<void> {
  const embedded = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(mkdtempSync(path.join(tmpdir(), 'sg-proc-')), 'pg'), port: await freePort() });
  const dbUrl = process.env.DATABASE_URL ?? embedded!.url;
  const port = await freePort();
  const env = {
    DATABASE_URL: dbUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
    CRON_ENABLED: 'false',
    ALLOW_INSECURE_LOOPBACK_HOSTS: 'true',
    BITRIX24_CLIENT_ID: 'app.bench',
    BITRIX24_CLIENT_SECRET: 'bench-secret',
    TOKEN_ENCRYPTION_KEY: KEY,
    SESSION_SECRET: SESSION,
    DATABASE_POOL_SIZE: '20',
  };
  const rt = await startRuntime({ config: loadConfig(env), log: createLogger('silent'), roles: { web: true, worker: true }, features: allFeatures(), pollWorkers: false });
  const sandboxes: Bitrix24Sandbox[] = [];
  for (let p = 0; p < PORTALS; p++) {
    const s = new Bitrix24Sandbox({ clientId: 'app.bench', clientSecret: 'bench-secret', installFinished: false });
    await s.start();
    const r = await s.openApplication(`${rt.url}/bitrix24/install`);
    if (r.status !== 200) throw new Error(`install ${r.status}`);
    sandboxes.push(s);
  }
  await rt.ctx.queue.drain();
  for (const s of sandboxes) s.finishInstall();
  for (const { id } of await rt.ctx.db.query(`SELECT id FROM portals`)) {
    const r = await fetch(`${rt.url}/api/rules`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${issueSession({ portalId: id, userId: '1', role: 'admin' }, SESSION)}` },
      body: JSON.stringify(benchRules()),
    });
    if (r.status !== 201) throw new Error(`rules ${r.status}: ${await r.text()}`);
  }

  console.log(`\nProcessing bench: ${PORTALS} portals × ${EVENTS_PER_PORTAL} events, 1 then 2 workers; at 2 requests/s per portal this takes minutes (progress every ${PROGRESS_EVERY_MS / 1000} s).`);
  const results: { workers: number; seconds: number; events: number; calls: number; bound: number; actions: number }[] = [];
  for (const workers of [1, 2]) {
    // The backlog: events delivered while no worker runs.
    let events = 0;
    for (const s of sandboxes) {
      s.resetStats();
      const before = s.deliveries().length;
      // EVENTS_PER_PORTAL events: 10 deals make 11 (one of them also moves).
      const deals = Math.round((EVENTS_PER_PORTAL * 10) / 11);
      for (let i = 0; i < deals; i++) {
        const id = s.createDeal({ title: `Backlog ${workers}-${i}`, stageId: 'NEW', assignedById: 3 + (i % 3) }, 3).id;
        if (i % 10 === 9) s.moveDeal(id, 'FINAL_INVOICE', 3);
      }
      await s.waitForDeliveries();
      events += s.deliveries().length - before;
    }
    const [{ n: actionsBefore }] = await rt.ctx.db.query(`SELECT count(*)::int AS n FROM actions WHERE status = 'done'`);
    const started = Date.now();
    const children: ChildProcess[] = Array.from({ length: workers }, () =>
      spawn(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), '../src/cli.js'), 'worker'], { stdio: 'ignore', env: { ...process.env, ...env, NODE_OPTIONS: '' } }),
    );
    let lastReport = started;
    for (;;) {
      const [{ n }] = await rt.ctx.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('event', 'action') AND state IN ('created', 'retry', 'active')`);
      if (n === 0) break;
      if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = Date.now();
        const [{ done }] = await rt.ctx.db.query(`SELECT count(*)::int AS done FROM actions WHERE status = 'done'`);
        console.log(`  ${workers} worker(s), ${Math.round((lastReport - started) / 1000)} s: ${n} jobs waiting, ${done - actionsBefore} host writes done`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
    const calls = sandboxes.reduce((sum, s) => sum + s.stats().httpRequests, 0);
    const [{ n: actionsAfter }] = await rt.ctx.db.query(`SELECT count(*)::int AS n FROM actions WHERE status = 'done'`);
    // The host's own bound: each portal's bucket drains 2 requests/s after a burst of 50.
    const bound = Math.max(0, (calls / PORTALS - 50) / 2);
    results.push({ workers, seconds, events, calls, bound, actions: actionsAfter - actionsBefore });
  }

  console.log(`\nProcessing a backlog of ${PORTALS} × ${EVENTS_PER_PORTAL} deal events (sync → rules → actions), rate-limited sandbox portals`);
  console.table(
    results.map((r) => ({
      workers: r.workers,
      'drain s': r.seconds.toFixed(1),
      'events/s': (r.events / r.seconds).toFixed(0),
      'host calls': r.calls,
      'calls/event': (r.calls / r.events).toFixed(3),
      'host writes (actions)': r.actions,
      'rate-limit bound s': r.bound.toFixed(1),
      'drain ÷ bound': r.bound > 0 ? (r.seconds / r.bound).toFixed(2) : '—',
    })),
  );
  const [one, two] = results as [(typeof results)[0], (typeof results)[0]];
  console.log(`2 workers vs 1: ${(one.seconds / two.seconds).toFixed(2)}× faster; host calls per event ${(one.calls / one.events).toFixed(3)} (goal ≤ 1.5)`);

  await rt.stop();
  for (const s of sandboxes) await s.stop();
  await embedded?.stop();
}

/** Skips alerted (comment, fix task, notifications); nothing else asked of the deal. */
function benchRules() {
  const c = bitrix24DefaultRules();
  c.headsOfSales = ['1', '2'];
  c.workingTime = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '18:00', holidays: [] };
  const p = c.pipelines[0]!;
  p.skipping = { ...p.skipping, mode: 'alert', alertUserIds: ['1', '2'], createFixTask: true, requireLossReasonField: undefined };
  for (const st of p.stages) st.exitConditions = { fieldsFilled: [], goalsReached: [], nextContactPlanned: false };
  p.discipline = { ...(p.discipline ?? {}), digest: { enabled: false, hourLocal: 9 } } as typeof p.discipline;
  return c;
}

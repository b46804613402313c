import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import pg from 'pg';
import type { Server } from 'node:http';
import { bitrix24RoutesFeature } from '../src/app/bitrix24-routes.feature.js';
import { startRuntime } from '../src/app/runtime.js';
import { loadConfig } from '../src/config/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/log/logger.js';
import { PortalRepository } from '../src/portals/portal.repository.js';

/**
 * Webhook ingest: our Bitrix24 event endpoint (parse, verify, inbox row + job in one transaction)
 * against a bare Express endpoint doing one INSERT into the same database. Load comes from a
 * second process (autocannon). Figures are printed as ratios to the baseline of the same run.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function load(url: string, mode: string, memberId = '', appToken = ''): Promise<LoadResult> {
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'load-generator.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, url, mode, String(SECONDS), String(CONNECTIONS), memberId, appToken], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`load generator exited ${code}`))));
  });
}

export async function runIngestBench(): Promise<void> {
  let url = process.env.DATABASE_URL;
  const embedded = url ? null : await startEmbeddedPostgres({ dataDir: path.join(mkdtempSync(path.join(tmpdir(), 'sg-bench-')), 'pg'), port: 54400 + (process.pid % 500) });
  url ??= embedded!.url;

  const config = loadConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', CRON_ENABLED: 'false', DATABASE_POOL_SIZE: '20' });
  const noHost = { setUp: async () => undefined, verifyAccessToken: async () => false };
  const rt = await startRuntime({ config, log: createLogger('silent'), roles: { web: true, worker: false }, features: [bitrix24RoutesFeature(() => noHost)] });
  const memberId = 'bench-member';
  const appToken = 'bench-application-token';
  await new PortalRepository(rt.ctx.db, rt.ctx.cipher).upsertInstalled({
    host: 'bitrix24', externalId: memberId, domain: 'bench.bitrix24.com', locale: 'ru',
    clientEndpoint: 'https://bench.bitrix24.com/rest/', serverEndpoint: 'https://oauth.bitrix.info/rest/',
    applicationToken: appToken, tokens: { accessToken: 'a', refreshToken: 'r', expiresAt: new Date(Date.now() + 3600_000) },
  });

  // Baseline: the least a durable webhook endpoint can do — one INSERT, then 200.
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, body text NOT NULL, at timestamptz DEFAULT now())');
  const bare = express();
  bare.post('/hook', express.text({ type: () => true }), async (req, res) => {
    await pool.query('INSERT INTO bench_baseline (body) VALUES ($1)', [req.body]);
    res.json({ ok: true });
  });
  const bareServer = await new Promise<Server>((r) => {
    const s = bare.listen(0, '127.0.0.1', () => r(s));
  });
  const bareAddr = bareServer.address() as { port: number };

  const baseline = await load(`http://127.0.0.1:${bareAddr.port}/hook`, 'baseline');
  const ours = await load(`${rt.url}/bitrix24/events`, 'bitrix24-event', memberId, appToken);
  const inbox = Number((await rt.ctx.db.query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n);

  console.log(`\nWebhook ingest (${SECONDS}s, ${CONNECTIONS} connections, load from a second process)`);
  console.table([
    { endpoint: 'baseline: express + 1 INSERT', 'req/s': baseline.rps.toFixed(0), 'p50 ms': baseline.p50, 'p99 ms': baseline.p99, non2xx: baseline.non2xx },
    { endpoint: 'stageguard /bitrix24/events', 'req/s': ours.rps.toFixed(0), 'p50 ms': ours.p50, 'p99 ms': ours.p99, non2xx: ours.non2xx },
  ]);
  console.log(`req/s ratio to baseline: ${(ours.rps / baseline.rps).toFixed(2)} (goal ≥ 0.50); p99 ${ours.p99} ms (goal < 50 ms); inbox rows ${inbox}`);

  await new Promise((r) => bareServer.close(r));
  await pool.end();
  await rt.stop();
  await embedded?.stop();
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { issueSession } from '../../src/ui/session.js';
import { startBitrix24E2E, type Bitrix24E2E } from '../e2e/bitrix24-harness.js';
import { scenarioRules } from '../e2e/rules-scenarios.js';

// A real `stageguard worker` process beside an in-process web side, on the same database: what the
// chaos tests kill, starve and watch.
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const cli = path.join(root, 'dist/src/cli.js');

/** The CLI is built from the tests' own checkout when a run starts without `npm run build`. */
export function ensureBuilt(): void {
  if (existsSync(cli)) return;
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
}

export function startWorkerProcess(e: Bitrix24E2E, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [cli, 'worker'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: e.t.url,
      // The same keys as the web side: the workers read the tokens it stored.
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
      BITRIX24_CLIENT_ID: e.sandbox.portal.clientId,
      BITRIX24_CLIENT_SECRET: e.sandbox.portal.clientSecret,
      ALLOW_INSECURE_LOOPBACK_HOSTS: 'true',
      PUBLIC_URL: e.rt.url!,
      CRON_ENABLED: 'false',
      LOG_LEVEL: 'silent',
      WORKER_CONCURRENCY: '2',
      ...env,
    },
  });
}

/**
 * An Enterprise sandbox portal (its larger bucket keeps the host from being the bottleneck) whose rules
 * alert on skipped stages with a timeline comment, a fix task and notifications, and ask nothing else.
 */
export async function startAlertingPortal(): Promise<Bitrix24E2E> {
  ensureBuilt();
  const e = await startBitrix24E2E({ sandbox: { plan: 'enterprise' } });
  const admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
  const rules = scenarioRules('alert');
  for (const st of rules.pipelines[0]!.stages) st.exitConditions = { fieldsFilled: [], goalsReached: [], nextContactPlanned: false };
  const r = await fetch(`${e.rt.url}/api/rules`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(rules) });
  if (r.status !== 201) {
    await e.stop();
    throw new Error(`rules refused: ${r.status} ${await r.text()}`);
  }
  return e;
}

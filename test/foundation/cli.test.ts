import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

// Tried as a new user would: the built CLI, embedded PostgreSQL, no DATABASE_URL.
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const cli = path.join(root, 'dist/src/cli.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function postgresRunningFor(dataDir: string): boolean {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').some((l) => l.includes('postgres') && l.includes(dataDir));
}

async function waitReady(url: string, child: ChildProcess, ms: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (child.exitCode !== null) throw new Error(`exited early with ${child.exitCode}`);
    const ok = await fetch(url).then((r) => r.status === 200, () => false);
    if (ok) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('not ready in time');
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - t0 })));
}

describe('stageguard CLI on a bare machine', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(cli)) {
      const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('build failed');
    }
    dir = mkdtempSync(path.join(tmpdir(), 'stageguard-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with embedded Postgres, is ready, reuses its data on restart, and exits 0 on SIGTERM leaving no postgres', async () => {
    const dataDir = path.join(dir, 'pg');
    const env = {
      ...process.env,
      DATABASE_URL: '',
      PG_DATA_DIR: dataDir,
      PG_PORT: String(await freePort()),
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      NODE_OPTIONS: '',
    };
    const readyz = `http://127.0.0.1:${env.PORT}/readyz`;
    const pgUrl = `postgres://postgres:stageguard-local@127.0.0.1:${env.PG_PORT}/stageguard`;

    const first = spawn(process.execPath, [cli], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(await waitReady(readyz, first, 60_000)).toBeLessThan(60_000);
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`INSERT INTO portals (host, external_id, domain) VALUES ('bitrix24', 'cli-test', 'x.bitrix24.ru')`);
    await c.end();
    const firstExit = exitOf(first);
    first.kill('SIGTERM');
    const e1 = await firstExit;
    expect(e1.code).toBe(0);
    expect(e1.ms).toBeLessThan(10_000);
    expect(postgresRunningFor(dataDir)).toBe(false);

    let log = '';
    const second = spawn(process.execPath, [cli], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    second.stdout!.on('data', (d) => (log += d));
    await waitReady(readyz, second, 60_000);
    const c2 = new pg.Client({ connectionString: pgUrl });
    await c2.connect();
    const rows = await c2.query(`SELECT external_id FROM portals`);
    await c2.end();
    expect(rows.rows).toEqual([{ external_id: 'cli-test' }]);
    expect(log).not.toContain('migrations applied');
    const secondExit = exitOf(second);
    second.kill('SIGINT');
    expect((await secondExit).code).toBe(0);
    expect(postgresRunningFor(dataDir)).toBe(false);
  });

  it('stops on a bad setting with one line naming it', () => {
    const r = spawnSync(process.execPath, [cli], { env: { ...process.env, PORT: 'abc', NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['Invalid configuration: PORT: expected a port number between 0 and 65535 (got "abc")']);
  });
});

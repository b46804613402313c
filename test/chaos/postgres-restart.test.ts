import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allFeatures } from '../../src/app/features.js';
import type { Runtime } from '../../src/app/runtime.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/db/embedded-postgres.js';
import { Bitrix24Sandbox } from '../../src/sandbox/bitrix24/index.js';
import { freePort } from '../e2e/bitrix24-harness.js';
import { startTestRuntime } from '../support/test-runtime.js';

// PostgreSQL restarted under load, on a server of this test's own (the suite's shared one stays up):
// the service recovers by itself, and every event it answered 2xx is processed.
describe('chaos: PostgreSQL restarted under load', () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'sg-restart-')), 'pg');
  let pgPort: number;
  let pg: EmbeddedPostgresHandle;
  let rt: Runtime;
  const sandbox = new Bitrix24Sandbox({ clientId: 'app.restart', clientSecret: 'restart-secret', plan: 'enterprise' });

  beforeAll(async () => {
    pgPort = await freePort();
    pg = await startEmbeddedPostgres({ dataDir, port: pgPort });
    await sandbox.start();
    const port = await freePort();
    rt = await startTestRuntime({
      databaseUrl: pg.url,
      features: allFeatures(),
      env: {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        ALLOW_INSECURE_LOOPBACK_HOSTS: 'true',
        BITRIX24_CLIENT_ID: sandbox.portal.clientId,
        BITRIX24_CLIENT_SECRET: sandbox.portal.clientSecret,
        // Jobs running when the database went away cannot be settled; they hold their portal's slot
        // (one batch per portal at a time) until their heartbeat goes stale and they are retried. The
        // shorter heartbeat and supervision keep that wait to seconds here, as in the SIGKILL test.
        QUEUE_HEARTBEAT_SECONDS: '10',
        QUEUE_SUPERVISE_SECONDS: '2',
      },
    });
    const r = await sandbox.openApplication(`${rt.url}/bitrix24/install`);
    expect(r.status).toBe(200);
    for (let i = 0; i < 100; i++) {
      const [p] = await rt.ctx.db.query(`SELECT status FROM portals`);
      if (p?.status === 'active') break;
      await new Promise((res) => setTimeout(res, 200));
    }
    sandbox.finishInstall();
  }, 120_000);
  afterAll(async () => {
    await rt?.stop().catch(() => undefined);
    await sandbox.stop();
    await pg?.stop();
  });

  async function post(i: number): Promise<number> {
    const body = new URLSearchParams({
      event: 'ONCRMDEALADD',
      'data[FIELDS][ID]': String(deals[i]),
      ts: String(1_900_000_000 + i),
      'auth[member_id]': sandbox.portal.memberId,
      'auth[application_token]': sandbox.portal.applicationToken,
      'auth[domain]': sandbox.portal.domain,
    }).toString();
    try {
      const r = await fetch(`${rt.url}/bitrix24/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(5000) });
      return r.status;
    } catch {
      return 0;
    }
  }
  const deals: number[] = [];

  it('recovers by itself, and processes every event it acknowledged', async () => {
    sandbox.deadEndpoint = true; // the test sends the events itself, and knows which were acknowledged
    for (let i = 0; i < 120; i++) deals.push(sandbox.createDeal({ title: `Restart ${i}`, stageId: 'NEW', assignedById: 3 }, 3).id);

    // Eight senders post all the time; the database goes away in the middle of it and comes back.
    const acknowledged: number[] = [];
    const refused: number[] = [];
    let next = 0;
    const sender = async () => {
      while (next < deals.length) {
        const k = next++;
        const s = await post(k);
        if (s === 200) acknowledged.push(deals[k]!);
        else refused.push(s);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, sender));
    while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 10));
    await pg.stop();
    expect((await fetch(`${rt.url}/readyz`)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 1500));
    pg = await startEmbeddedPostgres({ dataDir, port: pgPort });
    // The pools reconnect on their own: nothing is restarted on our side.
    const until = Date.now() + 60_000;
    while (Date.now() < until && (await fetch(`${rt.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 250));
    expect((await fetch(`${rt.url}/readyz`)).status).toBe(200);
    await load;

    // Events sent while it was down were refused (5xx), never acknowledged falsely.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((s) => s >= 500 || s === 0)).toBe(true);
    expect(acknowledged.length + refused.length).toBe(deals.length);
    const deadline = Date.now() + 90_000;
    let synced = 0;
    while (Date.now() < deadline) {
      synced = (await rt.ctx.db.query(`SELECT count(*)::int AS n FROM deals WHERE id = ANY($1)`, [acknowledged.map(String)]))[0].n;
      if (synced === acknowledged.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(synced).toBe(acknowledged.length);
  }, 240_000);
});

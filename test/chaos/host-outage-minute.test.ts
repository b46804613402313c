import type { ChildProcess } from 'node:child_process';
import type { Bitrix24E2E } from '../e2e/bitrix24-harness.js';
import { startAlertingPortal, startWorkerProcess } from './worker-process.js';

// The portal is down for a whole minute, in real time, against a real `stageguard worker` process with
// the production retry policy (8 attempts, backoff from 2 s doubling): 20 s of 503 pages from a proxy,
// 20 s of 500 INTERNAL_SERVER_ERROR, 20 s of connections held and then cut. Events keep arriving and
// are answered 2xx all along; afterwards the backlog drains by itself, each write happens once, and no
// job fails or reaches the dead-letter queue.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: the host is down for a minute', () => {
  let e: Bitrix24E2E;
  let worker: ChildProcess | null = null;

  beforeAll(async () => {
    e = await startAlertingPortal();
    worker = startWorkerProcess(e);
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await e?.stop();
  });

  const count = async (sql: string, params: unknown[] = []) => (await e.t.db.query(sql, params))[0].n as number;
  const pendingJobs = () => count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('event', 'action') AND state IN ('created', 'retry', 'active')`);

  it('drains everything after the minute, each write once, nothing failed or dead-lettered', async () => {
    const ids: number[] = [];
    let doneBeforeOutage = 0;
    const skipSome = (label: string, n = 4) => {
      for (let i = 0; i < n; i++) {
        const id = e.sandbox.createDeal({ title: `${label} ${i}`, stageId: 'NEW', assignedById: 3 + (i % 3) }, 3).id;
        ids.push(id);
        e.sandbox.moveDeal(id, 'FINAL_INVOICE', 3);
      }
    };
    // The host goes down while the rules' writes for the first deals are under way: some of those
    // actions meet the outage mid-flight (the rest of the work meets it from the start).
    skipSome('before', 10);
    await e.sandbox.waitForDeliveries();
    const recordedBy = Date.now() + 30_000;
    while ((await count(`SELECT count(*)::int AS n FROM actions WHERE portal_id = $1`, [e.portalId])) === 0 && Date.now() < recordedBy) await sleep(5);
    const started = Date.now();
    const phases = [{ kind: 'http503' as const }, { kind: 'http500' as const }, { kind: 'hang' as const, hangMs: 3000 }];
    for (const [n, outage] of phases.entries()) {
      e.sandbox.outage(outage);
      if (n === 0) doneBeforeOutage = await count(`SELECT count(*)::int AS n FROM actions WHERE portal_id = $1 AND status = 'done'`, [e.portalId]);
      skipSome(outage.kind);
      await e.sandbox.waitForDeliveries();
      await sleep(started + (n + 1) * 20_000 - Date.now());
    }
    // A minute without one successful host call: the work is waiting, retried on its backoff schedule.
    const syncedDuringOutage = await count(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1 AND id <> ALL($2)`, [e.portalId, ids.slice(0, 10).map(String)]);
    const actionsRetried = await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'action' AND retry_count > 0`);
    const retrying = await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'event' AND retry_count > 0`);
    e.sandbox.outage(null);
    const outageMs = Date.now() - started;

    const deadline = Date.now() + 240_000;
    while ((await pendingJobs()) > 0 && Date.now() < deadline) await sleep(500);
    const drainMs = Date.now() - started - outageMs;
    const actionsTotal = await count(`SELECT count(*)::int AS n FROM actions WHERE portal_id = $1`, [e.portalId]);
    console.log(
      `host outage: ${Math.round(outageMs / 1000)} s down; ${retrying} event jobs and ${actionsRetried} action jobs retried during it ` +
        `(${doneBeforeOutage} of ${actionsTotal} actions done before it); backlog drained ${Math.round(drainMs / 1000)} s after the host came back`,
    );

    expect(syncedDuringOutage).toBe(0);
    expect(retrying).toBeGreaterThan(0);
    expect(actionsRetried).toBeGreaterThan(0);
    expect(await pendingJobs()).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1 AND id = ANY($2)`, [e.portalId, ids.map(String)])).toBe(ids.length);
    expect(await count(`SELECT count(*)::int AS n FROM violations WHERE portal_id = $1 AND kind = 'stage_skipped'`, [e.portalId])).toBe(ids.length);
    for (const id of ids) {
      expect(e.sandbox.tasks().filter((t) => t.ufCrmTask.includes(`D_${id}`))).toHaveLength(1);
      expect(e.sandbox.comments(id)).toHaveLength(1);
    }
    expect(await count(`SELECT count(*)::int AS n FROM actions WHERE portal_id = $1 AND status <> 'done'`, [e.portalId])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dead-letter'`)).toBe(0);
  }, 360_000);
});

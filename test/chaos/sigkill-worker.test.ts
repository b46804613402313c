import type { ChildProcess } from 'node:child_process';
import type { Bitrix24E2E } from '../e2e/bitrix24-harness.js';
import { startAlertingPortal, startWorkerProcess } from './worker-process.js';

// A worker process killed with SIGKILL mid-job, again and again: every event is processed and no host
// write happens twice. The web side runs in this process; the workers are real `stageguard worker`
// processes on the same database.

describe('chaos: workers killed with SIGKILL', () => {
  let e: Bitrix24E2E;
  let worker: ChildProcess | null = null;

  beforeAll(async () => {
    e = await startAlertingPortal();
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await e.stop();
  });

  const startWorker = () => startWorkerProcess(e, { QUEUE_HEARTBEAT_SECONDS: '10', QUEUE_SUPERVISE_SECONDS: '2' });


  const activeJobs = async () =>
    (await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('event', 'action') AND state = 'active'`))[0].n;
  const pendingJobs = async () =>
    (await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('event', 'action') AND state IN ('created', 'retry', 'active')`))[0].n;

  it('processes every event and writes each task and comment exactly once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) {
      const id = e.sandbox.createDeal({ title: `Chaos ${i}`, stageId: 'NEW', assignedById: 3 + (i % 3) }, 3).id;
      ids.push(id);
      e.sandbox.moveDeal(id, 'FINAL_INVOICE', 3);
    }
    await e.sandbox.waitForDeliveries();

    // Kill the worker the moment it holds a job (a job is 'active' while its handler runs).
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      worker = startWorker();
      const until = Date.now() + 20_000;
      while (Date.now() < until && (await activeJobs()) === 0) await new Promise((r) => setTimeout(r, 10));
      worker.kill('SIGKILL');
      kills++;
      await new Promise((r) => worker!.once('exit', r));
    }
    worker = startWorker();
    const deadline = Date.now() + 150_000;
    while ((await pendingJobs()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(await pendingJobs()).toBe(0);
    expect(kills).toBe(5);

    const deals = await e.t.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1 AND id = ANY($2)`, [e.portalId, ids.map(String)]);
    expect(deals[0].n).toBe(15);
    const violations = await e.t.db.query(`SELECT count(*)::int AS n FROM violations WHERE portal_id = $1 AND kind = 'stage_skipped'`, [e.portalId]);
    expect(violations[0].n).toBe(15);
    for (const id of ids) {
      expect(e.sandbox.tasks().filter((t) => t.ufCrmTask.includes(`D_${id}`))).toHaveLength(1);
      expect(e.sandbox.comments(id)).toHaveLength(1);
    }
    const notDone = await e.t.db.query(`SELECT count(*)::int AS n FROM actions WHERE portal_id = $1 AND status <> 'done'`, [e.portalId]);
    expect(notDone[0].n).toBe(0);
    // The kills did land mid-work: some jobs ran again after their worker died.
    const rerun = await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('event', 'action') AND retry_count > 0`);
    console.log(`chaos: ${kills} SIGKILLs, ${rerun[0].n} jobs re-run after their worker died`);
    expect(rerun[0].n).toBeGreaterThan(0);
    const failed = await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`);
    expect(failed[0].n).toBe(0);
  }, 240_000);
});

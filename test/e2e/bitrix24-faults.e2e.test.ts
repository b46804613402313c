import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';

describe('host faults on Bitrix24', () => {
  let e: Bitrix24E2E;
  beforeEach(async () => {
    // The real retry policy (8 attempts, exponential backoff): the outage outlasts several attempts.
    e = await startBitrix24E2E();
  });
  afterEach(async () => {
    await e.stop();
  });

  const dealsSynced = async () => (await e.t.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1`, [e.portalId]))[0].n;
  const jobStates = async () =>
    Object.fromEntries(
      (await e.t.db.query(`SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = 'event' GROUP BY state`)).map((r: { state: string; n: number }) => [r.state, r.n]),
    );

  // Stands in for the wait between attempts: the queue's backoff would let the retries run later.
  const backoffElapses = () => e.t.db.query(`UPDATE pgboss.job SET start_after = now() WHERE state = 'retry'`);

  it.each([
    ['500 INTERNAL_SERVER_ERROR', { kind: 'http500' as const }],
    ['no answer (timeouts)', { kind: 'hang' as const, hangMs: 200 }],
  ])('drains the backlog after the host answered %s for a while, without duplicates', async (_name, outage) => {
    e.sandbox.outage(outage);
    const ids = Array.from({ length: 20 }, (_, i) => e.sandbox.createDeal({ title: `Outage ${i}`, stageId: 'NEW', assignedById: 3 }, 3).id);
    await e.sandbox.waitForDeliveries();
    // Every event was answered 2xx and is waiting; its attempts fail while the host is down.
    for (let attempt = 0; attempt < 3; attempt++) {
      await e.rt.ctx.queue.drain(5, { partial: true });
      await backoffElapses();
    }
    expect(await dealsSynced()).toBe(0);
    expect((await jobStates()).retry ?? 0).toBeGreaterThan(0);

    e.sandbox.outage(null);
    await backoffElapses();
    await e.settle();
    expect(await dealsSynced()).toBe(20);
    const transitions = await e.t.db.query(`SELECT count(*)::int AS n, count(DISTINCT deal_id)::int AS d FROM stage_transitions WHERE portal_id = $1`, [e.portalId]);
    expect(transitions[0]).toEqual({ n: 20, d: 20 });
    const states = await jobStates();
    expect(states.failed ?? 0).toBe(0);
    expect(ids).toHaveLength(20);
  }, 120_000);

  it('marks the portal when the host revokes its token, and stops calling it', async () => {
    e.sandbox.revokeAll();
    for (let i = 0; i < 20; i++) e.sandbox.createDeal({ title: `After revoke ${i}`, stageId: 'NEW', assignedById: 3 }, 3);
    const before = e.sandbox.stats().httpRequests;
    await e.settle();
    const [portal] = await e.t.db.query(`SELECT status FROM portals WHERE id = $1`, [e.portalId]);
    expect(portal.status).toBe('needs_reauth');
    // One refused call (plus at most a refresh attempt), not one per event and retry.
    expect(e.sandbox.stats().httpRequests - before).toBeLessThanOrEqual(2);
    const failed = await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`);
    expect(failed[0].n).toBe(0);
  });
});

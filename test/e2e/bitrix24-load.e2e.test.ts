import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';

describe('Bitrix24: a burst of events against the leaky bucket', () => {
  let e: Bitrix24E2E;
  beforeAll(async () => {
    e = await startBitrix24E2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  it('processes 500 deal events within 50 requests / 2 per second, waiting out the host when it says stop', async () => {
    expect(e.sandbox.rateLimit).toMatchObject({ limit: 50, drainPerSec: 2 });
    e.sandbox.deliveryMode = 'manual';
    const ids: number[] = [];
    for (let i = 0; i < 500; i++) ids.push(e.sandbox.createDeal({ title: `Burst ${i}`, stageId: 'NEW', assignedById: 3 + (i % 3) }, 3).id);
    const delivered = await e.sandbox.flushEvents();
    expect(delivered.filter((d) => d.status === 'delivered')).toHaveLength(500);
    e.sandbox.deliveryMode = 'immediate';
    const before = e.sandbox.stats();
    // Another app on the same portal has filled the host's bucket: our own budget cannot know.
    e.sandbox.fillBucket(50);
    await e.rt.ctx.queue.drain();

    const after = e.sandbox.stats();
    const synced = await e.t.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1 AND id = ANY($2)`, [e.portalId, ids.map(String)]);
    expect(synced[0].n).toBe(500);
    const failed = await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`);
    expect(failed[0].n).toBe(0);
    const inboxErrors = await e.t.db.query(`SELECT count(*)::int AS n FROM inbox_events WHERE status <> 'processed' OR error IS NOT NULL`);
    expect(inboxErrors[0].n).toBe(0);

    const calls = after.httpRequests - before.httpRequests;
    const rejected = after.rejected - before.rejected;
    // eslint-disable-next-line no-console
    console.log(`500 deal events: ${calls} host requests (${(calls / 500).toFixed(3)} per event), ${rejected} answered QUERY_LIMIT_EXCEEDED and waited out`);
    expect(calls / 500).toBeLessThanOrEqual(1.5);
  }, 180_000);
});

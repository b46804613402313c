import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';

describe('Bitrix24 events → projections on the sandbox portal', () => {
  let e: Bitrix24E2E;
  beforeAll(async () => {
    e = await startBitrix24E2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  const transitions = async (dealId: number) =>
    (await e.t.db.query(`SELECT from_stage_id, to_stage_id FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 ORDER BY at, id`, [e.portalId, String(dealId)])).map(
      (r: { from_stage_id: string | null; to_stage_id: string }) => [r.from_stage_id, r.to_stage_id],
    );

  afterEach(() => {
    e.sandbox.deliveryMode = 'immediate';
  });

  it('derives exactly three moves, in order, from events delivered duplicated and in reverse', async () => {
    e.sandbox.deliveryMode = 'manual';
    const deal = e.sandbox.createDeal({ title: 'Three moves', stageId: 'NEW', assignedById: 3 }, 3);
    e.sandbox.moveDeal(deal.id, 'PREPARATION', 3);
    e.sandbox.moveDeal(deal.id, 'PREPAYMENT_INVOICE', 3);
    e.sandbox.moveDeal(deal.id, 'EXECUTING', 3);
    const deliveries = await e.sandbox.flushEvents({ duplicate: 2, reverse: true });
    expect(deliveries.filter((d) => d.status === 'delivered').length).toBe(8);
    await e.rt.ctx.queue.drain();

    expect(await transitions(deal.id)).toEqual([
      [null, 'NEW'],
      ['NEW', 'PREPARATION'],
      ['PREPARATION', 'PREPAYMENT_INVOICE'],
      ['PREPAYMENT_INVOICE', 'EXECUTING'],
    ]);
    // Same-second events of one deal share a key (Bitrix24's ts is in seconds); all are processed.
    const inbox = await e.t.db.query(`SELECT DISTINCT status FROM inbox_events WHERE entity_id = $1`, [String(deal.id)]);
    expect(inbox).toEqual([{ status: 'processed' }]);
    const [projection] = await e.t.db.query(`SELECT stage_id, title FROM deals WHERE portal_id = $1 AND id = $2`, [e.portalId, String(deal.id)]);
    expect(projection).toEqual({ stage_id: 'EXECUTING', title: 'Three moves' });

    // A late duplicate of an old event changes nothing.
    e.sandbox.moveDeal(deal.id, 'FINAL_INVOICE', 3);
    await e.sandbox.flushEvents({ duplicate: 3 });
    await e.rt.ctx.queue.drain();
    expect((await transitions(deal.id)).length).toBe(5);
  });

  it('serves the projection through the API', async () => {
    const deal = e.sandbox.createDeal({ title: 'API view', stageId: 'NEW', assignedById: 4 }, 4);
    e.sandbox.moveDeal(deal.id, 'PREPARATION', 4);
    await e.settle();
    const { issueSession } = await import('../../src/ui/session.js');
    const session = issueSession({ portalId: e.portalId, userId: '4', role: 'manager' }, e.rt.ctx.sessionSecret);
    const r = await fetch(`${e.rt.url}/api/deals/${deal.id}`, { headers: { authorization: `Bearer ${session}` } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { deal: { stageId: string }; transitions: { toStageId: string }[] };
    expect(body.deal.stageId).toBe('PREPARATION');
    expect(body.transitions.map((t) => t.toStageId)).toEqual(['NEW', 'PREPARATION']);
  });

  it('refreshes an expired access token once, stores the rotated pair, and loses no job', async () => {
    const tokenBefore = (await e.t.db.query(`SELECT refresh_token_enc FROM portals WHERE id = $1`, [e.portalId]))[0].refresh_token_enc;
    const refreshedBefore = e.sandbox.stats().oauth.refreshed;
    e.sandbox.expireAccessTokens();
    const deals = [1, 2, 3].map((i) => e.sandbox.createDeal({ title: `After expiry ${i}`, stageId: 'NEW', assignedById: 3 }, 3));
    await e.settle();
    expect(e.sandbox.stats().oauth.refreshed - refreshedBefore).toBe(1);
    const tokenAfter = (await e.t.db.query(`SELECT refresh_token_enc FROM portals WHERE id = $1`, [e.portalId]))[0].refresh_token_enc;
    expect(tokenAfter).not.toBe(tokenBefore);
    const synced = await e.t.db.query(`SELECT id FROM deals WHERE portal_id = $1 AND id = ANY($2)`, [e.portalId, deals.map((d) => String(d.id))]);
    expect(synced).toHaveLength(3);
    const failed = await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`);
    expect(failed[0].n).toBe(0);
  });
});

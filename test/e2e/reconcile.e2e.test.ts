import { allFeatures } from '../../src/app/features.js';
import { issueSession } from '../../src/ui/session.js';
import { startTestRuntime } from '../support/test-runtime.js';
import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';
import { immediateRetryPolicies, scenarioRules } from './rules-scenarios.js';

describe('recovery of missed events, and scheduled checks across instances', () => {
  let e: Bitrix24E2E;
  beforeAll(async () => {
    // An Enterprise portal (5 requests/s, burst 250): the catch-up writes do not queue behind a 2/s drain.
    e = await startBitrix24E2E({ policies: immediateRetryPolicies(), sandbox: { plan: 'enterprise' } });
    const rules = scenarioRules('alert');
    // Only the order of stages is judged here; exit conditions are covered elsewhere.
    for (const st of rules.pipelines[0]!.stages) st.exitConditions = { fieldsFilled: [], goalsReached: [], nextContactPlanned: false };
    const admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
    const r = await fetch(`${e.rt.url}/api/rules`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(rules),
    });
    expect(r.status).toBe(201);
  });
  afterAll(async () => {
    await e.stop();
  });

  it('catches up on 200 changes whose events were lost, in one reconcile cycle, firing each rule once', async () => {
    // Stageguard is unreachable: Bitrix24 drops every event (no retries).
    e.sandbox.deadEndpoint = true;
    const ids: number[] = [];
    let changes = 0;
    for (let i = 0; i < 50; i++) {
      const id = e.sandbox.createDeal({ title: `Offline ${i}`, stageId: 'NEW', assignedById: 3 + (i % 3), opportunity: 100 * i, companyId: 12 }, 3).id;
      ids.push(id);
      changes++;
    }
    // 40 deals go the proper way (3 moves each); 10 jump NEW → FINAL_INVOICE, skipping two required stages.
    for (const [i, id] of ids.entries()) {
      if (i < 40) {
        for (const stage of ['PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING']) {
          e.sandbox.moveDeal(id, stage, 3);
          changes++;
        }
        if (i < 20) {
          e.sandbox.updateDeal(id, { title: `Offline ${i} (renamed)` }, 3);
          changes++;
        }
      } else {
        e.sandbox.moveDeal(id, 'FINAL_INVOICE', 3);
        changes++;
      }
    }
    expect(changes).toBe(200);
    await e.sandbox.waitForDeliveries();
    expect(e.sandbox.deliveries().filter((d) => d.status !== 'delivered').length).toBeGreaterThanOrEqual(200);
    expect(await e.t.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1`, [e.portalId])).toEqual([{ n: 0 }]);

    e.sandbox.deadEndpoint = false;
    // Stageguard is back: the start-up reconcile tick.
    await e.rt.ctx.queue.send('reconcile', { tickAt: new Date().toISOString() });
    await e.settle();

    const deals = await e.t.db.query(`SELECT id, stage_id, title FROM deals WHERE portal_id = $1 ORDER BY id::int`, [e.portalId]);
    expect(deals).toHaveLength(50);
    for (const [i, d] of deals.entries()) {
      expect(d.stage_id).toBe(i < 40 ? 'EXECUTING' : 'FINAL_INVOICE');
      if (i < 20) expect(d.title).toBe(`Offline ${i} (renamed)`);
    }
    const moves = await e.t.db.query(`SELECT count(*)::int AS n FROM stage_transitions WHERE portal_id = $1 AND from_stage_id IS NOT NULL`, [e.portalId]);
    expect(moves[0].n).toBe(40 * 3 + 10);
    const skips = await e.t.db.query(`SELECT deal_id FROM violations WHERE portal_id = $1 AND kind = 'stage_skipped' ORDER BY deal_id::int`, [e.portalId]);
    expect(skips.map((r: { deal_id: string }) => Number(r.deal_id))).toEqual(ids.slice(40));
    const heads = e.sandbox.notifications().filter((n) => n.message.includes('Offline'));
    expect(heads).toHaveLength(10 * 2);

    // A second cycle finds nothing new to do.
    await e.rt.ctx.queue.send('reconcile', { tickAt: new Date(Date.now() + 300_000).toISOString() });
    await e.settle();
    expect((await e.t.db.query(`SELECT count(*)::int AS n FROM violations WHERE portal_id = $1`, [e.portalId]))[0].n).toBe(10);
    expect(e.sandbox.notifications().filter((n) => n.message.includes('Offline'))).toHaveLength(20);
    const lag = await (await fetch(`${e.rt.url}/metrics`)).text();
    expect(lag).toMatch(new RegExp(`stageguard_reconcile_lag_seconds\\{portal="${e.portalId}"\\} \\d`));
  });

  it('runs each scheduled check once per tick with two instances ticking', async () => {
    const second = await startTestRuntime({ databaseUrl: e.t.url, features: allFeatures(), pollWorkers: false, policies: immediateRetryPolicies() });
    try {
      const [{ since }] = await e.t.db.query(`SELECT clock_timestamp() AS since`);
      const tickAt = new Date('2026-11-23T12:15:00Z');
      for (const queue of ['discipline-scan', 'reconcile']) {
        const ids = await Promise.all([e.rt.cron!.fire(queue, tickAt), second.cron!.fire(queue, new Date(tickAt.getTime() + 2))]);
        expect(ids.filter(Boolean)).toHaveLength(1);
      }
      await Promise.all([e.rt.ctx.queue.drain(), second.ctx.queue.drain()]);
      const jobs = await e.t.db.query(
        `SELECT name, count(*)::int AS n FROM pgboss.job WHERE data->>'portalId' = $1 AND created_on > $2 AND name IN ('discipline-scan', 'reconcile') GROUP BY name ORDER BY name`,
        [e.portalId, since],
      );
      expect(jobs).toEqual([
        { name: 'discipline-scan', n: 1 },
        { name: 'reconcile', n: 1 },
      ]);
    } finally {
      await second.stop();
    }
  });
});

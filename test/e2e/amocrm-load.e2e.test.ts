import { startAmocrmE2E, type AmocrmE2E } from './amocrm-harness.js';

// 300 leads change stage at once (an import, a bulk edit, a robot). amoCRM allows 7 requests per
// second per integration and answers 429 beyond (docs/limitations); every worker shares one
// Postgres budget of 1 + 6/s, so the burst drains inside that limit in a few host calls per event.
describe('amoCRM: a burst of 300 lead changes against the 7 req/s limit', () => {
  let e: AmocrmE2E;
  beforeAll(async () => {
    e = await startAmocrmE2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  const apiCalls = () => e.sandbox.gate.calls.filter((c) => c.path.startsWith('/api/v4/'));

  it('processes every change, fails no job, stays within the limit', async () => {
    expect(e.sandbox.gate.options.perSecond).toBe(7);
    e.sandbox.setWebhookMode('manual');
    const leads = Array.from({ length: 300 }, (_, i) => e.sandbox.createLead({ name: `Burst ${i}`, statusId: 10001, responsibleUserId: 1002 + (i % 2), price: 1000 + i }));
    await e.sandbox.flushWebhooks();
    await e.settle();

    for (const lead of leads) e.sandbox.moveLead(lead.id, 10002, undefined, lead.responsible_user_id);
    const from = apiCalls().length;
    const started = Date.now();
    const delivered = await e.sandbox.flushWebhooks();
    expect(delivered).toHaveLength(300);
    expect(delivered.every((d) => d.status === 200)).toBe(true);
    const events = (await e.t.db.query(`SELECT count(*)::int AS n FROM inbox_events WHERE status = 'pending'`))[0].n as number;
    // Four workers at once, as WORKER_CONCURRENCY=4 runs them: they share the one Postgres budget.
    // (Concurrent jobs of one portal coalesce overlapping batches, so they read some leads twice;
    // one worker alone needs about a third of these requests.)
    await Promise.all([1, 2, 3, 4].map(() => e.rt.ctx.queue.drain()));
    await e.settle();
    const seconds = (Date.now() - started) / 1000;

    const moved = await e.t.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1 AND stage_id = '10002'`, [e.portalId]);
    expect(moved[0].n).toBe(300);
    const transitions = await e.t.db.query(`SELECT count(*)::int AS n FROM stage_transitions WHERE portal_id = $1 AND to_stage_id = '10002'`, [e.portalId]);
    expect(transitions[0].n).toBe(300);
    expect((await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`))[0].n).toBe(0);
    expect((await e.t.db.query(`SELECT count(*)::int AS n FROM inbox_events WHERE status <> 'processed' AND status <> 'ignored'`))[0].n).toBe(0);

    const burst = apiCalls().slice(from);
    const limited = burst.filter((c) => c.status === 429).length;
    // The host counts whole clock seconds; no second may hold more than 7 requests it let through.
    const perSecond = new Map<number, number>();
    for (const c of burst.filter((x) => x.status !== 429)) perSecond.set(Math.floor(c.at / 1000), (perSecond.get(Math.floor(c.at / 1000)) ?? 0) + 1);
    const busiest = Math.max(...perSecond.values());
    // eslint-disable-next-line no-console
    console.log(
      `300 lead changes (${events} webhook events): ${burst.length} host requests, ${(burst.length / 300).toFixed(3)} per lead change, ` +
        `${(burst.length / events).toFixed(3)} per event; busiest second ${busiest} requests; ${limited} answered 429 and waited out; ${seconds.toFixed(1)} s`,
    );
    expect(limited).toBe(0);
    expect(busiest).toBeLessThanOrEqual(7);
    expect(burst.length / events).toBeLessThanOrEqual(0.5);
  }, 240_000);
});

import { ActionRepository } from '../../src/actions/action.repository.js';
import { bitrix24Connector } from '../../src/app/bitrix24-wiring.js';
import { ConnectorRegistry } from '../../src/connectors/connector-registry.js';
import type { CrmConnector } from '../../src/connectors/crm-connector.js';
import { PortalRepository } from '../../src/portals/portal.repository.js';
import { RulesConfigRepository } from '../../src/rules-store/rules-config.repository.js';
import { DealGoalRepository } from '../../src/sync/deal-goal.repository.js';
import { DealProcessor } from '../../src/sync/deal-processor.js';
import { historyImportJobHandler } from '../../src/sync/history-import.job.js';
import { ProjectionRepository } from '../../src/sync/projection.repository.js';
import { issueSession } from '../../src/ui/session.js';
import { ViolationRepository } from '../../src/violations/violation.repository.js';
import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';

describe('history import after install, and moves between pipelines', () => {
  let e: Bitrix24E2E;
  const seeded: number[] = [];
  beforeAll(async () => {
    e = await startBitrix24E2E({ install: false, sandbox: { plan: 'enterprise' } });
    // A portal with history: 120 deals (three pages), most moved on, one skipped (history: not an alert).
    for (let i = 0; i < 120; i++) {
      const id = e.sandbox.createDeal({ title: `Old ${i}`, stageId: 'NEW', assignedById: 3 + (i % 3), opportunity: 1000 + i }, 3).id;
      seeded.push(id);
      if (i % 2 === 0) e.sandbox.moveDeal(id, 'PREPARATION', 3);
      if (i % 4 === 0) e.sandbox.moveDeal(id, 'PREPAYMENT_INVOICE', 3);
      if (i === 7) e.sandbox.moveDeal(id, 'FINAL_INVOICE', 3);
      if (i % 10 === 0) e.sandbox.addActivity({ ownerId: id, typeId: 2, direction: 2, subject: 'Call', completed: true, responsibleId: 3, callDurationSec: 45 }, 3);
    }
    const r = await e.sandbox.openApplication(`${e.rt.url}/bitrix24/install`);
    expect(r.status).toBe(200);
    e.portalId = (await e.t.db.query(`SELECT id FROM portals`))[0].id;
  });
  afterAll(async () => {
    await e.stop();
  });

  function processor() {
    const ctx = e.rt.ctx;
    return new DealProcessor({
      ctx,
      projections: new ProjectionRepository(ctx.db),
      actions: new ActionRepository(ctx.db),
      violations: new ViolationRepository(ctx.db),
      rules: new RulesConfigRepository(ctx.db),
      goals: new DealGoalRepository(ctx.db),
    });
  }

  it('resumes from its cursor after a crash, and imports every deal, move and activity once, judging none', async () => {
    // Run the set-up job only; the import is run by hand below, first with a crash on its second page.
    await e.rt.ctx.queue.drain();
    await e.t.db.query(`DELETE FROM deals; DELETE FROM stage_transitions; DELETE FROM activities; DELETE FROM sync_state WHERE kind = 'history_import'`);
    const ctx = e.rt.ctx;
    const portal = (await new PortalRepository(ctx.db, ctx.cipher).get(e.portalId))!;
    let pages = 0;
    const crashing = new ConnectorRegistry({
      bitrix24: (p) => {
        const real = bitrix24Connector(ctx, p);
        return new Proxy(real, {
          get(target, prop, receiver) {
            if (prop === 'listDealsModifiedSince') {
              return async (...args: Parameters<CrmConnector['listDealsModifiedSince']>) => {
                if (++pages === 2) throw new Error('worker killed');
                return target.listDealsModifiedSince(...args);
              };
            }
            const v = Reflect.get(target, prop, receiver);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        }) as CrmConnector;
      },
    });
    await expect(historyImportJobHandler(ctx, crashing, processor())({ portalId: portal.id })).rejects.toThrow('worker killed');
    const afterCrash = await ctx.db.query(`SELECT status, done, cursor FROM sync_state WHERE portal_id = $1 AND kind = 'history_import'`, [portal.id]);
    expect(afterCrash[0]).toMatchObject({ status: 'running', done: 50 });
    expect(afterCrash[0].cursor.afterId).toBe(String(seeded[49]));

    const itemListsBefore = e.sandbox.stats().perMethod['crm.item.list'] ?? 0;
    const real = new ConnectorRegistry({ bitrix24: (p) => bitrix24Connector(ctx, p) });
    await historyImportJobHandler(ctx, real, processor())({ portalId: portal.id });
    // Resumed at page 2: pages 2 and 3 only.
    expect((e.sandbox.stats().perMethod['crm.item.list'] ?? 0) - itemListsBefore).toBe(2);

    const deals = await ctx.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1`, [portal.id]);
    expect(deals[0].n).toBe(120);
    const moves = await ctx.db.query(`SELECT count(*)::int AS n, count(DISTINCT host_history_id)::int AS d FROM stage_transitions WHERE portal_id = $1`, [portal.id]);
    const expectedRows = e.sandbox.stageHistory().filter((h) => seeded.includes(Number(h.ownerId))).length;
    expect(moves[0]).toEqual({ n: expectedRows, d: expectedRows });
    const verdicts = await ctx.db.query(`SELECT DISTINCT verdict FROM stage_transitions WHERE portal_id = $1`, [portal.id]);
    expect(verdicts).toEqual([{ verdict: 'imported' }]);
    expect(await ctx.db.query(`SELECT id FROM violations WHERE portal_id = $1`, [portal.id])).toEqual([]);
    const calls = await ctx.db.query(`SELECT count(*)::int AS n, min(duration_sec) AS d FROM activities WHERE portal_id = $1 AND kind = 'call'`, [portal.id]);
    expect(calls[0]).toEqual({ n: 12, d: 45 });

    // Progress is readable through the API.
    const session = issueSession({ portalId: portal.id, userId: '1', role: 'admin' }, ctx.sessionSecret);
    const status = (await (await fetch(`${e.rt.url}/bitrix24/install/status`, { headers: { authorization: `Bearer ${session}` } })).json()) as {
      state: string;
      import: { done: number; status: string };
    };
    expect(status.state).toBe('done');
    expect(status.import).toMatchObject({ status: 'done', done: 120 + 12 });
  });

  it('follows a deal moved to another pipeline', async () => {
    e.sandbox.finishInstall();
    const deal = e.sandbox.createDeal({ title: 'Changes funnel', stageId: 'PREPARATION', assignedById: 4 }, 4);
    e.sandbox.moveDeal(deal.id, 'C1:PREPARATION', 4);
    await e.settle();
    const [row] = await e.t.db.query(`SELECT pipeline_id, stage_id FROM deals WHERE portal_id = $1 AND id = $2`, [e.portalId, String(deal.id)]);
    expect(row).toEqual({ pipeline_id: '1', stage_id: 'C1:PREPARATION' });
    const moves = await e.t.db.query(
      `SELECT from_pipeline_id, pipeline_id, from_stage_id, to_stage_id, verdict FROM stage_transitions WHERE portal_id = $1 AND deal_id = $2 ORDER BY at, id`,
      [e.portalId, String(deal.id)],
    );
    expect(moves[moves.length - 1]).toMatchObject({ from_pipeline_id: '0', pipeline_id: '1', from_stage_id: 'PREPARATION', to_stage_id: 'C1:PREPARATION' });
    expect(e.sandbox.deliveries().some((d) => d.event === 'ONCRMDEALMOVETOCATEGORY' && d.status === 'delivered')).toBe(true);
  });
});

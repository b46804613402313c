import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';

describe('Bitrix24 install on the sandbox portal', () => {
  let e: Bitrix24E2E;
  beforeAll(async () => {
    e = await startBitrix24E2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  it('creates the portal, binds events and placements, imports stages and creates the goal field', async () => {
    const [portal] = await e.t.db.query(`SELECT status, domain, locale, settings, access_token_enc FROM portals WHERE id = $1`, [e.portalId]);
    expect(portal.status).toBe('active');
    expect(portal.domain).toBe(e.sandbox.portal.domain);
    expect(portal.access_token_enc).toMatch(/^v1\./);

    const events = e.sandbox.eventBindings().map((b) => b.event).sort();
    expect(events).toEqual(
      ['ONAPPUNINSTALL', 'ONAPPUPDATE', 'ONCRMACTIVITYADD', 'ONCRMACTIVITYUPDATE', 'ONCRMDEALADD', 'ONCRMDEALDELETE', 'ONCRMDEALMOVETOCATEGORY', 'ONCRMDEALUPDATE', 'ONCRMLEADADD', 'ONCRMLEADUPDATE'].sort(),
    );
    expect(new Set(e.sandbox.eventBindings().map((b) => b.handler))).toEqual(new Set([`${e.rt.url}/bitrix24/events`]));
    expect(e.sandbox.placements().map((p) => p.placement).sort()).toEqual(['CRM_DEAL_DETAIL_TAB', 'LEFT_MENU']);

    const stages = await e.t.db.query(`SELECT pipeline_id, id, semantics FROM stages WHERE portal_id = $1 AND pipeline_id = '0' ORDER BY sort`, [e.portalId]);
    expect(stages.map((s: { id: string }) => s.id)).toEqual(e.sandbox.stages(0).map((s) => s.statusId));
    expect(stages.find((s: { id: string }) => s.id === 'WON').semantics).toBe('success');
    expect(stages.find((s: { id: string }) => s.id === 'LOSE').semantics).toBe('failure');

    const field = e.sandbox.userFields().find((f) => f.fieldName === 'UF_CRM_STAGEGUARD_GOAL');
    expect(field?.userTypeId).toBe('enumeration');
    expect(field!.list.map((i) => i.xmlId)).toEqual(expect.arrayContaining(['ready_to_buy']));
    expect(Object.values(portal.settings.goalEnum)).toEqual(expect.arrayContaining(['ready_to_buy']));
  });

  it('changes nothing twice on a second install', async () => {
    const before = {
      events: e.sandbox.eventBindings().length,
      placements: e.sandbox.placements().length,
      fields: e.sandbox.userFields().length,
      portals: (await e.t.db.query(`SELECT count(*)::int AS n FROM portals`))[0].n,
    };
    const r = await e.sandbox.openApplication(`${e.rt.url}/bitrix24/install`);
    expect(r.status).toBe(200);
    await e.rt.ctx.queue.drain();
    expect({
      events: e.sandbox.eventBindings().length,
      placements: e.sandbox.placements().length,
      fields: e.sandbox.userFields().length,
      portals: (await e.t.db.query(`SELECT count(*)::int AS n FROM portals`))[0].n,
    }).toEqual(before);
    expect((await e.t.db.query(`SELECT status FROM portals WHERE id = $1`, [e.portalId]))[0].status).toBe('active');
  });

  it('ONAPPUNINSTALL drops the tokens and stops every host call for the portal', async () => {
    const deal = e.sandbox.createDeal({ title: 'Before uninstall', stageId: 'NEW', assignedById: 3 }, 3);
    await e.settle();
    e.sandbox.uninstallApp({ clean: true });
    await e.settle();
    const [portal] = await e.t.db.query(
      `SELECT status, access_token_enc, refresh_token_enc, purge_after IS NOT NULL AS purge_scheduled FROM portals WHERE id = $1`,
      [e.portalId],
    );
    expect(portal).toEqual({ status: 'uninstalled', access_token_enc: null, refresh_token_enc: null, purge_scheduled: true });

    const calls = e.sandbox.stats().httpRequests;
    // Work already queued for the portal, and events that still arrive, reach the host no more.
    await e.rt.ctx.queue.send('action', { portalId: e.portalId, actionId: '999999' });
    const forged = await fetch(`${e.rt.url}/bitrix24/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        event: 'ONCRMDEALUPDATE',
        'data[FIELDS][ID]': String(deal.id),
        ts: String(Math.floor(Date.now() / 1000) + 5),
        'auth[member_id]': e.sandbox.portal.memberId,
        'auth[application_token]': e.sandbox.portal.applicationToken,
        'auth[domain]': e.sandbox.portal.domain,
      }).toString(),
    });
    await e.rt.ctx.queue.drain();
    expect(e.sandbox.stats().httpRequests).toBe(calls);
    expect([200, 401]).toContain(forged.status);
  });

  it('deletes the data of a portal uninstalled with CLEAN once the grace period has passed', async () => {
    const counts = async () => (await e.t.db.query(`SELECT count(*)::int AS n FROM deals WHERE portal_id = $1`, [e.portalId]))[0].n;
    expect(await counts()).toBeGreaterThan(0);
    await e.rt.ctx.queue.send('maintenance', { tickAt: new Date().toISOString() });
    await e.rt.ctx.queue.drain();
    expect(await counts()).toBeGreaterThan(0); // still within the grace period
    await e.t.db.query(`UPDATE portals SET purge_after = now() - interval '1 minute' WHERE id = $1`, [e.portalId]);
    await e.rt.ctx.queue.send('maintenance', { tickAt: new Date().toISOString() });
    await e.rt.ctx.queue.drain();
    expect(await counts()).toBe(0);
    expect((await e.t.db.query(`SELECT count(*)::int AS n FROM portals WHERE id = $1`, [e.portalId]))[0].n).toBe(0);
  });
});

import { startHarness, startReceiver } from './support/harness.js';
import type { Harness, Receiver } from './support/harness.js';

const USER_AUTH_KEYS = ['access_token', 'expires_in', 'scope', 'domain', 'server_endpoint', 'status', 'client_endpoint', 'member_id', 'application_token'];

describe('Bitrix24 sandbox: outbound events', () => {
  let h: Harness;
  let rx: Receiver;
  beforeEach(async () => {
    h = await startHarness();
    rx = await startReceiver();
  });
  afterEach(async () => {
    await h.close();
    await rx.close();
  });

  async function bind(...events: string[]): Promise<void> {
    for (const event of events) {
      const res = await h.rest('event.bind', { event, handler: rx.url });
      expect(res.data).toMatchObject({ result: true });
    }
  }

  it('POSTs the documented form body: event, event_handler_id, data[FIELDS][ID], ts, auth[...]', async () => {
    await bind('onCrmDealAdd');
    h.sandbox.finishInstall();
    h.clock.advance(30);
    const deal = h.sandbox.createDeal({ title: 'Hello', assignedById: 3 }, 3);
    await h.sandbox.waitForDeliveries();

    expect(rx.received).toHaveLength(1);
    const { raw, body, contentType } = rx.received[0];
    expect(contentType).toBe('application/x-www-form-urlencoded');
    expect(raw.startsWith('event=ONCRMDEALADD&event_handler_id=181&data%5BFIELDS%5D%5BID%5D=' + deal.id + '&ts=')).toBe(true);
    expect(body).toEqual({
      event: 'ONCRMDEALADD',
      event_handler_id: '181',
      data: { FIELDS: { ID: String(deal.id) } },
      ts: String(Math.floor(h.clock.now() / 1000)),
      auth: expect.any(Object),
    });
    expect(Object.keys(body.auth)).toEqual(USER_AUTH_KEYS);
    expect(body.auth).toMatchObject({
      expires_in: '3600',
      scope: 'crm',
      domain: new URL(h.url).host,
      server_endpoint: `${h.url}/rest/`,
      client_endpoint: `${h.url}/rest/`,
      status: 'F',
      member_id: h.sandbox.portal.memberId,
      application_token: h.sandbox.portal.applicationToken,
    });
    // The token belongs to the user whose action raised the event.
    const me = await h.rest('user.current', {}, body.auth.access_token);
    expect(me.data.result.ID).toBe('3');
  });

  it('delivers nothing before the install is finished, and never delivers those events later', async () => {
    await bind('ONCRMDEALADD');
    const early = h.sandbox.createDeal({ title: 'Too early' }, 1);
    await h.sandbox.waitForDeliveries();
    expect(rx.received).toHaveLength(0);
    expect(h.sandbox.deliveries()).toEqual([expect.objectContaining({ event: 'ONCRMDEALADD', status: 'dropped', reason: 'install-not-finished' })]);
    expect((await h.rest('app.info')).data.result.INSTALLED).toBe(false);

    h.sandbox.finishInstall();
    expect((await h.rest('app.info')).data.result.INSTALLED).toBe(true);
    const later = h.sandbox.createDeal({ title: 'In time' }, 1);
    await h.sandbox.waitForDeliveries();
    expect(rx.received.map((r) => r.body.data.FIELDS.ID)).toEqual([String(later.id)]);
    expect(rx.received.some((r) => r.body.data.FIELDS.ID === String(early.id))).toBe(false);
  });

  it('does not retry a failed delivery', async () => {
    await bind('ONCRMDEALUPDATE');
    h.sandbox.finishInstall();
    const deal = h.sandbox.createDeal({ title: 'Fails' }, 1);
    rx.status = 500;
    h.sandbox.moveDeal(deal.id, 'PREPARATION', 3);
    await h.sandbox.waitForDeliveries();
    h.clock.advance(3600);
    await new Promise((r) => setTimeout(r, 50));
    await h.sandbox.waitForDeliveries();
    expect(rx.received).toHaveLength(1);
    expect(h.sandbox.deliveries()).toEqual([expect.objectContaining({ event: 'ONCRMDEALUPDATE', status: 'failed', httpStatus: 500, reason: 'http 500' })]);
  });

  it('deadEndpoint loses every delivery without reaching the handler', async () => {
    await bind('ONCRMDEALADD');
    h.sandbox.finishInstall();
    h.sandbox.deadEndpoint = true;
    h.sandbox.createDeal({ title: 'Lost' }, 1);
    await h.sandbox.waitForDeliveries();
    expect(rx.received).toHaveLength(0);
    expect(h.sandbox.deliveries()).toEqual([expect.objectContaining({ status: 'failed', reason: 'dead-endpoint' })]);
  });

  it('a stage change inside the funnel is ONCRMDEALUPDATE; a move to another funnel is ONLY ONCRMDEALMOVETOCATEGORY', async () => {
    await bind('ONCRMDEALUPDATE', 'ONCRMDEALMOVETOCATEGORY');
    h.sandbox.finishInstall();
    const deal = h.sandbox.createDeal({ title: 'Mover' }, 3);
    h.sandbox.moveDeal(deal.id, 'PREPARATION', 3);
    h.sandbox.moveDeal(deal.id, 'C1:PREPARATION', 3);
    const viaRest = await h.rest('crm.item.update', { entityTypeId: 2, id: deal.id, fields: { categoryId: 0 } });
    expect(viaRest.data.result.item).toMatchObject({ categoryId: 0, stageId: 'NEW' });
    await h.sandbox.waitForDeliveries();

    expect(rx.received.map((r) => [r.body.event, r.body.data.FIELDS])).toEqual([
      ['ONCRMDEALUPDATE', { ID: String(deal.id) }],
      ['ONCRMDEALMOVETOCATEGORY', { ID: String(deal.id), CATEGORY_ID: '1', STAGE_ID: 'C1:PREPARATION' }],
      ['ONCRMDEALMOVETOCATEGORY', { ID: String(deal.id), CATEGORY_ID: '0', STAGE_ID: 'NEW' }],
    ]);
  });

  it('manual mode queues deliveries; flushEvents replays them duplicated and reversed', async () => {
    await bind('ONCRMDEALUPDATE');
    h.sandbox.finishInstall();
    h.sandbox.deliveryMode = 'manual';
    const deal = h.sandbox.createDeal({ title: 'Three moves' }, 3);
    for (const stage of ['PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING']) {
      h.clock.advance(60);
      h.sandbox.moveDeal(deal.id, stage, 3);
    }
    expect(h.sandbox.queuedEvents()).toHaveLength(3);
    expect(rx.received).toHaveLength(0);
    h.clock.advance(5);
    const records = await h.sandbox.flushEvents({ duplicate: 2, reverse: true });
    expect(records.map((r) => [r.seq, r.status])).toEqual([
      [3, 'delivered'], [3, 'delivered'], [2, 'delivered'], [2, 'delivered'], [1, 'delivered'], [1, 'delivered'],
    ]);
    expect(rx.received).toHaveLength(6);
    expect(new Set(rx.received.map((r) => r.body.ts))).toEqual(new Set([String(Math.floor(h.clock.now() / 1000))]));
    expect(h.sandbox.queuedEvents()).toHaveLength(0);
  });

  it('event.bind refuses a duplicate and an unknown event; event.get lists bindings; event.unbind counts', async () => {
    await bind('ONCRMDEALADD');
    const dup = await h.rest('event.bind', { event: 'oncrmdealadd', handler: rx.url });
    expect(dup.status).toBe(400);
    expect(dup.data).toEqual({ error: 'ERROR_HANDLER_ALREADY_EXIST', error_description: 'Handler already exists!' });
    const unknown = await h.rest('event.bind', { event: 'ONSOMETHINGELSE', handler: rx.url });
    expect(unknown.data).toEqual({ error: 'ERROR_EVENT_NOT_FOUND', error_description: 'Event not found' });
    const list = await h.rest('event.get');
    expect(list.data.result).toEqual([{ event: 'ONCRMDEALADD', handler: rx.url, auth_type: '0', offline: 0 }]);
    const un = await h.rest('event.unbind', { event: 'ONCRMDEALADD', handler: rx.url });
    expect(un.data.result).toEqual({ count: 1 });
    expect(h.sandbox.eventBindings()).toHaveLength(0);
  });

  it('events raised by automation carry no tokens', async () => {
    await bind('ONCRMDEALUPDATE');
    h.sandbox.finishInstall();
    const deal = h.sandbox.createDeal({ title: 'Robot' }, 1);
    h.sandbox.moveDeal(deal.id, 'EXECUTING', { userId: 1, viaAutomation: true });
    await h.sandbox.waitForDeliveries();
    expect(rx.received[0].body.auth).not.toHaveProperty('access_token');
    expect(rx.received[0].body.auth).not.toHaveProperty('refresh_token');
    expect(rx.received[0].body.auth.application_token).toBe(h.sandbox.portal.applicationToken);
  });

  it('activities and leads raise ONCRMACTIVITYADD / ONCRMACTIVITYUPDATE / ONCRMLEADADD', async () => {
    await bind('ONCRMACTIVITYADD', 'ONCRMACTIVITYUPDATE', 'ONCRMLEADADD');
    h.sandbox.finishInstall();
    const deal = h.sandbox.createDeal({ title: 'Calls' }, 3);
    const call = h.sandbox.addActivity({ ownerId: deal.id, typeId: 2, direction: 2, callDurationSec: 45 }, 3);
    h.sandbox.completeActivity(call.id, 3);
    const leadId = h.sandbox.createLead({ TITLE: 'Website lead' }, 1);
    await h.sandbox.waitForDeliveries();
    expect(rx.received.map((r) => [r.body.event, r.body.data.FIELDS.ID])).toEqual([
      ['ONCRMACTIVITYADD', String(call.id)],
      ['ONCRMACTIVITYUPDATE', String(call.id)],
      ['ONCRMLEADADD', String(leadId)],
    ]);
  });

  it('ONAPPUNINSTALL carries data[CLEAN] and no tokens; afterwards nothing works', async () => {
    await bind('ONAPPUNINSTALL');
    h.sandbox.finishInstall();
    h.sandbox.uninstallApp({ clean: true });
    await h.sandbox.waitForDeliveries();
    expect(rx.received).toHaveLength(1);
    const { body } = rx.received[0];
    expect(body.event).toBe('ONAPPUNINSTALL');
    expect(body.data).toEqual({ LANGUAGE_ID: 'en', CLEAN: '1' });
    expect(Object.keys(body.auth)).toEqual(['domain', 'server_endpoint', 'client_endpoint', 'member_id', 'application_token']);
    expect((await h.rest('app.info')).data.error).toBe('NO_AUTH_FOUND');
  });

  it('an update sends ONAPPUPDATE with a NEW application_token and drops every binding', async () => {
    await bind('ONAPPUPDATE', 'ONCRMDEALADD');
    await h.rest('placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: `${rx.url}/tab`, TITLE: 'Stageguard' });
    h.sandbox.finishInstall();
    const before = h.sandbox.portal.applicationToken;
    h.sandbox.updateApp(2);
    await h.sandbox.waitForDeliveries();
    const { body } = rx.received[0];
    expect(body.event).toBe('ONAPPUPDATE');
    expect(body.data).toEqual({ VERSION: '2', PREVIOUS_VERSION: '1', LANGUAGE_ID: 'en' });
    expect(body.auth.application_token).not.toBe(before);
    expect(body.auth.application_token).toBe(h.sandbox.portal.applicationToken);
    expect(body.auth.refresh_token).toMatch(/^[a-z0-9]{32}$/);
    expect(h.sandbox.eventBindings()).toHaveLength(0);
    expect(h.sandbox.placements()).toHaveLength(0);
  });

  it('sendInstallEvent posts ONAPPINSTALL with both tokens and no event_handler_id', async () => {
    const record = await h.sandbox.sendInstallEvent(rx.url);
    expect(record.status).toBe('delivered');
    const { body } = rx.received[0];
    expect(body).not.toHaveProperty('event_handler_id');
    expect(body.data).toEqual({ VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' });
    expect(Object.keys(body.auth)).toEqual([
      'domain', 'scope', 'access_token', 'refresh_token', 'expires_in', 'server_endpoint', 'status', 'client_endpoint', 'member_id', 'application_token',
    ]);
  });

  it('can spell event names in camelCase, as some doc examples print them', async () => {
    await bind('ONCRMACTIVITYADD');
    h.sandbox.finishInstall();
    h.sandbox.eventNameCase = 'camel';
    const deal = h.sandbox.createDeal({}, 1);
    h.sandbox.addActivity({ ownerId: deal.id, typeId: 1 }, 1);
    await h.sandbox.waitForDeliveries();
    expect(rx.received[0].body.event).toBe('onCrmActivityAdd');
  });

  it('openApplication POSTs the frame form to the app page, placement options as a JSON string', async () => {
    const deal = h.sandbox.createDeal({}, 3);
    const opened = await h.sandbox.openApplication(rx.url, { userId: 3, placement: 'CRM_DEAL_DETAIL_TAB', placementOptions: { ID: String(deal.id) } });
    expect(opened.status).toBe(200);
    const { body } = rx.received[0];
    expect(body).toMatchObject({
      AUTH_EXPIRES: '3600',
      SERVER_ENDPOINT: `${h.url}/rest/`,
      member_id: h.sandbox.portal.memberId,
      PLACEMENT: 'CRM_DEAL_DETAIL_TAB',
      PLACEMENT_OPTIONS: JSON.stringify({ ID: String(deal.id) }),
    });
    const me = await h.rest('user.current', {}, body.AUTH_ID);
    expect(me.data.result.ID).toBe('3');
  });
});

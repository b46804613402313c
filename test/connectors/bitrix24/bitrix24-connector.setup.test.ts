import { batchAnswer, capture, connectorHarness, fixture, parseBatchCmd, TIME, useNock } from './support.js';

useNock();

const HANDLER = 'https://stageguard.example.com/bitrix24/events';

describe('Bitrix24Connector install-time operations', () => {
  it('appInfo reads the plan (LICENSE_FAMILY "ent" is Enterprise)', async () => {
    const { connector } = connectorHarness();
    capture('app.info', fixture('rest/app-info.json'));
    await expect(connector.appInfo()).resolves.toEqual({ appId: '5', licenseFamily: 'ent', license: 'de_ent10000', status: 'F', installed: true, paymentExpired: false });
  });

  it('bindEvents binds only what event.get lacks, in one batch; ERROR_HANDLER_ALREADY_EXIST counts as bound', async () => {
    const { connector, budget } = connectorHarness();
    capture('event.get', { result: [{ event: 'ONCRMDEALADD', handler: HANDLER, auth_type: '0', offline: 0 }], time: TIME });
    const sent = capture(
      'batch',
      batchAnswer({ ONCRMDEALUPDATE: true }, { ONAPPUNINSTALL: { error: 'ERROR_HANDLER_ALREADY_EXIST', error_description: 'Handler already exists!' } }),
    );
    await connector.bindEvents(HANDLER, ['ONCRMDEALADD', 'onCrmDealUpdate', 'ONAPPUNINSTALL']);
    expect(parseBatchCmd(sent[0].cmd)).toEqual({
      ONCRMDEALUPDATE: { method: 'event.bind', params: { event: 'ONCRMDEALUPDATE', handler: HANDLER } },
      ONAPPUNINSTALL: { method: 'event.bind', params: { event: 'ONAPPUNINSTALL', handler: HANDLER } },
    });
    expect(budget.taken).toBe(2);
  });

  it('bindEvents does nothing more when everything is bound', async () => {
    const { connector } = connectorHarness();
    capture('event.get', { result: [{ event: 'ONCRMDEALADD', handler: HANDLER, auth_type: '0', offline: 0 }], time: TIME });
    await connector.bindEvents(HANDLER, ['ONCRMDEALADD']);
  });

  it('bindEvents fails on a real refusal', async () => {
    const { connector } = connectorHarness();
    capture('event.get', { result: [], time: TIME });
    capture('batch', batchAnswer({}, { ONCRMDEALADD: { error: 'ERROR_EVENT_NOT_FOUND', error_description: 'Event not found' } }));
    await expect(connector.bindEvents(HANDLER, ['ONCRMDEALADD'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('event.bind ONCRMDEALADD') });
  });

  it('bindPlacements skips bound ones; "Handler already binded" counts as bound', async () => {
    const { connector } = connectorHarness();
    capture('placement.get', {
      result: [{ placement: 'LEFT_MENU', userId: 0, handler: 'https://stageguard.example.com/bitrix24/app', options: [], title: 'Stageguard', description: '' }],
      time: TIME,
    });
    const sent = capture(
      'batch',
      batchAnswer({}, { p0: { error: 'ERROR_CORE', error_description: 'Unable to set placement handler: Handler already binded' } }),
    );
    await connector.bindPlacements([
      { placement: 'CRM_DEAL_DETAIL_TAB', handlerUrl: 'https://stageguard.example.com/bitrix24/placement/deal-tab', title: 'Stageguard', description: 'Deal' },
      { placement: 'LEFT_MENU', handlerUrl: 'https://stageguard.example.com/bitrix24/app', title: 'Stageguard', description: 'Dashboard' },
    ]);
    expect(parseBatchCmd(sent[0].cmd)).toEqual({
      p0: {
        method: 'placement.bind',
        params: { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'https://stageguard.example.com/bitrix24/placement/deal-tab', TITLE: 'Stageguard', DESCRIPTION: 'Deal' },
      },
    });
  });

  it('ensureGoalField creates the enumeration when missing and returns item id → goal code', async () => {
    const { connector } = connectorHarness();
    const lookups = capture('crm.deal.userfield.list', { result: [], total: 0, time: TIME });
    const add = capture('crm.deal.userfield.add', { result: 6801, time: TIME });
    const created = {
      ID: '6801',
      ENTITY_ID: 'CRM_DEAL',
      FIELD_NAME: 'UF_CRM_STAGEGUARD_GOAL',
      USER_TYPE_ID: 'enumeration',
      LIST: [
        { ID: '3201', SORT: '10', VALUE: 'Needs identified', DEF: 'N', XML_ID: 'needs' },
        { ID: '3203', SORT: '20', VALUE: 'Meeting held', DEF: 'N', XML_ID: 'meeting' },
      ],
    };
    capture('crm.deal.userfield.list', { result: [created], total: 1, time: TIME });
    const map = await connector.ensureGoalField('STAGEGUARD_GOAL', 'Stage goal', [
      { code: 'needs', title: 'Needs identified' },
      { code: 'meeting', title: 'Meeting held' },
    ]);
    expect(lookups[0].filter).toEqual({ FIELD_NAME: 'UF_CRM_STAGEGUARD_GOAL' });
    expect(add[0].fields).toMatchObject({
      FIELD_NAME: 'UF_CRM_STAGEGUARD_GOAL',
      USER_TYPE_ID: 'enumeration',
      EDIT_FORM_LABEL: 'Stage goal',
      MULTIPLE: 'N',
      LIST: [
        { VALUE: 'Needs identified', XML_ID: 'needs', SORT: 10 },
        { VALUE: 'Meeting held', XML_ID: 'meeting', SORT: 20 },
      ],
    });
    expect(map).toEqual({ '3201': 'needs', '3203': 'meeting' });
  });

  it('ensureGoalField on an existing field adds only missing items, keeping the others by ID', async () => {
    const { connector } = connectorHarness();
    const existing = {
      ID: '6801',
      FIELD_NAME: 'UF_CRM_STAGEGUARD_GOAL',
      USER_TYPE_ID: 'enumeration',
      LIST: [{ ID: '3201', SORT: '10', VALUE: 'Needs identified', DEF: 'N', XML_ID: 'needs' }],
    };
    capture('crm.deal.userfield.list', { result: [existing], total: 1, time: TIME });
    const update = capture('crm.deal.userfield.update', { result: true, time: TIME });
    capture('crm.deal.userfield.list', {
      result: [{ ...existing, LIST: [...existing.LIST, { ID: '3205', SORT: '20', VALUE: 'Offer sent', DEF: 'N', XML_ID: 'offer' }] }],
      total: 1,
      time: TIME,
    });
    const map = await connector.ensureGoalField('STAGEGUARD_GOAL', 'Stage goal', [
      { code: 'needs', title: 'Needs identified' },
      { code: 'offer', title: 'Offer sent' },
    ]);
    expect(update[0]).toMatchObject({
      id: '6801',
      fields: { LIST: [{ ID: '3201', VALUE: 'Needs identified', XML_ID: 'needs', SORT: '10' }, { VALUE: 'Offer sent', XML_ID: 'offer', SORT: 20 }] },
    });
    expect(map).toEqual({ '3201': 'needs', '3205': 'offer' });
  });

  it('ensureGoalField twice with nothing new: one lookup, no writes', async () => {
    const { connector } = connectorHarness();
    const existing = { ID: '6801', FIELD_NAME: 'UF_CRM_STAGEGUARD_GOAL', USER_TYPE_ID: 'enumeration', LIST: [{ ID: '3201', SORT: '10', VALUE: 'Needs', DEF: 'N', XML_ID: 'needs' }] };
    capture('crm.deal.userfield.list', { result: [existing], total: 1, time: TIME });
    await expect(connector.ensureGoalField('STAGEGUARD_GOAL', 'Stage goal', [{ code: 'needs', title: 'Needs' }])).resolves.toEqual({ '3201': 'needs' });
  });
});

import { batchAnswer, capture, connectorHarness, fixture, parseBatchCmd, TIME, useNock } from './support.js';

useNock();

const dealItem = () => fixture('rest/crm-item-get.deal.json').result;
const history759 = () => fixture('rest/crm-stagehistory-list.deal-759.json').result;

describe('Bitrix24Connector reads', () => {
  it('getDealWithHistory: crm.item.get + crm.stagehistory.list in ONE batch, mapped', async () => {
    const { connector, budget } = connectorHarness();
    const sent = capture('batch', batchAnswer({ deal0: dealItem(), history0: history759() }, {}, { history0: 4 }));

    const found = await connector.getDealWithHistory('759');

    expect(sent).toHaveLength(1);
    expect(budget.taken).toBe(1);
    expect(sent[0].halt).toBe(0);
    expect(parseBatchCmd(sent[0].cmd)).toEqual({
      deal0: { method: 'crm.item.get', params: { entityTypeId: '2', id: '759', useOriginalUfNames: 'Y' } },
      history0: {
        method: 'crm.stagehistory.list',
        params: { entityTypeId: '2', filter: { OWNER_ID: '759', '>ID': '0' }, order: { ID: 'ASC' }, start: '-1' },
      },
    });
    expect(found!.deal).toEqual({
      id: '759',
      pipelineId: '1',
      stageId: 'C1:EXECUTING',
      title: 'REST Deal #1',
      responsibleId: '17',
      amount: 10000,
      currency: 'USD',
      closeDate: '2025-01-31T00:00:00.000Z',
      probability: 40,
      companyId: '5',
      contactId: '7',
      createdAt: '2025-01-06T07:15:00.000Z',
      updatedAt: '2025-01-09T06:56:40.000Z',
      goalMark: 'meeting_held',
      fields: dealItem().item,
    });
    expect(found!.history).toEqual([
      { id: '1201', dealId: '759', pipelineId: '0', stageId: 'NEW', at: '2025-01-06T07:15:00.000Z', byUserId: null },
      { id: '1207', dealId: '759', pipelineId: '1', stageId: 'C1:NEW', at: '2025-01-07T09:00:00.000Z', byUserId: null },
      { id: '1215', dealId: '759', pipelineId: '1', stageId: 'C1:PREPARATION', at: '2025-01-08T13:20:00.000Z', byUserId: null },
      // The latest move is the deal's own movedBy / movedTime.
      { id: '1230', dealId: '759', pipelineId: '1', stageId: 'C1:EXECUTING', at: '2025-01-09T06:56:40.000Z', byUserId: '17' },
    ]);
  });

  it('getDealWithHistory: a deleted deal is null', async () => {
    const { connector } = connectorHarness();
    capture('batch', batchAnswer({ history0: { items: [] } }, { deal0: { error: 'NOT_FOUND', error_description: 'Element not found' } }));
    await expect(connector.getDealWithHistory('404')).resolves.toBeNull();
  });

  it('getDealWithHistory: a history over one page is read on by ID', async () => {
    const { connector } = connectorHarness();
    const rows = Array.from({ length: 50 }, (_, i) => ({ ID: i + 1, TYPE_ID: 2, OWNER_ID: 759, CREATED_TIME: '2025-01-06T10:15:00+03:00', CATEGORY_ID: 1, STAGE_SEMANTIC_ID: 'P', STAGE_ID: 'C1:NEW' }));
    capture('batch', batchAnswer({ deal0: dealItem(), history0: { items: rows } }));
    const more = capture('crm.stagehistory.list', { result: { items: [{ ...rows[0], ID: 51, STAGE_ID: 'C1:EXECUTING' }] }, time: TIME });
    const found = await connector.getDealWithHistory('759');
    expect(more[0].filter).toEqual({ OWNER_ID: '759', '>ID': '50' });
    expect(found!.history).toHaveLength(51);
  });

  it('getDealsWithHistory: 25 deals per batch (two commands each)', async () => {
    const { connector } = connectorHarness();
    const ids = Array.from({ length: 30 }, (_, i) => String(i + 1));
    const answer = (count: number) =>
      batchAnswer(
        Object.fromEntries(
          Array.from({ length: count }, (_, k) => [
            [`deal${k}`, { item: { ...dealItem().item, id: k } }],
            [`history${k}`, { items: [] }],
          ]).flat(),
        ),
      );
    const first = capture('batch', answer(25));
    const second = capture('batch', answer(5));
    const found = await connector.getDealsWithHistory(ids);
    expect(Object.keys(first[0].cmd)).toHaveLength(50);
    expect(Object.keys(second[0].cmd)).toHaveLength(10);
    expect(found.size).toBe(30);
  });

  it('listPipelines: crm.category.list, then every funnel\'s crm.status.list in one batch, ordered by SORT', async () => {
    const { connector } = connectorHarness();
    const categories = capture('crm.category.list', fixture('rest/crm-category-list.json'));
    const defaultStages = fixture('rest/crm-status-list.json').result;
    const funnel9 = [
      { ID: '301', ENTITY_ID: 'DEAL_STAGE_9', STATUS_ID: 'C9:WON', NAME: 'Won', SORT: '20', SEMANTICS: 'S', EXTRA: { SEMANTICS: 'success' } },
      { ID: '302', ENTITY_ID: 'DEAL_STAGE_9', STATUS_ID: 'C9:NEW', NAME: 'New', SORT: '10', SEMANTICS: null, EXTRA: { SEMANTICS: 'process' } },
    ];
    const statuses = capture('batch', batchAnswer({ c9: funnel9, c10: [], c11: [], c0: defaultStages }));

    const pipelines = await connector.listPipelines();

    expect(categories[0]).toMatchObject({ entityTypeId: 2, start: 0 });
    expect(parseBatchCmd(statuses[0].cmd)).toEqual({
      c9: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'DEAL_STAGE_9' }, order: { SORT: 'ASC' } } },
      c10: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'DEAL_STAGE_10' }, order: { SORT: 'ASC' } } },
      c11: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'DEAL_STAGE_11' }, order: { SORT: 'ASC' } } },
      c0: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'DEAL_STAGE' }, order: { SORT: 'ASC' } } },
    });
    expect(pipelines.map((p) => [p.id, p.sort, p.isDefault])).toEqual([
      ['9', 200, false],
      ['10', 200, false],
      ['11', 200, false],
      ['0', 300, true],
    ]);
    expect(pipelines[0]!.stages.map((s) => [s.id, s.semantics])).toEqual([
      ['C9:NEW', 'process'],
      ['C9:WON', 'success'],
    ]);
    const general = pipelines[3]!;
    expect(general.name).toBe('General');
    expect(general.stages.map((s) => [s.id, s.sort, s.semantics])).toEqual(
      defaultStages.map((s: any) => [s.STATUS_ID, Number(s.SORT), s.SEMANTICS === 'S' ? 'success' : s.SEMANTICS === 'F' ? 'failure' : s.EXTRA.SEMANTICS === 'apology' ? 'failure' : 'process']),
    );
  });

  it('listUsers: user.get page by page (start += 50) while `next` says more', async () => {
    const { connector } = connectorHarness();
    const page1 = Array.from({ length: 50 }, (_, i) => ({ ID: String(i + 1), ACTIVE: true, NAME: `U${i + 1}`, LAST_NAME: '', EMAIL: '' }));
    const first = capture('user.get', { result: page1, next: 50, total: 52, time: TIME });
    const second = capture('user.get', { ...fixture('rest/user-get.json'), total: 52 });
    const users = await connector.listUsers();
    expect(first[0]).toMatchObject({ sort: 'ID', order: 'ASC', start: 0 });
    expect(second[0]).toMatchObject({ start: 50 });
    expect(users).toHaveLength(50 + fixture('rest/user-get.json').result.length);
    expect(users[50]).toEqual({ id: '1', name: 'Vadim Valeev', email: 'v.r.valeev@bitrix.com', active: true, isAdmin: false });
  });

  it('listStageHistory: the SDK callList pages by ID (start=-1, >ID cursor) until a short page', async () => {
    const { connector } = connectorHarness();
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ ID: from + i, TYPE_ID: 2, OWNER_ID: 759, CREATED_TIME: '2025-01-08T16:20:00+03:00', CATEGORY_ID: 1, STAGE_SEMANTIC_ID: 'P', STAGE_ID: 'C1:NEW' }));
    const first = capture('crm.stagehistory.list', { result: { items: rows(1, 50) }, time: TIME });
    const second = capture('crm.stagehistory.list', { result: { items: rows(51, 3) }, time: TIME });
    const history = await connector.listStageHistory(['759', '760']);
    expect(first[0]).toEqual({ entityTypeId: 2, filter: { '@OWNER_ID': ['759', '760'], '>ID': 0 }, order: { ID: 'ASC' }, start: -1, auth: expect.any(String) });
    expect(second[0].filter['>ID']).toBe(50);
    expect(history).toHaveLength(53);
  });

  it('listDealsModifiedSince: one page of crm.item.list by id, nextAfterId on a full page', async () => {
    const { connector } = connectorHarness();
    const items = Array.from({ length: 50 }, (_, i) => ({ ...dealItem().item, id: 800 + i }));
    const sent = capture('crm.item.list', { result: { items }, time: TIME });
    const page = await connector.listDealsModifiedSince(new Date('2025-01-01T00:00:00Z'), '799');
    expect(sent[0]).toMatchObject({
      entityTypeId: 2,
      filter: { '>=updatedTime': '2025-01-01T00:00:00.000Z', '>id': '799' },
      order: { id: 'ASC' },
      start: -1,
      useOriginalUfNames: 'Y',
    });
    expect(page.deals).toHaveLength(50);
    expect(page.nextAfterId).toBe('849');
  });

  it('getActivity: the activity, its deal bindings and call statistics in one batch', async () => {
    const { connector, budget } = connectorHarness();
    const activity = fixture('rest/crm-activity-get.json').result;
    const sent = capture(
      'batch',
      batchAnswer({
        activity,
        bindings: [
          { entityTypeId: 3, entityId: 15 },
          { entityTypeId: 2, entityId: 759 },
        ],
        calls: [{ CRM_ACTIVITY_ID: '999', CALL_DURATION: '95' }],
      }),
    );
    const found = await connector.getActivity('999');
    expect(budget.taken).toBe(1);
    expect(parseBatchCmd(sent[0].cmd)).toEqual({
      activity: { method: 'crm.activity.get', params: { id: '999' } },
      bindings: { method: 'crm.activity.binding.list', params: { activityId: '999' } },
      calls: { method: 'voximplant.statistic.get', params: { FILTER: { CRM_ACTIVITY_ID: '999' } } },
    });
    expect(found).toEqual({
      id: '999',
      kind: 'call',
      direction: 'out',
      durationSec: 95,
      completed: true,
      responsibleId: '505',
      // Owned by contact 15, bound to deal 759 as well.
      dealIds: ['759'],
      subject: 'Outgoing call Andrew Johnson',
      createdAt: '2020-09-27T11:26:55.000Z',
      startAt: '2020-09-27T11:25:00.000Z',
      deadline: '2020-09-27T11:25:00.000Z',
    });
  });

  it('getActivity: without the telephony scope the duration is unknown and never asked again', async () => {
    const { connector } = connectorHarness();
    const activity = fixture('rest/crm-activity-get.json').result;
    capture(
      'batch',
      batchAnswer({ activity, bindings: [] }, { calls: { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token' } }),
    );
    expect((await connector.getActivity('999'))!.durationSec).toBeNull();
    const again = capture('batch', batchAnswer({ activity, bindings: [] }));
    await connector.getActivity('999');
    expect(Object.keys(again[0].cmd)).toEqual(['activity', 'bindings']);
  });

  it('getActivity: "Activity is not found" (empty code) is null', async () => {
    const { connector } = connectorHarness();
    capture(
      'batch',
      batchAnswer({ calls: [] }, { activity: { error: '', error_description: 'Activity is not found' }, bindings: { error: 'NOT_FOUND', error_description: 'Element not found' } }),
    );
    await expect(connector.getActivity('1')).resolves.toBeNull();
  });

  it('listActivitiesModifiedSince: a page, one batch of bindings, one telephony call', async () => {
    const { connector, budget } = connectorHarness();
    const row = fixture('rest/crm-activity-list.json').result[0];
    const list = capture('crm.activity.list', { result: [row, { ...row, ID: '21', TYPE_ID: '1', PROVIDER_ID: 'CRM_MEETING', OWNER_TYPE_ID: '2', OWNER_ID: '759' }], time: TIME });
    const bindings = capture('batch', batchAnswer({ b0: [{ entityTypeId: 2, entityId: 760 }], b1: [{ entityTypeId: 2, entityId: 759 }] }));
    const calls = capture('voximplant.statistic.get', { result: [{ CRM_ACTIVITY_ID: '20', CALL_DURATION: '31' }], time: TIME });
    const page = await connector.listActivitiesModifiedSince(new Date('2025-01-01T00:00:00Z'));
    expect(list[0]).toMatchObject({ filter: { '>=LAST_UPDATED': '2025-01-01T00:00:00.000Z', '>ID': 0 }, order: { ID: 'ASC' }, start: -1 });
    expect(parseBatchCmd(bindings[0].cmd)).toEqual({
      b0: { method: 'crm.activity.binding.list', params: { activityId: '20' } },
      b1: { method: 'crm.activity.binding.list', params: { activityId: '21' } },
    });
    expect(calls[0].FILTER).toEqual({ CRM_ACTIVITY_ID: ['20'] });
    expect(page.activities.map((a) => [a.id, a.kind, a.dealIds, a.durationSec])).toEqual([
      ['20', 'call', ['760'], 31],
      ['21', 'meeting', ['759'], null],
    ]);
    expect(page.nextAfterId).toBeNull();
    expect(budget.taken).toBe(3);
  });
});

import { startHarness } from './support/harness.js';
import type { Harness } from './support/harness.js';

describe('Bitrix24 sandbox: CRM data the app reads and writes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('records stage history with the sandbox clock: created, intermediate, funnel change, final', async () => {
    const deal = h.sandbox.createDeal({ title: 'History', categoryId: 0 }, 3);
    h.clock.advance(1800);
    h.sandbox.moveDeal(deal.id, 'PREPARATION', 3);
    h.clock.advance(60);
    h.sandbox.moveDeal(deal.id, 'C1:EXECUTING', 4);
    h.clock.advance(60);
    h.sandbox.moveDeal(deal.id, 'C1:WON', 4);
    const res = await h.rest('crm.stagehistory.list', { entityTypeId: 2, filter: { OWNER_ID: deal.id }, order: { ID: 'ASC' } });
    expect(res.status).toBe(200);
    expect(res.data.total).toBe(4);
    expect(res.data.result.items).toEqual([
      { ID: 1001, TYPE_ID: 1, OWNER_ID: deal.id, CREATED_TIME: '2026-01-12T12:00:00+03:00', CATEGORY_ID: 0, STAGE_SEMANTIC_ID: 'P', STAGE_ID: 'NEW' },
      { ID: 1002, TYPE_ID: 2, OWNER_ID: deal.id, CREATED_TIME: '2026-01-12T12:30:00+03:00', CATEGORY_ID: 0, STAGE_SEMANTIC_ID: 'P', STAGE_ID: 'PREPARATION' },
      { ID: 1003, TYPE_ID: 5, OWNER_ID: deal.id, CREATED_TIME: '2026-01-12T12:31:00+03:00', CATEGORY_ID: 1, STAGE_SEMANTIC_ID: 'P', STAGE_ID: 'C1:EXECUTING' },
      { ID: 1004, TYPE_ID: 3, OWNER_ID: deal.id, CREATED_TIME: '2026-01-12T12:32:00+03:00', CATEGORY_ID: 1, STAGE_SEMANTIC_ID: 'S', STAGE_ID: 'C1:WON' },
    ]);
    const item = await h.rest('crm.item.get', { entityTypeId: 2, id: deal.id });
    expect(item.data.result.item).toMatchObject({ stageId: 'C1:WON', categoryId: 1, stageSemanticId: 'S', closed: 'Y', movedBy: 4, movedTime: '2026-01-12T12:32:00+03:00' });

    const selected = await h.rest('crm.stagehistory.list', { entityTypeId: 2, filter: { OWNER_ID: deal.id, '>=CREATED_TIME': '2026-01-12T12:31:00+03:00' }, select: ['STAGE_ID', 'CREATED_TIME'], order: { ID: 'DESC' } });
    expect(selected.data.result.items).toEqual([
      { CREATED_TIME: '2026-01-12T12:32:00+03:00', STAGE_ID: 'C1:WON' },
      { CREATED_TIME: '2026-01-12T12:31:00+03:00', STAGE_ID: 'C1:EXECUTING' },
    ]);
    const badField = await h.rest('crm.stagehistory.list', { entityTypeId: 2, filter: { DEAL_ID: 1 } });
    expect(badField.data).toEqual({ error: 'INVALID_ARG_VALUE', error_description: "Invalid filter: field 'DEAL_ID' is not allowed in filter" });
  });

  it('serves funnels and stages in SORT order with SEMANTICS and EXTRA.SEMANTICS', async () => {
    const categories = await h.rest('crm.category.list', { entityTypeId: 2 });
    expect(categories.data.result.categories.map((c: { id: number }) => c.id)).toEqual([1, 0]);
    const general = await h.rest('crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE' }, order: { SORT: 'ASC' } });
    expect(general.data.result.map((s: { STATUS_ID: string }) => s.STATUS_ID)).toEqual([
      'NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON', 'LOSE', 'APOLOGY',
    ]);
    expect(general.data.result[7]).toEqual({
      ID: '115', ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'APOLOGY', NAME: 'Failure reason analysis', NAME_INIT: '', SORT: '80', SYSTEM: 'N',
      CATEGORY_ID: null, COLOR: '#FF5752', SEMANTICS: 'F', EXTRA: { SEMANTICS: 'apology', COLOR: '#FF5752' },
    });
    const repeat = await h.rest('crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE_1' } });
    expect(repeat.data.result[0]).toMatchObject({ STATUS_ID: 'C1:NEW', CATEGORY_ID: '1', SEMANTICS: null });
    expect(repeat.data.total).toBe(6);
  });

  it('refuses a stage that does not belong to the deal’s funnel', async () => {
    const deal = h.sandbox.createDeal({ title: 'Strict' }, 1);
    const res = await h.rest('crm.item.update', { entityTypeId: 2, id: deal.id, fields: { stageId: 'C1:NEW' } });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ error: 'CRM_FIELD_ERROR_VALUE_NOT_VALID', error_description: 'Invalid value for field "Stage"' });
    expect(h.sandbox.stageHistory(deal.id)).toHaveLength(1);
  });

  it('lists activities by BINDINGS with string values, in START_TIME order; call talk time via voximplant.statistic.get', async () => {
    const withPhone = await startHarness({ scopes: ['crm', 'telephony'] });
    try {
      const s = withPhone.sandbox;
      const deal = s.createDeal({ title: 'Activities' }, 3);
      const other = s.createDeal({ title: 'Other' }, 3);
      const call = s.addActivity({ ownerTypeId: 3, ownerId: 21, extraBindings: [{ ownerTypeId: 2, ownerId: deal.id }], typeId: 2, direction: 2, subject: 'Outgoing call', callDurationSec: 95, completed: true, startTime: '2026-01-12T10:00:00+03:00' }, 3);
      const meeting = s.addActivity({ ownerId: deal.id, typeId: 1, subject: 'Demo', startTime: '2026-01-12T09:00:00+03:00', endTime: '2026-01-12T10:00:00+03:00' }, 4);
      s.addActivity({ ownerId: other.id, typeId: 1 }, 4);
      const res = await withPhone.rest('crm.activity.list', { filter: { BINDINGS: [{ OWNER_TYPE_ID: 2, OWNER_ID: deal.id }] } });
      expect(res.data.total).toBe(2);
      expect(res.data.result.map((a: { ID: string }) => a.ID)).toEqual([String(meeting.id), String(call.id)]);
      expect(res.data.result[1]).toMatchObject({
        OWNER_ID: '21', OWNER_TYPE_ID: '3', TYPE_ID: '2', PROVIDER_ID: 'VOXIMPLANT_CALL', PROVIDER_TYPE_ID: 'CALL', DIRECTION: '2',
        COMPLETED: 'Y', STATUS: '2', RESPONSIBLE_ID: '3', START_TIME: '2026-01-12T10:00:00+03:00', END_TIME: '2026-01-12T10:01:35+03:00',
        DEADLINE: '2026-01-12T10:00:00+03:00', SETTINGS: [],
      });
      const calls = await withPhone.rest('crm.activity.list', { filter: { TYPE_ID: 2, COMPLETED: 'Y' }, select: ['ID', 'RESPONSIBLE_ID'] });
      expect(calls.data.result).toEqual([{ ID: String(call.id), RESPONSIBLE_ID: '3' }]);
      const stat = await withPhone.rest('voximplant.statistic.get', { FILTER: { CRM_ACTIVITY_ID: call.id } });
      expect(stat.data.result).toEqual([expect.objectContaining({ CALL_DURATION: '95', CALL_TYPE: '1', PORTAL_USER_ID: '3', CRM_ENTITY_TYPE: 'DEAL', CRM_ENTITY_ID: String(deal.id) })]);
      const missing = await withPhone.rest('crm.activity.get', { id: 424242 });
      expect(missing.status).toBe(400);
      expect(missing.data).toEqual({ error: '', error_description: 'Activity is not found' });
    } finally {
      await withPhone.close();
    }
  });

  it('creates a deal enumeration field and lists it as documented; repeats and bad names fail', async () => {
    const add = await h.rest('crm.deal.userfield.add', {
      fields: { FIELD_NAME: 'stage_goal', USER_TYPE_ID: 'enumeration', XML_ID: 'SG_GOAL', LABEL: 'Stage goal', LIST: [{ VALUE: 'Goal reached', SORT: 10, XML_ID: 'reached' }, { VALUE: '' }, { VALUE: 'Not yet', SORT: 20 }] },
    });
    expect(add.data.result).toBe(6901);
    const list = await h.rest('crm.deal.userfield.list', { filter: { FIELD_NAME: 'UF_CRM_STAGE_GOAL' } });
    expect(list.data.result).toEqual([
      expect.objectContaining({
        ID: '6901', ENTITY_ID: 'CRM_DEAL', FIELD_NAME: 'UF_CRM_STAGE_GOAL', USER_TYPE_ID: 'enumeration', XML_ID: 'SG_GOAL', SORT: '100', MULTIPLE: 'N',
        EDIT_FORM_LABEL: 'Stage goal',
        LIST: [
          { ID: '3101', SORT: '10', VALUE: 'Goal reached', DEF: 'N', XML_ID: 'reached' },
          { ID: '3102', SORT: '20', VALUE: 'Not yet', DEF: 'N', XML_ID: expect.stringMatching(/^[0-9a-f]{32}$/) },
        ],
      }),
    ]);
    const again = await h.rest('crm.deal.userfield.add', { fields: { FIELD_NAME: 'UF_CRM_STAGE_GOAL', USER_TYPE_ID: 'enumeration' } });
    expect(again.data).toEqual({ error: 'ERROR_CORE', error_description: 'The field UF_CRM_STAGE_GOAL for the CRM_DEAL object already exists.' });
    const badName = await h.rest('crm.deal.userfield.add', { fields: { FIELD_NAME: 'цель', USER_TYPE_ID: 'string' } });
    expect(badName.data.error).toBe('ERROR_CORE');
    const manager = h.sandbox.issueTokens(3).accessToken;
    const denied = await h.rest('crm.deal.userfield.add', { fields: { FIELD_NAME: 'X', USER_TYPE_ID: 'string' } }, manager);
    expect(denied.data).toEqual({ error: '', error_description: 'Access denied.' });
    const item = await h.rest('crm.item.get', { entityTypeId: 2, id: h.sandbox.createDeal({}, 1).id });
    expect(item.data.result.item).toHaveProperty('ufCrmStageGoal', null);
  });

  it('adds tasks bound to a deal and finds them by documented filters only', async () => {
    const deal = h.sandbox.createDeal({ title: 'Tasks' }, 3);
    const add = await h.rest('tasks.task.add', {
      fields: { TITLE: 'Call the client [sg:abc123]', RESPONSIBLE_ID: 3, DEADLINE: '2026-01-13T18:00:00+03:00', UF_CRM_TASK: [`D_${deal.id}`], XML_ID: 'sg:abc123' },
    });
    expect(add.status).toBe(200);
    expect(add.data.result.task).toMatchObject({ id: '3701', title: 'Call the client [sg:abc123]', responsibleId: '3', createdBy: '1', status: '2', deadline: '2026-01-13T18:00:00+03:00', xmlId: 'sg:abc123' });
    expect(add.data.result.task).not.toHaveProperty('ufCrmTask');

    const found = await h.rest('tasks.task.list', { filter: { UF_CRM_TASK: `D_${deal.id}`, TITLE: '%[sg:abc123]%' }, select: ['ID', 'TITLE', 'UF_CRM_TASK'] });
    expect(found.data).toMatchObject({ result: { tasks: [{ id: '3701', title: 'Call the client [sg:abc123]', ufCrmTask: [`D_${deal.id}`] }] }, total: 1 });
    const byXml = await h.rest('tasks.task.list', { filter: { XML_ID: 'sg:abc123' } });
    expect(byXml.status).toBe(400);
    expect(byXml.data.error).toBe('0');

    h.clock.advance(2 * 86_400);
    const fresh = h.sandbox.issueTokens(1).accessToken;
    const overdue = await h.rest('tasks.task.list', { filter: { STATUS: -1 }, select: ['ID'] }, fresh);
    expect(overdue.data.result.tasks).toEqual([{ id: '3701' }]);

    const noTitle = await h.rest('tasks.task.add', { fields: { RESPONSIBLE_ID: 3 } }, fresh);
    expect(noTitle.data).toEqual({ error: 'ERROR_CORE', error_description: 'Task title is not specified<br>' });
    const ghost = await h.rest('tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 999 } }, fresh);
    expect(ghost.data.error_description).toContain('"Responsible" field not found');
  });

  it('timeline comments: add returns the id, list needs ENTITY_ID and ENTITY_TYPE', async () => {
    const deal = h.sandbox.createDeal({ title: 'Comments' }, 3);
    const add = await h.rest('crm.timeline.comment.add', { fields: { ENTITY_ID: deal.id, ENTITY_TYPE: 'deal', COMMENT: 'Stage skipped: rolled back' } });
    expect(add.data.result).toBe(901);
    const upper = await h.rest('crm.timeline.comment.add', { FIELDS: { ENTITY_ID: deal.id, ENTITY_TYPE: 'deal', COMMENT: 'x' } });
    expect(upper.status).toBe(400);
    const missing = await h.rest('crm.timeline.comment.add', { fields: { ENTITY_ID: 999999, ENTITY_TYPE: 'deal', COMMENT: 'x' } });
    expect(missing.data).toEqual({ error: 'NOT_FOUND', error_description: 'Not found.' });
    const list = await h.rest('crm.timeline.comment.list', { filter: { ENTITY_ID: deal.id, ENTITY_TYPE: 'deal' } });
    expect(list.data.result).toEqual([
      { ID: '901', ENTITY_ID: String(deal.id), ENTITY_TYPE: 'deal', CREATED: '2026-01-12T12:00:00+03:00', COMMENT: 'Stage skipped: rolled back', AUTHOR_ID: '1', FILES: {} },
    ]);
  });

  it('a notification with a TAG replaces the earlier one with the same TAG', async () => {
    const first = await h.rest('im.notify.system.add', { USER_ID: 3, MESSAGE: 'Deal #5 is stalled', TAG: 'sg|stalled|5' });
    const other = await h.rest('im.notify.system.add', { USER_ID: 3, MESSAGE: 'Deal #6 is stalled', TAG: 'sg|stalled|6' });
    const second = await h.rest('im.notify.system.add', { USER_ID: 3, MESSAGE: 'Deal #5 is still stalled', TAG: 'sg|stalled|5' });
    expect([first.data.result, other.data.result, second.data.result]).toEqual([12301, 12302, 12303]);
    expect(h.sandbox.notifications(3).map((n) => [n.id, n.message])).toEqual([
      [12302, 'Deal #6 is stalled'],
      [12303, 'Deal #5 is still stalled'],
    ]);
    expect(h.sandbox.replacedNotifications().map((n) => n.id)).toEqual([12301]);
    const personal = await h.rest('im.notify.personal.add', { USER_ID: 2, MESSAGE: '  Weekly digest  ' });
    expect(h.sandbox.notifications(2)).toEqual([expect.objectContaining({ id: personal.data.result, kind: 'personal', fromUserId: 1, message: 'Weekly digest' })]);
    const empty = await h.rest('im.notify.system.add', { USER_ID: 0, MESSAGE: 'x' });
    expect(empty.data).toEqual({ error: 'USER_ID_EMPTY', error_description: "User ID can't be empty" });
    const dismissed = await h.rest('im.notify.system.add', { USER_ID: 6, MESSAGE: 'x' });
    expect(dismissed.data.result).toBe(false);
  });

  it('keeps a universal list for metrics: list, fields, elements, get with values keyed by value id', async () => {
    const list = await h.rest('lists.add', { IBLOCK_TYPE_ID: 'lists', IBLOCK_CODE: 'sg_metrics', FIELDS: { NAME: 'Stageguard metrics' } });
    expect(list.data.result).toBe(101);
    const dup = await h.rest('lists.add', { IBLOCK_TYPE_ID: 'lists', IBLOCK_CODE: 'sg_metrics', FIELDS: { NAME: 'again' } });
    expect(dup.data).toEqual({ error: 'ERROR_IBLOCK_ALREADY_EXISTS', error_description: 'Iblock already exists' });
    const field = await h.rest('lists.field.add', { IBLOCK_TYPE_ID: 'lists', IBLOCK_CODE: 'sg_metrics', FIELDS: { NAME: 'Calls', TYPE: 'N', CODE: 'CALLS' } });
    expect(field.data.result).toBe('PROPERTY_1151');
    const el = await h.rest('lists.element.add', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 101, ELEMENT_CODE: 'u3-2026-01', FIELDS: { NAME: 'Irina, Jan 2026', PROPERTY_1151: '12' } });
    expect(el.data.result).toBe(6901);
    await h.rest('lists.element.update', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 101, ELEMENT_CODE: 'u3-2026-01', FIELDS: { NAME: 'Irina, Jan 2026', PROPERTY_1151: '14' } });
    const got = await h.rest('lists.element.get', { IBLOCK_TYPE_ID: 'lists', IBLOCK_CODE: 'sg_metrics', ELEMENT_CODE: 'u3-2026-01' });
    expect(got.data.total).toBe(1);
    expect(got.data.result[0]).toMatchObject({ ID: '6901', NAME: 'Irina, Jan 2026', CODE: 'u3-2026-01', CREATED_BY: '1' });
    expect(Object.values(got.data.result[0].PROPERTY_1151)).toEqual(['14']);
    const missing = await h.rest('lists.element.update', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 101, ELEMENT_ID: 1, FIELDS: { NAME: 'x' } });
    expect(missing.data).toEqual({ error: 'ERROR_ELEMENT_NOT_FOUND', error_description: 'Element not found' });
  });

  it('placement.bind is admin-only, refuses repeats and codes outside the app scopes; unbind counts as documented', async () => {
    const bind = await h.rest('placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'https://app.example/tab', TITLE: 'Stageguard', LANG_ALL: { en: { TITLE: 'Stageguard' } } });
    expect(bind.data.result).toBe(true);
    const again = await h.rest('placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'https://app.example/tab' });
    expect(again.status).toBe(400);
    expect(again.data.error).toBe('ERROR_CORE');
    const unknown = await h.rest('placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TABS', HANDLER: 'https://app.example/tab' });
    expect(unknown.data.error).toBe('ERROR_PLACEMENT_NOT_FOUND');
    const asManager = await h.rest('placement.bind', { PLACEMENT: 'LEFT_MENU', HANDLER: 'https://app.example/page' }, h.sandbox.issueTokens(3).accessToken);
    expect(asManager.status).toBe(403);
    const get = await h.rest('placement.get');
    expect(get.data.result).toEqual([
      { placement: 'CRM_DEAL_DETAIL_TAB', userId: 0, handler: 'https://app.example/tab', options: [], title: 'Stageguard', description: '', langAll: { en: { TITLE: 'Stageguard', DESCRIPTION: '', GROUP_NAME: '' } } },
    ]);
    const unbind = await h.rest('placement.unbind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB' });
    expect(unbind.data.result).toEqual({ count: 2 });
  });

  it('user.get returns the seeded team, filterable, dismissed users included unless ACTIVE is asked', async () => {
    const all = await h.rest('user.get');
    expect(all.data.total).toBe(6);
    const active = await h.rest('user.get', { FILTER: { ACTIVE: true, WORK_POSITION: 'Sales Manager' } });
    expect(active.data.result.map((u: { ID: string }) => u.ID)).toEqual(['3', '4', '5']);
  });
});

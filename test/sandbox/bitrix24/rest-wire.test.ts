import { http, startHarness } from './support/harness.js';
import type { Harness } from './support/harness.js';

describe('Bitrix24 sandbox: REST wire format', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('every success carries the documented time block in the portal time zone', async () => {
    const res = await h.rest('app.info');
    expect(res.status).toBe(200);
    const start = h.clock.now() / 1000;
    expect(res.data.time).toEqual({
      start,
      finish: start,
      duration: 0,
      processing: 0,
      date_start: '2026-01-12T12:00:00+03:00',
      date_finish: '2026-01-12T12:00:00+03:00',
      operating_reset_at: start + 600,
      operating: 0,
    });
  });

  it('accepts GET with the auth in the query, and the .json suffix', async () => {
    const res = await http.get(`${h.url}/rest/user.current.json?auth=${h.token}`);
    expect(res.status).toBe(200);
    expect(res.data.result).toMatchObject({ ID: '1', NAME: 'Olga', LAST_NAME: 'Sokolova', ACTIVE: true, UF_DEPARTMENT: [1] });
  });

  it('reads form bodies with PHP bracket keys: fields[...], filter[>id], select[]', async () => {
    const add = await h.restForm('crm.item.add', 'entityTypeId=2&fields[title]=Form+deal&fields[opportunity]=1500.5&fields[assignedById]=3&fields[contactIds][]=21');
    expect(add.status).toBe(200);
    expect(add.data.result.item).toMatchObject({ title: 'Form deal', opportunity: 1500.5, assignedById: 3, contactIds: [21], contactId: 21, stageId: 'NEW', categoryId: 0 });
    const id = add.data.result.item.id as number;
    h.sandbox.createDeal({ title: 'Other' }, 1);

    const list = await h.restForm('crm.item.list', `entityTypeId=2&filter[%3E%3Did]=${id}&filter[assignedById]=3&select[]=id&select[]=title&order[id]=ASC`);
    expect(list.status).toBe(200);
    expect(list.data).toMatchObject({ result: { items: [{ id, title: 'Form deal' }] }, total: 1 });
    expect(Object.keys(list.data.result.items[0])).toEqual(['id', 'title']);
  });

  it('answers 401 NO_AUTH_FOUND without a token or with a wrong one', async () => {
    const none = await http.post(`${h.url}/rest/app.info`, {});
    expect(none.status).toBe(401);
    expect(none.data).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
    const wrong = await h.rest('app.info', {}, 'deadbeef');
    expect(wrong.status).toBe(401);
    expect(wrong.data.error).toBe('NO_AUTH_FOUND');
  });

  it('answers 404 ERROR_METHOD_NOT_FOUND for an unknown method (the frozen crm.deal.* are not served)', async () => {
    const res = await h.rest('crm.deal.get', { id: 1 });
    expect(res.status).toBe(404);
    expect(res.data).toEqual({ error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
  });

  it('answers 403 insufficient_scope when the app lacks the scope', async () => {
    const narrow = await startHarness({ scopes: ['crm'] });
    try {
      const res = await narrow.rest('tasks.task.list');
      expect(res.status).toBe(403);
      expect(res.data.error).toBe('insufficient_scope');
    } finally {
      await narrow.close();
    }
  });

  it('crm.item.get of a missing deal is HTTP 400 NOT_FOUND, as documented (not 404)', async () => {
    const res = await h.rest('crm.item.get', { entityTypeId: 2, id: 99999 });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ error: 'NOT_FOUND', error_description: 'Element not found' });
    const noType = await h.rest('crm.item.get', { entityTypeId: 777, id: 1 });
    expect(noType.data).toEqual({ error: 'NOT_FOUND', error_description: 'SPA not found' });
  });

  it('crm.item.list refuses an UPPER_CASE filter field with INVALID_ARG_VALUE', async () => {
    const res = await h.rest('crm.item.list', { entityTypeId: 2, filter: { STAGE_ID: 'NEW' } });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ error: 'INVALID_ARG_VALUE', error_description: "Invalid filter: field 'STAGE_ID' is not allowed in filter" });
  });

  it('pages lists by 50 with next/total; start=-1 skips the count and gives no next', async () => {
    for (let i = 0; i < 120; i++) h.sandbox.createDeal({ title: `Deal ${i}` }, 3);
    const first = await h.rest('crm.item.list', { entityTypeId: 2, select: ['id'] });
    expect(first.data.result.items).toHaveLength(50);
    expect(first.data.next).toBe(50);
    expect(first.data.total).toBe(120);
    const last = await h.rest('crm.item.list', { entityTypeId: 2, select: ['id'], start: 100 });
    expect(last.data.result.items).toHaveLength(20);
    expect(last.data).not.toHaveProperty('next');
    expect(last.data.total).toBe(120);
    const noCount = await h.rest('crm.item.list', { entityTypeId: 2, select: ['id'], start: -1, order: { id: 'ASC' }, filter: { '>id': 150 } });
    expect(noCount.data.total).toBe(0);
    expect(noCount.data).not.toHaveProperty('next');
    expect(noCount.data.result.items[0].id).toBe(151);
    expect(noCount.data.result.items).toHaveLength(50);
  });

  it('custom fields: camelCase by default, original names with useOriginalUfNames=Y; UPPER_CASE input is ignored in camelCase mode', async () => {
    const uf = await h.rest('crm.deal.userfield.add', {
      fields: { FIELD_NAME: 'SG_GOAL', USER_TYPE_ID: 'enumeration', LABEL: 'Stage goal', LIST: [{ VALUE: 'Reached' }, { VALUE: 'Missed', XML_ID: 'missed' }] },
    });
    expect(uf.status).toBe(200);
    const field = h.sandbox.userFields()[0];
    expect(field.fieldName).toBe('UF_CRM_SG_GOAL');
    const [reached, missed] = field.list;
    const deal = h.sandbox.createDeal({ title: 'UF deal' }, 3);

    const ignored = await h.rest('crm.item.update', { entityTypeId: 2, id: deal.id, fields: { UF_CRM_SG_GOAL: reached.id } });
    expect(ignored.data.result.item.ufCrmSgGoal).toBeNull();

    const set = await h.rest('crm.item.update', { entityTypeId: 2, id: deal.id, fields: { ufCrmSgGoal: missed.id } });
    expect(set.data.result.item.ufCrmSgGoal).toBe(missed.id);
    const original = await h.rest('crm.item.get', { entityTypeId: 2, id: deal.id, useOriginalUfNames: 'Y' });
    expect(original.data.result.item.UF_CRM_SG_GOAL).toBe(missed.id);
    expect(original.data.result.item).not.toHaveProperty('ufCrmSgGoal');

    const bad = await h.rest('crm.item.update', { entityTypeId: 2, id: deal.id, fields: { ufCrmSgGoal: 424242 } });
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual({ error: 'CRM_FIELD_ERROR_VALUE_NOT_VALID', error_description: 'Invalid value for field "Stage goal"' });
  });

  it('legacy CRM errors keep their empty error code', async () => {
    const res = await h.rest('crm.company.update', { id: 4040, fields: { TITLE: 'x' } });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ error: '', error_description: 'Company is not found' });
  });

  it('rejects an unparseable JSON body with 400', async () => {
    const res = await http.post(`${h.url}/rest/app.info?auth=${h.token}`, '{"broken', { headers: { 'Content-Type': 'application/json' }, transformRequest: [(d) => d] });
    expect(res.status).toBe(400);
    expect(res.data.error).toBe('ERROR_ARGUMENT');
  });
});

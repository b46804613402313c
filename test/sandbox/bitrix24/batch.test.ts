import { startHarness } from './support/harness.js';
import type { Harness } from './support/harness.js';

describe('Bitrix24 sandbox: batch', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('returns result / result_error / result_total / result_next / result_time keyed by command', async () => {
    const deal = h.sandbox.createDeal({ title: 'Batch me', assignedById: 4 }, 4);
    for (let i = 0; i < 60; i++) h.sandbox.createDeal({ title: `Filler ${i}` }, 1);
    const res = await h.rest('batch', {
      halt: 0,
      cmd: {
        deal: `crm.item.get?entityTypeId=2&id=${deal.id}`,
        owner: 'user.get?ID=$result[deal][item][assignedById]',
        history: `crm.stagehistory.list?entityTypeId=2&filter[OWNER_ID]=${deal.id}`,
        all: 'crm.item.list?entityTypeId=2&select[]=id',
        missing: 'crm.item.get?entityTypeId=2&id=1',
      },
    });
    expect(res.status).toBe(200);
    const r = res.data.result;
    expect(Object.keys(r)).toEqual(['result', 'result_error', 'result_total', 'result_next', 'result_time']);
    expect(r.result.deal.item.title).toBe('Batch me');
    expect(r.result.owner).toEqual([expect.objectContaining({ ID: '4', NAME: 'Dmitry' })]);
    expect(r.result.history.items).toHaveLength(1);
    expect(r.result.all.items).toHaveLength(50);
    expect(r.result_error).toEqual({ missing: { error: 'NOT_FOUND', error_description: 'Element not found' } });
    expect(r.result_total).toEqual({ owner: 1, history: 1, all: 61 });
    expect(r.result_next).toEqual({ all: 50 });
    expect(Object.keys(r.result_time)).toEqual(['deal', 'owner', 'history', 'all']);
    expect(Object.keys(r.result_time.deal)).toEqual(['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish']);
    expect(Object.keys(res.data.time)).toEqual(['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish']);
  });

  it('halt=1 stops at the first failure; empty sections are JSON arrays, as PHP encodes them', async () => {
    const res = await h.rest('batch', { halt: 1, cmd: { a: 'crm.item.get?entityTypeId=2&id=5', b: 'app.info' } });
    expect(res.data.result).toEqual({
      result: [],
      result_error: { a: { error: 'NOT_FOUND', error_description: 'Element not found' } },
      result_total: [],
      result_next: [],
      result_time: [],
    });
  });

  it('an array cmd gives array results', async () => {
    const res = await h.rest('batch', { cmd: ['app.info', 'user.current'] });
    expect(Array.isArray(res.data.result.result)).toBe(true);
    expect(res.data.result.result[1].ID).toBe('1');
    expect(res.data.result.result_error).toEqual([]);
  });

  it('refuses more than 50 commands with 400 ERROR_BATCH_LENGTH_EXCEEDED and a nested batch per command', async () => {
    const cmd = Array.from({ length: 51 }, () => 'app.info');
    const res = await h.rest('batch', { cmd });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' });
    const nested = await h.rest('batch', { cmd: { inner: 'batch?cmd[x]=app.info' } });
    expect(nested.status).toBe(200);
    expect(nested.data.result.result_error.inner.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
  });

  it('works form-encoded, with the command query strings encoded once more', async () => {
    const deal = h.sandbox.createDeal({ title: 'Form batch' }, 1);
    const inner = encodeURIComponent(`crm.item.get?entityTypeId=2&id=${deal.id}`);
    const res = await h.restForm('batch', `halt=0&cmd[get]=${inner}`);
    expect(res.data.result.result.get.item.title).toBe('Form batch');
  });

  it('reports insufficient_scope per command with an empty description, as batch.md shows', async () => {
    const narrow = await startHarness({ scopes: ['crm'] });
    try {
      const res = await narrow.rest('batch', { cmd: { get_user: 'user.current' } });
      expect(res.data.result.result_error).toEqual({ get_user: { error: 'insufficient_scope', error_description: '' } });
    } finally {
      await narrow.close();
    }
  });
});

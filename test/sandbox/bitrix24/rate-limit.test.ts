import { startHarness } from './support/harness.js';
import type { Harness } from './support/harness.js';

describe('Bitrix24 sandbox: leaky bucket', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('lets a burst of 50 through, answers 503 QUERY_LIMIT_EXCEEDED to the 51st, and drains 2 per second', async () => {
    h = await startHarness();
    for (let i = 0; i < 50; i++) expect((await h.rest('app.info')).status).toBe(200);
    const refused = await h.rest('crm.category.list', { entityTypeId: 2 });
    expect(refused.status).toBe(503);
    expect(refused.data).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });

    h.clock.advance(0.999);
    expect((await h.rest('app.info')).status).toBe(503);
    h.clock.advance(0.001);
    expect((await h.rest('app.info')).status).toBe(200);
    expect((await h.rest('app.info')).status).toBe(200);
    expect((await h.rest('app.info')).status).toBe(503);

    h.clock.advance(25);
    expect(h.sandbox.bucketLevel()).toBe(0);
    const stats = h.sandbox.stats();
    expect(stats.perMethod['app.info']).toBe(52);
    expect(stats.rejected).toBe(3);
    expect(stats.rejectedByMethod).toEqual({ 'crm.category.list': 1, 'app.info': 2 });
    expect(stats.errors.QUERY_LIMIT_EXCEEDED).toBe(3);
  });

  it('counts a batch of 50 commands as one request', async () => {
    h = await startHarness();
    const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'app.info']));
    for (let i = 0; i < 50; i++) {
      const res = await h.rest('batch', { cmd });
      expect(res.status).toBe(200);
    }
    expect((await h.rest('batch', { cmd })).status).toBe(503);
    expect(h.sandbox.stats().perMethod).toMatchObject({ batch: 50, 'app.info': 2500 });
    expect(h.sandbox.stats().httpRequests).toBe(51);
  });

  it('Enterprise: 250 before blocking, 5 per second, and app.info reports the plan', async () => {
    h = await startHarness({ plan: 'enterprise' });
    const info = await h.rest('app.info');
    expect(info.data.result).toMatchObject({ LICENSE: 'en_ent250', LICENSE_TYPE: 'ent250', LICENSE_FAMILY: 'ent', INSTALLED: false });
    for (let i = 0; i < 249; i++) expect((await h.rest('app.info')).status).toBe(200);
    expect((await h.rest('app.info')).status).toBe(503);
    h.clock.advance(1);
    for (let i = 0; i < 5; i++) expect((await h.rest('app.info')).status).toBe(200);
    expect((await h.rest('app.info')).status).toBe(503);
  });

  it('a standard plan reports a non-Enterprise LICENSE', async () => {
    h = await startHarness();
    const info = await h.rest('app.info');
    expect(info.data.result).toMatchObject({ LICENSE: 'en_pro100', LICENSE_FAMILY: 'pro', STATUS: 'F', CODE: 'stageguard', VERSION: 1 });
  });

  it('does not count requests refused for auth', async () => {
    h = await startHarness();
    for (let i = 0; i < 60; i++) await h.rest('app.info', {}, 'wrong-token');
    expect(h.sandbox.bucketLevel()).toBe(0);
    expect((await h.rest('app.info')).status).toBe(200);
  });
});

describe('Bitrix24 sandbox: operating limit', () => {
  it('answers 429 OPERATION_TIME_LIMIT for a blocked method until its reset, batch commands included', async () => {
    const h = await startHarness();
    try {
      h.sandbox.blockMethod('crm.item.list', 30);
      const blocked = await h.rest('crm.item.list', { entityTypeId: 2 });
      expect(blocked.status).toBe(429);
      expect(blocked.data.error).toBe('OPERATION_TIME_LIMIT');
      expect((await h.rest('crm.item.get', { entityTypeId: 2, id: 1 })).data.error).toBe('NOT_FOUND');
      const batch = await h.rest('batch', { cmd: { l: 'crm.item.list?entityTypeId=2' } });
      expect(batch.data.result.result_error.l.error).toBe('OPERATION_TIME_LIMIT');
      h.clock.advance(30);
      expect((await h.rest('crm.item.list', { entityTypeId: 2 })).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

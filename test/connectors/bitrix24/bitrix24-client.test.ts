import nock from 'nock';
import { HostApiError } from '../../../src/connectors/host-api-error.js';
import { harness, OAUTH, PORTAL, restPath, TIME, TOKENS, useNock } from './support.js';

useNock();

describe('Bitrix24Client', () => {
  it('POSTs JSON to /rest/{method} with the access token in the body, one budget unit per request', async () => {
    const h = harness();
    let seen: { body: any; query: string } | null = null;
    nock(PORTAL)
      .post(restPath('crm.item.get'))
      .reply(async (req: Request) => {
        seen = { body: await req.json(), query: new URL(req.url).search };
        return [200, { result: { item: { id: 759 } }, time: TIME }];
      });
    await expect(h.client.call('crm.item.get', { entityTypeId: 2, id: 759 })).resolves.toEqual({ item: { id: 759 } });
    expect(seen!.body).toEqual({ entityTypeId: 2, id: 759, auth: TOKENS.accessToken });
    expect(seen!.query).toContain('bx24_sdk_type=b24-js-sdk');
    expect(h.budget.taken).toBe(1);
  });

  it('refuses a plain-http endpoint unless allowInsecureLoopback is on, then works on it', async () => {
    expect(() => harness({ clientEndpoint: 'http://127.0.0.1:8089/rest/' })).toThrow(/allowInsecureLoopback/);
    expect(() => harness({ clientEndpoint: 'http://portal.example.com/rest/', allowInsecureLoopback: true })).toThrow(/not https/);
    expect(() => harness({ serverEndpoint: 'http://127.0.0.1:8089/rest/', clientEndpoint: 'https://x.bitrix24.com/rest/' })).toThrow(
      /OAuth server .*allowInsecureLoopback/,
    );
    const h = harness({ clientEndpoint: 'http://127.0.0.1:8089/rest/', serverEndpoint: 'http://127.0.0.1:8089/rest/', allowInsecureLoopback: true });
    nock('http://127.0.0.1:8089').post(restPath('app.info')).reply(200, { result: { LICENSE_FAMILY: 'ent' }, time: TIME });
    await expect(h.client.call('app.info')).resolves.toEqual({ LICENSE_FAMILY: 'ent' });
  });

  it('on expired_token refreshes exactly once through the token store, stores the rotated pair, retries', async () => {
    const h = harness();
    const bodies: any[] = [];
    nock(PORTAL)
      .post(restPath('crm.item.get'))
      .reply(401, { error: 'expired_token', error_description: 'The access token provided has expired.' })
      .post(restPath('crm.item.get'), (body) => {
        bodies.push(body);
        return true;
      })
      .reply(200, { result: { item: { id: 1 } }, time: TIME });
    let refreshQuery: Record<string, string> | null = null;
    nock(OAUTH)
      .get('/oauth/token/')
      .query((q) => {
        refreshQuery = q as Record<string, string>;
        return true;
      })
      .reply(200, {
        access_token: 'new-access',
        client_endpoint: `${PORTAL}/rest/`,
        domain: 'oauth.bitrix.info',
        expires: 1757428272,
        expires_in: 3600,
        member_id: 'a223c6b3710f85df22e9377d6c4f7553',
        refresh_token: 'new-refresh',
        scope: 'crm',
        server_endpoint: `${OAUTH}/rest/`,
        status: 'L',
        user_id: 1,
      });
    await expect(h.client.call('crm.item.get', { entityTypeId: 2, id: 1 })).resolves.toEqual({ item: { id: 1 } });
    expect(refreshQuery).toEqual({ grant_type: 'refresh_token', client_id: 'app.test', client_secret: 'secret', refresh_token: TOKENS.refreshToken });
    expect(h.store.refreshCalls).toBe(1);
    expect(h.store.saved).toEqual([{ accessToken: 'new-access', refreshToken: 'new-refresh', expiresAt: new Date(1757428272 * 1000) }]);
    expect(bodies[0].auth).toBe('new-access');
    // Both portal requests were budgeted, the SDK's own retry after the refresh included.
    expect(h.budget.taken).toBe(2);
  });

  it('does not refresh when another process already rotated the token', async () => {
    const h = harness();
    // Another worker refreshed meanwhile: the store holds a newer pair than the SDK's.
    h.store.tokens = { accessToken: 'rotated-elsewhere', refreshToken: 'r2', expiresAt: new Date('2030-01-01T00:00:00Z') };
    const bodies: any[] = [];
    nock(PORTAL)
      .post(restPath('app.info'))
      .reply(401, { error: 'expired_token', error_description: 'expired' })
      .post(restPath('app.info'), (body) => {
        bodies.push(body);
        return true;
      })
      .reply(200, { result: {}, time: TIME });
    // No OAuth interceptor: a refresh request would fail the test (net connect is disabled).
    await h.client.call('app.info').catch(() => undefined);
    expect(h.store.saved).toEqual([]);
    expect(bodies[0]?.auth).toBe('rotated-elsewhere');
  });

  it('invalid_grant → AUTH_REVOKED, one refresh attempt, and no further requests', async () => {
    const h = harness();
    nock(PORTAL).post(restPath('crm.item.get')).reply(401, { error: 'expired_token', error_description: 'expired' });
    nock(OAUTH).get('/oauth/token/').query(true).reply(400, { error: 'invalid_grant', error_description: 'Invalid grant' });
    const error = await h.client.call('crm.item.get', { entityTypeId: 2, id: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostApiError);
    expect(error).toMatchObject({ code: 'AUTH_REVOKED', hostCode: 'invalid_grant' });
    expect(h.store.refreshCalls).toBe(1);
    // Latched: the next call fails without any request (nock would reject one).
    await expect(h.client.call('app.info')).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
    expect(h.budget.taken).toBe(1);
  });

  it('expired_token again after the refresh → AUTH_EXPIRED, not a loop', async () => {
    const h = harness();
    nock(PORTAL).post(restPath('app.info')).times(2).reply(401, { error: 'expired_token', error_description: 'expired' });
    nock(OAUTH).get('/oauth/token/').query(true).reply(200, { access_token: 'a2', refresh_token: 'r2', expires_in: 3600 });
    await expect(h.client.call('app.info')).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    expect(h.store.refreshCalls).toBe(1);
  });

  it('503 QUERY_LIMIT_EXCEEDED is waited out (portal-wide block) and retried, for a create too', async () => {
    const h = harness();
    nock(PORTAL)
      .post(restPath('tasks.task.add'))
      .reply(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
      .post(restPath('tasks.task.add'))
      .reply(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
      .post(restPath('tasks.task.add'))
      .reply(200, { result: { task: { id: '3711' } }, time: TIME });
    await expect(h.client.call('tasks.task.add', { fields: { TITLE: 'x' } }, { create: true })).resolves.toEqual({ task: { id: '3711' } });
    expect(h.budget.blocks.map((d) => d.getTime() - new Date('2025-09-09T13:31:12Z').getTime())).toEqual([1000, 2000]);
    expect(h.budget.taken).toBe(3);
  });

  it('gives up on throttling after the policy limit with RATE_LIMITED', async () => {
    const h = harness({ maxThrottleRetries: 1 });
    nock(PORTAL).post(restPath('app.info')).times(2).reply(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
    await expect(h.client.call('app.info')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('429 OPERATION_TIME_LIMIT waits until operating_reset_at, then retries', async () => {
    const h = harness();
    const now = new Date('2025-09-09T13:31:12Z').getTime() / 1000;
    nock(PORTAL)
      .post(restPath('crm.item.list'))
      .reply(429, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.', time: { ...TIME, operating_reset_at: now + 20 } })
      .post(restPath('crm.item.list'))
      .reply(200, { result: { items: [] }, time: TIME });
    await expect(h.client.call('crm.item.list', { entityTypeId: 2 })).resolves.toEqual({ items: [] });
    expect(h.sleeps).toEqual([20_000]);
    expect(h.budget.blocks).toEqual([]);
  });

  it('a long operating block goes back to the queue with retryAfterSec', async () => {
    const h = harness();
    const now = new Date('2025-09-09T13:31:12Z').getTime() / 1000;
    nock(PORTAL)
      .post(restPath('crm.item.list'))
      .reply(429, { error: 'OPERATION_TIME_LIMIT', error_description: 'blocked', time: { ...TIME, operating_reset_at: now + 400 } });
    await expect(h.client.call('crm.item.list', { entityTypeId: 2 })).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSec: 400 });
  });

  it('a create that times out is AMBIGUOUS and never sent twice', async () => {
    const h = harness({ requestTimeoutMs: 50 });
    nock(PORTAL).post(restPath('crm.timeline.comment.add')).delay(300).reply(200, { result: 999, time: TIME });
    await expect(
      h.client.call('crm.timeline.comment.add', { fields: { ENTITY_ID: 759, ENTITY_TYPE: 'deal', COMMENT: 'x' } }, { create: true }),
    ).rejects.toMatchObject({ code: 'AMBIGUOUS' });
    expect(h.budget.taken).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('a read that hits a reset is retried by policy', async () => {
    const h = harness();
    nock(PORTAL)
      .post(restPath('crm.item.get'))
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .post(restPath('crm.item.get'))
      .reply(200, { result: { item: { id: 5 } }, time: TIME });
    await expect(h.client.call('crm.item.get', { entityTypeId: 2, id: 5 })).resolves.toEqual({ item: { id: 5 } });
    expect(h.sleeps).toEqual([500]);
  });

  it('a legacy empty-code error keeps its meaning (the SDK alone would report ERR_BAD_REQUEST)', async () => {
    const h = harness();
    nock(PORTAL).post(restPath('crm.activity.get')).reply(400, { error: '', error_description: 'Activity is not found' });
    await expect(h.client.call('crm.activity.get', { id: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND', status: 400, hostCode: null });
  });

  it('an error in a 200 answer is an error (placement.bind)', async () => {
    const h = harness();
    nock(PORTAL).post(restPath('placement.bind')).reply(200, { error: 'ERROR_ARGUMENT', error_description: "Argument 'PLACEMENT' is null or empty" });
    await expect(h.client.call('placement.bind', {})).rejects.toMatchObject({ code: 'VALIDATION', hostCode: 'ERROR_ARGUMENT' });
  });

  it('a failing rate budget is not mistaken for the host', async () => {
    const h = harness();
    h.budget.take = async () => {
      throw new Error('database is down');
    };
    await expect(h.client.call('app.info')).rejects.toThrow('database is down');
  });

  it('counts each HTTP request for metrics', async () => {
    const calls: string[] = [];
    const h = harness({ onCall: (method, outcome) => calls.push(`${method}:${outcome}`) });
    nock(PORTAL)
      .post(restPath('app.info'))
      .reply(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
      .post(restPath('app.info'))
      .reply(200, { result: {}, time: TIME });
    await h.client.call('app.info');
    expect(calls).toEqual(['app.info:error', 'app.info:ok']);
  });
});

describe('Bitrix24Client under concurrency', () => {
  it('concurrent expired_token answers share one refresh', async () => {
    const h = harness();
    nock(PORTAL).post(restPath('app.info')).times(3).reply(401, { error: 'expired_token', error_description: 'expired' });
    nock(PORTAL).post(restPath('app.info')).times(3).reply(200, { result: {}, time: TIME });
    nock(OAUTH).get('/oauth/token/').query(true).delay(20).reply(200, { access_token: 'a2', refresh_token: 'r2', expires_in: 3600 });
    await Promise.all([h.client.call('app.info'), h.client.call('app.info'), h.client.call('app.info')]);
    expect(h.store.saved).toHaveLength(1);
  });

  it('a batch of more than 50 commands is refused before sending', async () => {
    const h = harness();
    const commands = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, { method: 'app.info', params: {} }]));
    await expect(h.client.batch(commands)).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

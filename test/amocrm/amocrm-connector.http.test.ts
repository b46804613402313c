import nock from 'nock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, CLIENT, NOW, api, harness, useNock } from './connector-harness.js';
import { jsonFixture } from './form-fixture.js';

useNock();

const TOKEN_BODY = (access: string, refresh: string) => ({ token_type: 'Bearer', expires_in: 86400, access_token: access, refresh_token: refresh });

describe('AmoApiClient behaviour through the connector', () => {
  it('refreshes exactly once on 401, persists the rotated pair before retrying', async () => {
    const { connector, store, budget } = harness();
    api('A1').get('/api/v4/users').query(true).reply(401, jsonFixture('errors/unauthorized-401.json'));
    nock(BASE)
      .post('/oauth2/access_token', { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: 'R1', redirect_uri: CLIENT.redirectUri })
      .reply(200, TOKEN_BODY('A2', 'R2'));
    let savedBeforeRetry: string[] = [];
    api('A2')
      .get('/api/v4/users')
      .query(true)
      .reply(() => {
        savedBeforeRetry = store.saved.map((t) => t.refreshToken);
        return [200, jsonFixture('api/users.json')];
      });

    expect(await connector.listUsers()).toHaveLength(2);
    expect(savedBeforeRetry).toEqual(['R2']);
    expect(await store.load()).toEqual({ accessToken: 'A2', refreshToken: 'R2', expiresAt: new Date(NOW.getTime() + 86_400_000) });
    // Request, refresh, retry: each drew on the budget.
    expect(budget.takes).toBe(3);
  });

  it('gives up as AUTH_REVOKED when the refreshed token is refused too (no second refresh)', async () => {
    const { connector } = harness();
    api('A1').get('/api/v4/users').query(true).reply(401, jsonFixture('errors/unauthorized-401.json'));
    nock(BASE).post('/oauth2/access_token').once().reply(200, TOKEN_BODY('A2', 'R2'));
    api('A2').get('/api/v4/users').query(true).reply(401, jsonFixture('errors/unauthorized-401.json'));
    await expect(connector.listUsers()).rejects.toMatchObject({ code: 'AUTH_REVOKED', hostCode: 'UNAUTHORIZED_AFTER_REFRESH' });
  });

  it('maps a refused refresh token to AUTH_REVOKED and keeps the old pair', async () => {
    const { connector, store } = harness();
    api('A1').get('/api/v4/users').query(true).reply(401, jsonFixture('errors/unauthorized-401.json'));
    nock(BASE).post('/oauth2/access_token').reply(400, jsonFixture('errors/oauth-invalid-refresh-400.json'));
    await expect(connector.listUsers()).rejects.toMatchObject({ code: 'AUTH_REVOKED', hostCode: 'INVALID_GRANT' });
    expect(store.saved).toEqual([]);
    expect((await store.load())?.refreshToken).toBe('R1');
  });

  it('refreshes before the request when the access token has expired', async () => {
    const { connector, store } = harness();
    await store.refreshExclusive(async (t) => ({ ...t, expiresAt: new Date(NOW.getTime() - 1000) }));
    nock(BASE).post('/oauth2/access_token', (b) => b.refresh_token === 'R1').reply(200, TOKEN_BODY('A2', 'R2'));
    api('A2').get('/api/v4/leads/pipelines').reply(204);
    expect(await connector.listPipelines()).toEqual([]);
  });

  it('two requests that both meet a 401 cause one refresh: the second uses the rotated pair', async () => {
    const { connector } = harness();
    api('A1').get('/api/v4/users').query(true).times(2).reply(401, jsonFixture('errors/unauthorized-401.json'));
    nock(BASE).post('/oauth2/access_token').once().reply(200, TOKEN_BODY('A2', 'R2'));
    api('A2').get('/api/v4/users').query(true).times(2).reply(200, jsonFixture('api/users.json'));
    const [a, b] = await Promise.all([connector.listUsers(), connector.listUsers()]);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
  });

  it('waits out a 429 for retry_after seconds and tells every worker to hold off', async () => {
    const { connector, sleeps, budget } = harness();
    api()
      .get('/api/v4/leads/pipelines')
      .reply(429, { ...jsonFixture('errors/too-many-requests-429.json'), retry_after: 2 })
      .get('/api/v4/leads/pipelines')
      .reply(429, 'Too Many Requests', { 'Retry-After': '1' })
      .get('/api/v4/leads/pipelines')
      .reply(200, jsonFixture('api/pipelines.json'));
    expect(await connector.listPipelines()).toHaveLength(2);
    expect(sleeps).toEqual([2000, 1000]);
    expect(budget.blocks).toEqual([new Date(NOW.getTime() + 2000), new Date(NOW.getTime() + 1000)]);
    expect(budget.takes).toBe(3);
  });

  it('backs off without retry_after and hands a long wait back to the queue', async () => {
    const { connector, sleeps } = harness();
    api().get('/api/v4/leads/pipelines').reply(429, '').get('/api/v4/leads/pipelines').reply(429, jsonFixture('errors/too-many-requests-429.json'));
    await expect(connector.listPipelines()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSec: 300 });
    expect(sleeps).toEqual([1000]);
  });

  it('stops after the policy’s number of 429s', async () => {
    const { connector, sleeps } = harness({ retry: { maxRateLimitWaits: 2 } });
    api().get('/api/v4/leads/pipelines').times(3).reply(429, { status: 429, retry_after: 1 });
    await expect(connector.listPipelines()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('marks a 403 HTML block and blocks the budget for long', async () => {
    const { connector, budget } = harness();
    const html = readFileSync(join(process.cwd(), 'test/amocrm/fixtures/errors/blocked-403.html'), 'utf8');
    api().get('/api/v4/leads/pipelines').reply(403, html, { 'Content-Type': 'text/html' });
    await expect(connector.listPipelines()).rejects.toMatchObject({ code: 'AUTH_REVOKED', hostCode: 'ACCOUNT_BLOCKED' });
    expect(budget.blocks).toEqual([new Date(NOW.getTime() + 6 * 3600 * 1000)]);
  });

  it('parses problem+json validation errors on a write', async () => {
    api().patch('/api/v4/leads/17657').reply(400, jsonFixture('errors/validation-400.json'), { 'Content-Type': 'application/problem+json' });
    await expect(harness().connector.moveDeal('17657', '3177727', '142')).rejects.toMatchObject({
      code: 'VALIDATION',
      status: 400,
      hostCode: 'NotSupportedChoice',
    });
  });

  it.each([
    ['504', (s: nock.Interceptor) => s.reply(504, '')],
    ['500 problem+json', (s: nock.Interceptor) => s.reply(500, jsonFixture('errors/internal-500.json'))],
    ['connection reset', (s: nock.Interceptor) => s.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))],
  ])('never retries a create after an ambiguous failure (%s)', async (_name, reply) => {
    reply(api().post('/api/v4/tasks'));
    const task = { dealId: '17657', title: 'Call', description: '', responsibleId: '123', deadline: '2026-01-13T09:00:00Z', marker: 'sg-0123456789abcdef0123' };
    await expect(harness().connector.createTask(task)).rejects.toMatchObject({ code: 'AMBIGUOUS' });
  });

  it('a read that times out is TEMPORARY: safe to run again', async () => {
    api().get('/api/v4/leads/pipelines').delay(200).reply(200, {});
    await expect(harness({ timeoutMs: 50 }).connector.listPipelines()).rejects.toMatchObject({ code: 'TEMPORARY' });
  });

  it('a create refused by a 429 is retried: nothing was created', async () => {
    const { connector } = harness();
    api().post('/api/v4/leads/17657/notes').reply(429, { retry_after: 1 }).post('/api/v4/leads/17657/notes').reply(200, { _embedded: { notes: [{ id: 5, entity_id: 17657, request_id: 'sg-x' }] } });
    expect(await connector.addComment('17657', 'hi', 'sg-x')).toEqual({ id: '5' });
  });

  it('fails with AUTH_REVOKED when the account has no tokens', async () => {
    const { connector, store } = harness();
    (store as unknown as { tokens: null }).tokens = null;
    await expect(connector.listPipelines()).rejects.toMatchObject({ code: 'AUTH_REVOKED', hostCode: 'NO_TOKENS' });
  });
});

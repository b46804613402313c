import { createHmac } from 'node:crypto';
import nock from 'nock';
import {
  AMO_REFRESH_TOKEN_LIFETIME_SEC,
  AmoOAuthClient,
  amoBaseDomain,
  amoDisableHookSignature,
  parseAmoInstallRedirect,
  verifyAmoDisableHook,
} from '../../src/connectors/amocrm/amocrm-oauth.js';
import { HostApiError } from '../../src/connectors/host-api-error.js';
import { jsonFixture } from './form-fixture.js';

const CLIENT = { clientId: '01d01160-aaaa-bbbb-cccc-0123456789ab', clientSecret: 'top-secret', redirectUri: 'https://app.example.com/amocrm/install' };
const NOW = new Date('2026-01-12T09:00:00Z');
const BASE = 'https://acme.amocrm.ru';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
// Jest gives each test file its own nock instance, but they all patch the same http module:
// without restore() this file's interceptor would keep answering the next file's requests.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

function client(): AmoOAuthClient {
  return new AmoOAuthClient({ ...CLIENT, now: () => NOW });
}

describe('AmoOAuthClient', () => {
  it('exchanges a code with the documented JSON body', async () => {
    nock(BASE)
      .post('/oauth2/access_token', {
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        grant_type: 'authorization_code',
        code: 'def502-code',
        redirect_uri: CLIENT.redirectUri,
      })
      .matchHeader('content-type', /application\/json/)
      .reply(200, jsonFixture('oauth/token-response.json'));
    const grant = await client().exchangeCode(BASE, 'def502-code');
    expect(grant).toEqual({
      accessToken: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.access-1',
      refreshToken: 'def50200-refresh-2',
      expiresAt: new Date(NOW.getTime() + 86_400_000),
      refreshExpiresAt: new Date(NOW.getTime() + AMO_REFRESH_TOKEN_LIFETIME_SEC * 1000),
    });
  });

  it('refreshes with grant_type refresh_token and returns the rotated refresh token', async () => {
    nock(BASE)
      .post('/oauth2/access_token', {
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: 'def50200-refresh-1',
        redirect_uri: CLIENT.redirectUri,
      })
      .reply(200, { ...jsonFixture('oauth/token-response.json'), expires_in: 3600 });
    const grant = await client().refresh(BASE, 'def50200-refresh-1');
    expect(grant.refreshToken).toBe('def50200-refresh-2');
    expect(grant.expiresAt).toEqual(new Date(NOW.getTime() + 3_600_000));
  });

  it.each([
    ['invalid refresh token', 400, 'oauth-invalid-refresh-400.json', 'AUTH_REVOKED'],
    ['expired code', 400, 'oauth-code-expired-400.json', 'AUTH_REVOKED'],
    ['server error', 500, 'internal-500.json', 'TEMPORARY'],
  ])('maps %s to %s', async (_name, status, fixture, code) => {
    nock(BASE).post('/oauth2/access_token').reply(status, jsonFixture(`errors/${fixture}`));
    await expect(client().refresh(BASE, 'r')).rejects.toMatchObject({ code });
  });

  it('treats a lost answer as ambiguous: the refresh may have rotated the pair', async () => {
    nock(BASE).post('/oauth2/access_token').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(client().refresh(BASE, 'r')).rejects.toMatchObject({ code: 'AMBIGUOUS' });
  });

  it('refuses a 200 without tokens', async () => {
    nock(BASE).post('/oauth2/access_token').reply(200, { token_type: 'Bearer' });
    const err = await client().refresh(BASE, 'r').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostApiError);
    expect(err).toMatchObject({ code: 'UNKNOWN', hostCode: 'BAD_TOKEN_RESPONSE' });
  });
});

describe('amoBaseDomain', () => {
  it.each([
    ['acme.amocrm.ru', { ok: true, domain: 'acme.amocrm.ru', baseUrl: 'https://acme.amocrm.ru', subdomain: 'acme' }],
    ['ACME.kommo.com', { ok: true, domain: 'acme.kommo.com', baseUrl: 'https://acme.kommo.com', subdomain: 'acme' }],
    ['https://my-shop.amocrm.com/', { ok: true, domain: 'my-shop.amocrm.com', baseUrl: 'https://my-shop.amocrm.com', subdomain: 'my-shop' }],
  ])('accepts %s', (referer, expected) => {
    expect(amoBaseDomain(referer)).toEqual(expected);
  });

  it.each([
    'www.amocrm.ru',
    'evil.com',
    'acme.amocrm.ru.evil.com',
    'acme.amocrm.ru/path',
    'acme.amocrm.ru:8443',
    'user@acme.amocrm.ru',
    'a.b.amocrm.ru',
    '127.0.0.1:3000',
    '',
    undefined,
  ])('refuses %p', (referer) => {
    expect(amoBaseDomain(referer).ok).toBe(false);
  });

  it('accepts loopback only when asked to, over http', () => {
    expect(amoBaseDomain('127.0.0.1:4567', { allowInsecureLoopback: true })).toEqual({ ok: true, domain: '127.0.0.1:4567', baseUrl: 'http://127.0.0.1:4567', subdomain: null });
    expect(amoBaseDomain('localhost:80', { allowInsecureLoopback: true }).ok).toBe(true);
    expect(amoBaseDomain('10.0.0.1:80', { allowInsecureLoopback: true }).ok).toBe(false);
    expect(amoBaseDomain('127.0.0.1', { allowInsecureLoopback: true }).ok).toBe(false);
  });
});

describe('parseAmoInstallRedirect', () => {
  const ok = { code: 'def502', state: 'st-1', referer: 'acme.amocrm.ru', client_id: CLIENT.clientId };

  it('reads the documented redirect', () => {
    expect(parseAmoInstallRedirect(ok, { clientId: CLIENT.clientId, expectedState: 'st-1' })).toEqual({
      ok: true,
      code: 'def502',
      baseUrl: 'https://acme.amocrm.ru',
      domain: 'acme.amocrm.ru',
      subdomain: 'acme',
      state: 'st-1',
      fromWidget: false,
    });
  });

  it('accepts a widget-install push without state', () => {
    const widget = { code: 'def502', referer: 'etesttask.amocrm.ru', platform: '1', client_id: CLIENT.clientId, from_widget: '1' };
    expect(parseAmoInstallRedirect(widget, { clientId: CLIENT.clientId, expectedState: 'st-1' })).toMatchObject({ ok: true, fromWidget: true });
  });

  it.each([
    [{ error: 'access_denied', client_id: CLIENT.clientId, state: 'st-1' }, 'access_denied'],
    [{ ...ok, client_id: 'other' }, 'client_mismatch'],
    [{ ...ok, code: '' }, 'missing_code'],
    [{ ...ok, referer: 'evil.example' }, 'bad_referer'],
    [{ ...ok, state: 'st-2' }, 'state_mismatch'],
  ])('refuses %p with %s', (query, reason) => {
    expect(parseAmoInstallRedirect(query, { clientId: CLIENT.clientId, expectedState: 'st-1' })).toMatchObject({ ok: false, reason });
  });
});

describe('verifyAmoDisableHook', () => {
  const signature = amoDisableHookSignature(CLIENT.clientId, '32720107', CLIENT.clientSecret);
  const query = { client_uuid: CLIENT.clientId, account_id: '32720107', signature };

  it('computes HMAC-SHA256(client_secret, "client_id|account_id") in hex', () => {
    // Independent of the implementation: the documented recipe with node:crypto spelled out.
    expect(signature).toBe(createHmac('sha256', 'top-secret').update(`${CLIENT.clientId}|32720107`).digest('hex'));
  });

  it('accepts an authentic hook, in either hex case', () => {
    expect(verifyAmoDisableHook(query, CLIENT)).toEqual({ ok: true, accountId: '32720107' });
    expect(verifyAmoDisableHook({ ...query, signature: signature.toUpperCase() }, CLIENT)).toEqual({ ok: true, accountId: '32720107' });
  });

  it.each([
    ['another account', { ...query, account_id: '32720108' }, 'bad_signature'],
    ['signed with another secret', { ...query, signature: amoDisableHookSignature(CLIENT.clientId, '32720107', 'other') }, 'bad_signature'],
    ['truncated signature', { ...query, signature: signature.slice(0, 63) }, 'bad_signature'],
    ['non-hex signature', { ...query, signature: `${signature.slice(0, 63)}z` }, 'bad_signature'],
    ['another client', { ...query, client_uuid: 'x' }, 'client_mismatch'],
    ['no signature', { client_uuid: CLIENT.clientId, account_id: '32720107' }, 'missing_parameters'],
    ['non-numeric account', { ...query, account_id: 'abc' }, 'missing_parameters'],
  ])('refuses %s', (_name, q, reason) => {
    expect(verifyAmoDisableHook(q, CLIENT)).toEqual({ ok: false, reason });
  });
});

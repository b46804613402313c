import { verifyAmoDisableHook } from '../../src/connectors/amocrm/amocrm-disable-hook.js';
import { AmoManualClock } from '../../src/sandbox/amocrm/sandbox-clock.js';
import type { AmoCrmSandbox } from '../../src/sandbox/amocrm/amocrm-sandbox.js';
import { call, Receiver, startSandbox } from './sandbox-harness.js';

describe('amoCRM sandbox: OAuth', () => {
  let clock: AmoManualClock;
  let sandbox: AmoCrmSandbox;
  const receiver = new Receiver();

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    clock = new AmoManualClock();
    sandbox = await startSandbox({ clock, disableHookUrl: `${receiver.url}/amocrm/disabled` });
  });
  afterEach(() => sandbox.stop());

  const grant = (body: Record<string, unknown>) =>
    call(sandbox, 'POST', '/oauth2/access_token', null, { client_id: sandbox.clientId, client_secret: sandbox.clientSecret, redirect_uri: sandbox.redirectUri, ...body });

  it('gives an install redirect with code, state, referer and client_id', () => {
    const url = new URL(sandbox.installRedirectUrl('st-1'));
    expect(`${url.origin}${url.pathname}`).toBe(sandbox.redirectUri);
    expect(url.searchParams.get('state')).toBe('st-1');
    expect(url.searchParams.get('referer')).toBe(sandbox.referer);
    expect(url.searchParams.get('client_id')).toBe(sandbox.clientId);
    expect(url.searchParams.get('code')).toMatch(/^def502/);
  });

  it('exchanges a code once, for the documented token body', async () => {
    const code = sandbox.issueCode();
    const first = await grant({ grant_type: 'authorization_code', code });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ token_type: 'Bearer', expires_in: 86400, access_token: expect.any(String), refresh_token: expect.any(String), server_time: Math.floor(clock.now() / 1000) });
    const again = await grant({ grant_type: 'authorization_code', code });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ hint: 'Authorization code has been revoked', type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson' });
  });

  it('lets a code expire after 20 minutes', async () => {
    const code = sandbox.issueCode();
    clock.advance(20 * 60);
    expect((await grant({ grant_type: 'authorization_code', code })).json).toMatchObject({ status: 400, hint: 'Authorization code has expired' });
  });

  it.each([
    [{ client_secret: 'wrong' }, 401],
    [{ client_id: 'wrong' }, 400],
    [{ redirect_uri: 'https://elsewhere.test' }, 400],
  ])('refuses %p', async (override, status) => {
    expect((await grant({ grant_type: 'authorization_code', code: sandbox.issueCode(), ...override })).status).toBe(status);
  });

  it('rotates the refresh token and refuses the old one at once', async () => {
    const pair = sandbox.issueTokens();
    const refreshed = await grant({ grant_type: 'refresh_token', refresh_token: pair.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(pair.refreshToken);
    const replay = await grant({ grant_type: 'refresh_token', refresh_token: pair.refreshToken });
    expect(replay.json).toMatchObject({ status: 400, hint: 'Invalid refresh token' });
    expect((await grant({ grant_type: 'refresh_token', refresh_token: refreshed.json.refresh_token })).status).toBe(200);
  });

  it('with the documented grace, keeps the old refresh token until the new pair is used', async () => {
    await sandbox.stop();
    sandbox = await startSandbox({ clock, refreshGrace: 'until-new-used' });
    const pair = sandbox.issueTokens();
    const first = await grant({ grant_type: 'refresh_token', refresh_token: pair.refreshToken });
    // The answer was "lost": the old token still works once.
    const second = await grant({ grant_type: 'refresh_token', refresh_token: pair.refreshToken });
    expect(second.status).toBe(200);
    expect((await call(sandbox, 'GET', '/api/v4/account', second.json.access_token)).status).toBe(200);
    expect((await grant({ grant_type: 'refresh_token', refresh_token: pair.refreshToken })).status).toBe(400);
    expect(first.status).toBe(200);
  });

  it('answers 401 once the access token is 24 h old', async () => {
    const pair = sandbox.issueTokens();
    expect((await call(sandbox, 'GET', '/api/v4/account', pair.accessToken)).status).toBe(200);
    clock.advance(86_400);
    const expired = await call(sandbox, 'GET', '/api/v4/account', pair.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(expired.json).toMatchObject({ title: 'Unauthorized', status: 401 });
  });

  it('answers 401 without a token or with an unknown one', async () => {
    expect((await call(sandbox, 'GET', '/api/v4/account', null)).status).toBe(401);
    expect((await call(sandbox, 'GET', '/api/v4/account', 'forged')).status).toBe(401);
  });

  it('on disable, revokes every token and calls the disable hook with a valid signature', async () => {
    const pair = sandbox.issueTokens();
    expect(await sandbox.disableIntegration()).toEqual({ status: 200 });
    expect((await call(sandbox, 'GET', '/api/v4/account', pair.accessToken)).status).toBe(401);
    expect((await grant({ grant_type: 'refresh_token', refresh_token: pair.refreshToken })).status).toBe(400);
    const hook = receiver.received.at(-1)!;
    expect(hook.path).toBe('/amocrm/disabled');
    expect(hook.headers['user-agent']).toBe('amoService-oAuth-Code-Sender/1.0');
    expect(verifyAmoDisableHook(hook.query, { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret })).toEqual({ ok: true, accountId: String(sandbox.accountId) });
  });
});

import { http, startHarness } from './support/harness.js';
import type { Harness } from './support/harness.js';

describe('Bitrix24 sandbox: OAuth token endpoint', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ accessTokenTtlSec: 3600 });
  });
  afterEach(() => h.close());

  const refreshQuery = (refreshToken: string, secret = h.sandbox.portal.clientSecret) =>
    `grant_type=refresh_token&client_id=${encodeURIComponent(h.sandbox.portal.clientId)}` +
    `&client_secret=${encodeURIComponent(secret)}&refresh_token=${refreshToken}`;

  it('refreshes with GET and rotates: the used refresh token is refused at once with invalid_grant', async () => {
    const install = h.sandbox.issueInstallTokens();
    const first = await http.get(`${h.url}/oauth/token/?${refreshQuery(install.body.REFRESH_ID)}`);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      client_endpoint: `${h.url}/rest/`,
      server_endpoint: `${h.url}/rest/`,
      member_id: h.sandbox.portal.memberId,
      expires_in: 3600,
      expires: Math.floor(h.clock.now() / 1000) + 3600,
      scope: 'crm,task,im,user,placement,lists',
      status: 'F',
      user_id: 1,
    });
    expect(first.data.refresh_token).toMatch(/^[a-z0-9]{32}$/);
    expect(first.data.refresh_token).not.toBe(install.body.REFRESH_ID);

    const replay = await http.get(`${h.url}/oauth/token/?${refreshQuery(install.body.REFRESH_ID)}`);
    expect(replay.status).toBe(400);
    expect(replay.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });

    const next = await http.post(`${h.url}/oauth/token/`, refreshQuery(first.data.refresh_token), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(next.status).toBe(200);
    expect(h.sandbox.stats().oauth).toEqual({ refreshed: 2, codesExchanged: 0, refused: 1 });
  });

  it('refuses a wrong client secret with invalid_client', async () => {
    const pair = h.sandbox.issueTokens(1);
    const res = await http.get(`${h.url}/oauth/token/?${refreshQuery(pair.refreshToken, 'not-the-secret')}`);
    expect(res.status).toBe(401);
    expect(res.data.error).toBe('invalid_client');
    // The refresh token was not consumed by the refused attempt.
    const ok = await http.get(`${h.url}/oauth/token/?${refreshQuery(pair.refreshToken)}`);
    expect(ok.status).toBe(200);
  });

  it('exchanges an authorization code once; the response has no `expires`, as documented', async () => {
    const code = h.sandbox.issueAuthorizationCode(3);
    const q = `grant_type=authorization_code&client_id=${h.sandbox.portal.clientId}&client_secret=${encodeURIComponent(h.sandbox.portal.clientSecret)}&code=${code}`;
    const res = await http.get(`${h.url}/oauth/token/?${q}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.data).sort()).toEqual(
      ['access_token', 'client_endpoint', 'domain', 'expires_in', 'member_id', 'refresh_token', 'scope', 'server_endpoint', 'status'].sort(),
    );
    const again = await http.get(`${h.url}/oauth/token/?${q}`);
    expect(again.data.error).toBe('invalid_grant');
    const current = await h.rest('user.current', {}, res.data.access_token);
    expect(current.data.result.ID).toBe('3');
  });

  it('answers 401 expired_token once the access token lives past its lifetime, and the refreshed token works', async () => {
    const pair = h.sandbox.issueTokens(1);
    h.clock.advance(3599);
    expect((await h.rest('app.info', {}, pair.accessToken)).status).toBe(200);
    h.clock.advance(1);
    const expired = await h.rest('app.info', {}, pair.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.data).toEqual({ error: 'expired_token', error_description: 'The access token provided has expired.' });

    const refreshed = await http.get(`${h.url}/oauth/token/?${refreshQuery(pair.refreshToken)}`);
    expect((await h.rest('app.info', {}, refreshed.data.access_token)).status).toBe(200);
  });

  it('expireAccessTokens() expires every issued token without touching refresh tokens', async () => {
    const pair = h.sandbox.issueTokens(2);
    h.sandbox.expireAccessTokens();
    expect((await h.rest('user.current', {}, pair.accessToken)).data.error).toBe('expired_token');
    expect((await http.get(`${h.url}/oauth/token/?${refreshQuery(pair.refreshToken)}`)).status).toBe(200);
  });

  it('revokeAll(): REST answers 401 NO_AUTH_FOUND and refresh answers invalid_grant', async () => {
    const pair = h.sandbox.issueTokens(1);
    h.sandbox.revokeAll();
    const rest = await h.rest('app.info', {}, pair.accessToken);
    expect(rest.status).toBe(401);
    expect(rest.data).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
    const refresh = await http.get(`${h.url}/oauth/token/?${refreshQuery(pair.refreshToken)}`);
    expect(refresh.status).toBe(400);
    expect(refresh.data.error).toBe('invalid_grant');
  });

  it('after uninstall the token endpoint answers invalid_client', async () => {
    const pair = h.sandbox.issueTokens(1);
    h.sandbox.uninstallApp({ clean: true });
    const refresh = await http.get(`${h.url}/oauth/token/?${refreshQuery(pair.refreshToken)}`);
    expect(refresh.status).toBe(401);
    expect(refresh.data.error).toBe('invalid_client');
  });

  it('issueInstallTokens() returns the install POST: tokens in the body, DOMAIN/PROTOCOL/LANG/APP_SID in the query', () => {
    const post = h.sandbox.issueInstallTokens();
    expect(Object.keys(post.body).sort()).toEqual(
      ['AUTH_ID', 'AUTH_EXPIRES', 'REFRESH_ID', 'SERVER_ENDPOINT', 'APPLICATION_TOKEN', 'APPLICATION_SCOPE', 'member_id', 'status', 'PLACEMENT'].sort(),
    );
    expect(post.body).toMatchObject({
      AUTH_EXPIRES: '3600',
      SERVER_ENDPOINT: `${h.url}/rest/`,
      APPLICATION_TOKEN: h.sandbox.portal.applicationToken,
      member_id: h.sandbox.portal.memberId,
      PLACEMENT: 'DEFAULT',
    });
    expect(post.query).toMatchObject({ DOMAIN: new URL(h.url).host, PROTOCOL: '0', LANG: 'en' });
    expect(post.query.APP_SID).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('Bitrix24 sandbox: reinstall', () => {
  it('after an uninstall, installing again gives a new application_token and working tokens; events wait for installFinish', async () => {
    const h = await startHarness({ installFinished: true });
    try {
      const before = h.sandbox.portal.applicationToken;
      h.sandbox.uninstallApp();
      expect(() => h.sandbox.issueTokens(1)).not.toThrow();
      expect((await h.rest('app.info', {}, h.sandbox.issueTokens(1).accessToken)).data.error).toBe('NO_AUTH_FOUND');
      const post = h.sandbox.installApp();
      expect(post.body.APPLICATION_TOKEN).not.toBe(before);
      expect((await h.rest('app.info', {}, post.body.AUTH_ID)).data.result.INSTALLED).toBe(false);
      expect(h.sandbox.eventBindings()).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});

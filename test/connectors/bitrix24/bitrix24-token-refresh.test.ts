import nock from 'nock';
import { refreshBitrix24Token } from '../../../src/connectors/bitrix24/bitrix24-token-refresh.js';
import { fixture, OAUTH, useNock } from './support.js';

useNock();

const NOW = new Date('2025-09-09T13:31:12Z');

describe('refreshBitrix24Token', () => {
  it('GETs /oauth/token/ with the refresh grant and returns the rotated pair', async () => {
    let query: Record<string, unknown> | null = null;
    nock(OAUTH)
      .get('/oauth/token/')
      .query((q) => {
        query = q;
        return true;
      })
      .reply(200, fixture('rest/oauth-token.refresh.json'));
    const tokens = await refreshBitrix24Token(OAUTH, 'app.test', 'secret', 'old-refresh', { now: NOW });
    expect(query).toEqual({ grant_type: 'refresh_token', client_id: 'app.test', client_secret: 'secret', refresh_token: 'old-refresh' });
    expect(tokens).toEqual({
      accessToken: 'ydtj8pho532wydb5ixk78ol7uqlb7sch',
      refreshToken: '3s6lr4kr3cv2od4v853gvrchb875bwxb',
      expiresAt: new Date(1780319382 * 1000),
    });
  });

  it('without `expires` counts expires_in from now', async () => {
    nock(OAUTH).get('/oauth/token/').query(true).reply(200, { access_token: 'a', refresh_token: 'r', expires_in: 3600 });
    await expect(refreshBitrix24Token(`${OAUTH}/`, 'c', 's', 'r0', { now: NOW })).resolves.toMatchObject({ expiresAt: new Date(NOW.getTime() + 3_600_000) });
  });

  it.each([
    ['400 invalid_grant', 400, { error: 'invalid_grant', error_description: 'Invalid grant' }, 'AUTH_REVOKED', 'invalid_grant'],
    ['401 invalid_client', 401, { error: 'invalid_client', error_description: 'Invalid client' }, 'AUTH_REVOKED', 'invalid_client'],
    ['PAYMENT_REQUIRED in a 200', 200, { error: 'PAYMENT_REQUIRED', error_description: 'Payment required' }, 'AUTH_REVOKED', 'PAYMENT_REQUIRED'],
    ['invalid_request: the stored token is unusable', 400, { error: 'invalid_request', error_description: 'Invalid request' }, 'AUTH_REVOKED', 'invalid_request'],
    ['503 without a body', 503, '', 'AMBIGUOUS', null],
    ['502 proxy page', 502, '<html>Bad gateway</html>', 'AMBIGUOUS', null],
    ['200 without tokens', 200, { access_token: 'only-access' }, 'UNKNOWN', null],
  ])('%s → %s', async (_name, status, body, code, hostCode) => {
    nock(OAUTH).get('/oauth/token/').query(true).reply(status, body as never);
    await expect(refreshBitrix24Token(OAUTH, 'c', 's', 'r0', { now: NOW })).rejects.toMatchObject({ code, hostCode });
  });

  it('a reset connection is AMBIGUOUS and the error carries no secret', async () => {
    nock(OAUTH).get('/oauth/token/').query(true).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await refreshBitrix24Token(OAUTH, 'c', 'top-secret', 'r0', { now: NOW }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'AMBIGUOUS', hostCode: 'ECONNRESET' });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('top-secret');
  });
});

import jwt from 'jsonwebtoken';
import { AmoDisposableTokenVerifier } from '../../src/connectors/amocrm/amocrm-disposable-token.js';
import { InMemoryJtiStore } from '../../src/connectors/amocrm/amocrm-ports.memory.js';

const SECRET = 'integration-secret-key';
const CLIENT_ID = '0b0123f4-5678-4abc-9def-0123456789ab';
const AUDIENCE = 'https://stageguard.example.com';
const NOW = 1594204300;

/** The doc's example claims (one-time-tokens), re-timed around NOW. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'https://subdomain.kommo.com',
    aud: 'https://stageguard.example.com',
    jti: 'd123f123-0000-4000-8000-000000000001',
    iat: NOW - 55,
    nbf: NOW - 55,
    exp: NOW - 55 + 1800,
    account_id: 12345678,
    user_id: 87654321,
    subdomain: 'subdomain',
    client_uuid: CLIENT_ID,
    ...overrides,
  };
}

function sign(payload: Record<string, unknown>, secret = SECRET, algorithm: jwt.Algorithm = 'HS256'): string {
  const defined = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
  return jwt.sign(defined, secret, { algorithm, noTimestamp: true });
}

function verifier(jtiStore = new InMemoryJtiStore(() => NOW * 1000)): AmoDisposableTokenVerifier {
  return new AmoDisposableTokenVerifier({ clientId: CLIENT_ID, clientSecret: SECRET, audience: `${AUDIENCE}/amocrm/install`, jtiStore, now: () => new Date(NOW * 1000) });
}

function unsignedToken(payload: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
}

describe('AmoDisposableTokenVerifier', () => {
  it('accepts the documented token and names the account and user', async () => {
    const verdict = await verifier().verify(sign(claims({ is_admin: true })));
    expect(verdict).toEqual({
      ok: true,
      identity: {
        accountId: '12345678',
        userId: '87654321',
        subdomain: 'subdomain',
        issuer: 'https://subdomain.kommo.com',
        jti: 'd123f123-0000-4000-8000-000000000001',
        expiresAt: new Date((NOW - 55 + 1800) * 1000),
        isAdmin: true,
      },
    });
  });

  it.each<[string, () => string, string]>([
    ['alg none', () => unsignedToken(claims()), 'bad_algorithm'],
    ['HS512 with the right key (the Salesbot token)', () => sign(claims(), SECRET, 'HS512'), 'bad_algorithm'],
    ['HS256 with a wrong key', () => sign(claims(), 'another-secret'), 'bad_signature'],
    ['expired', () => sign(claims({ iat: NOW - 4000, nbf: NOW - 4000, exp: NOW - 60 })), 'expired'],
    ['not yet valid', () => sign(claims({ nbf: NOW + 120 })), 'not_yet_valid'],
    ['another audience', () => sign(claims({ aud: 'https://evil.example.com' })), 'wrong_audience'],
    ['another client', () => sign(claims({ client_uuid: '11111111-2222-4333-8444-555555555555' })), 'wrong_client'],
    ['issuer not the subdomain', () => sign(claims({ iss: 'https://other.kommo.com' })), 'wrong_issuer'],
    ['issuer not amoCRM', () => sign(claims({ iss: 'https://subdomain.evil.com' })), 'wrong_issuer'],
    ['no jti', () => sign(claims({ jti: undefined })), 'missing_claims'],
    ['no exp', () => sign(claims({ exp: undefined })), 'missing_claims'],
    ['garbage', () => 'not.a.jwt', 'malformed'],
  ])('refuses %s', async (_name, token, reason) => {
    const verdict = await verifier().verify(token());
    expect(verdict).toMatchObject({ ok: false, reason });
  });

  it('tolerates a little clock skew', async () => {
    expect((await verifier().verify(sign(claims({ nbf: NOW + 5 })))).ok).toBe(true);
    expect((await verifier().verify(sign(claims({ jti: 'x2', exp: NOW - 5 })))).ok).toBe(true);
  });

  it('accepts a jti once', async () => {
    const v = verifier();
    const token = sign(claims());
    expect((await v.verify(token)).ok).toBe(true);
    expect(await v.verify(token)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(await v.verify(sign(claims({ user_id: 1 })))).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('does not burn the jti of a token refused for another reason', async () => {
    const v = verifier();
    expect(await v.verify(sign(claims({ aud: 'https://evil.example.com' })))).toMatchObject({ reason: 'wrong_audience' });
    expect((await v.verify(sign(claims()))).ok).toBe(true);
  });

  it('accepts the sandbox issuer only with allowInsecureLoopback', async () => {
    const token = sign(claims({ iss: 'http://127.0.0.1:4567', subdomain: 'sandbox' }));
    expect(await verifier().verify(token)).toMatchObject({ ok: false, reason: 'wrong_issuer' });
    const loopback = new AmoDisposableTokenVerifier({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      audience: AUDIENCE,
      jtiStore: new InMemoryJtiStore(),
      allowInsecureLoopback: true,
      now: () => new Date(NOW * 1000),
    });
    expect((await loopback.verify(token)).ok).toBe(true);
  });
});

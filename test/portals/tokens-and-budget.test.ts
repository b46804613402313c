import { PortalRepository } from '../../src/portals/portal.repository.js';
import { PostgresRateBudget } from '../../src/portals/rate-budget.js';
import { PostgresTokenStore } from '../../src/portals/postgres-token-store.js';
import { TokenCipher } from '../../src/security/token-cipher.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('portal tokens and the shared rate budget', () => {
  let t: TestDatabase;
  let portals: PortalRepository;
  let portalId: string;
  const cipher = new TokenCipher(Buffer.alloc(32, 3).toString('base64'));

  beforeAll(async () => {
    t = await createTestDatabase();
    portals = new PortalRepository(t.db, cipher);
    const p = await portals.upsertInstalled({
      host: 'bitrix24',
      externalId: 'm1',
      domain: 'x.bitrix24.ru',
      locale: 'ru',
      clientEndpoint: 'https://x.bitrix24.ru/rest/',
      serverEndpoint: 'https://oauth.bitrix.info/rest/',
      applicationToken: 'app-token-1',
      tokens: { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: new Date('2026-11-23T12:00:00Z') },
    });
    portalId = p.id;
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores tokens encrypted and the application token only as a keyed digest', async () => {
    const [row] = await t.db.query(`SELECT access_token_enc, refresh_token_enc, application_token_hash FROM portals WHERE id = $1`, [portalId]);
    expect(JSON.stringify(row)).not.toMatch(/access-1|refresh-1|app-token-1/);
    expect(await portals.loadTokens(portalId)).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(await portals.applicationTokenMatches(portalId, 'app-token-1')).toBe(true);
    expect(await portals.applicationTokenMatches(portalId, 'app-token-2')).toBe(false);
  });

  it('refuses a token ciphertext copied into another portal row', async () => {
    const other = await portals.upsertInstalled({
      host: 'bitrix24', externalId: 'm2', domain: 'y.bitrix24.ru', locale: 'ru', clientEndpoint: null, serverEndpoint: null, applicationToken: null, tokens: null,
    });
    await t.db.query(`UPDATE portals SET access_token_enc = a.access_token_enc, refresh_token_enc = a.refresh_token_enc, token_expires_at = now()
                        FROM portals a WHERE a.id = $1 AND portals.id = $2`, [portalId, other.id]);
    await expect(portals.loadTokens(other.id)).rejects.toThrow();
  });

  it('runs one refresh for concurrent expired tokens, and everyone gets the rotated pair', async () => {
    const a = new PostgresTokenStore(t.db, portals, portalId);
    const b = new PostgresTokenStore(t.db, portals, portalId);
    let refreshes = 0;
    const refresh = async (cur: { refreshToken: string }) => {
      refreshes++;
      expect(cur.refreshToken).toBe('refresh-1');
      await new Promise((r) => setTimeout(r, 50));
      return { accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: new Date('2026-11-23T13:00:00Z') };
    };
    const results = await Promise.all([a.refreshExclusive(refresh, 'access-1'), b.refreshExclusive(refresh, 'access-1')]);
    expect(refreshes).toBe(1);
    expect(results.map((r) => r.accessToken)).toEqual(['access-2', 'access-2']);
    expect((await a.load()).refreshToken).toBe('refresh-2');
  });

  it('shares one leaky bucket between processes', async () => {
    const limits = { capacity: 5, drainPerSec: 2 };
    const p1 = new PostgresRateBudget(t.db, portalId, limits);
    const p2 = new PostgresRateBudget(t.db, portalId, limits);
    const granted: number[] = [];
    for (let i = 0; i < 5; i++) granted.push(await (i % 2 ? p1 : p2).tryTake());
    expect(granted).toEqual([0, 0, 0, 0, 0]);
    const wait = await p1.tryTake();
    // Full bucket draining at 2/s: room for one more in about half a second.
    expect(wait).toBeGreaterThan(0.3);
    expect(wait).toBeLessThanOrEqual(0.5);
    expect(await p2.tryTake()).toBeGreaterThan(0.3);
  });

  it('holds every process back while the host has said stop', async () => {
    const other = await portals.upsertInstalled({
      host: 'bitrix24', externalId: 'm3', domain: 'z.bitrix24.ru', locale: 'ru', clientEndpoint: null, serverEndpoint: null, applicationToken: null, tokens: null,
    });
    const p1 = new PostgresRateBudget(t.db, other.id, { capacity: 50, drainPerSec: 2 });
    const p2 = new PostgresRateBudget(t.db, other.id, { capacity: 50, drainPerSec: 2 });
    expect(await p2.tryTake()).toBe(0);
    await p1.blockUntil(new Date(Date.now() + 5000));
    const wait = await p2.tryTake();
    expect(wait).toBeGreaterThan(4);
    expect(wait).toBeLessThanOrEqual(5);
  });
});

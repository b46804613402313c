import type { Runtime } from '../../src/app/runtime.js';
import { bitrix24RoutesFeature } from '../../src/app/bitrix24-routes.feature.js';
import { PortalRepository } from '../../src/portals/portal.repository.js';
import type { Portal } from '../../src/portals/portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';

const MEMBER = 'a223c6b3710f85df22e9377d6c4f7553';
const APP_TOKEN = '51856fefc120afa4b628cc82d3935cce';

// The documented event form (api-reference/events/index.md), as Bitrix24 posts it.
function eventBody(over: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    event: 'ONCRMDEALUPDATE',
    event_handler_id: '17',
    'data[FIELDS][ID]': '759',
    ts: '1696527000',
    'auth[domain]': 'some-domain.bitrix24.com',
    'auth[client_endpoint]': 'https://some-domain.bitrix24.com/rest/',
    'auth[server_endpoint]': 'https://oauth.bitrix.info/rest/',
    'auth[member_id]': MEMBER,
    'auth[application_token]': APP_TOKEN,
    ...over,
  };
  return new URLSearchParams(fields).toString();
}

describe('Bitrix24 events endpoint', () => {
  let t: TestDatabase;
  let rt: Runtime;
  let portal: Portal;
  const noHost = () => ({
    setUp: async () => {
      throw new Error('no host calls in this test');
    },
    verifyAccessToken: async () => false,
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    rt = await startTestRuntime({ databaseUrl: t.url, features: [bitrix24RoutesFeature(noHost)], roles: { web: true, worker: false } });
    portal = await new PortalRepository(rt.ctx.db, rt.ctx.cipher).upsertInstalled({
      host: 'bitrix24',
      externalId: MEMBER,
      domain: 'some-domain.bitrix24.com',
      locale: 'ru',
      clientEndpoint: 'https://some-domain.bitrix24.com/rest/',
      serverEndpoint: 'https://oauth.bitrix.info/rest/',
      applicationToken: APP_TOKEN,
      tokens: { accessToken: 'a', refreshToken: 'r', expiresAt: new Date(Date.now() + 3600_000) },
    });
  });
  afterAll(async () => {
    await rt.stop();
    await t.drop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${rt.url}/bitrix24/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  const inboxCount = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n);
  const jobCount = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'event'`))[0].n);

  it('accepts a genuine event: one inbox row and one job, committed together', async () => {
    const r = await post(eventBody());
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'accepted' });
    const rows = await t.db.query(`SELECT portal_id, event_name, entity_id, status, payload FROM inbox_events`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ portal_id: portal.id, event_name: 'ONCRMDEALUPDATE', entity_id: '759', status: 'pending' });
    expect(JSON.stringify(rows[0].payload)).not.toContain(APP_TOKEN);
    expect(await jobCount()).toBe(1);
  });

  it('takes the same event again as a duplicate, storing nothing twice', async () => {
    const r = await post(eventBody());
    expect(await r.json()).toEqual({ status: 'duplicate' });
    expect(await inboxCount()).toBe(1);
    expect(await jobCount()).toBe(1);
  });

  it('accepts event names in any case', async () => {
    const r = await post(eventBody({ event: 'onCrmDealUpdate', ts: '1696527001' }));
    expect(r.status).toBe(200);
    expect((await t.db.query(`SELECT event_name FROM inbox_events ORDER BY id DESC LIMIT 1`))[0].event_name).toBe('ONCRMDEALUPDATE');
  });

  it.each([
    ['a forged application token', eventBody({ 'auth[application_token]': 'f'.repeat(32), ts: '1696527100' }), 401, 'bad_application_token'],
    ['an unknown member_id', eventBody({ 'auth[member_id]': 'b'.repeat(32), ts: '1696527101' }), 401, 'unknown_portal'],
    ['a body without auth', 'event=ONCRMDEALUPDATE&data[FIELDS][ID]=1', 400, 'malformed_event'],
    ['a truncated body', eventBody().slice(0, 40), 400, 'malformed_event'],
    ['an empty body', '', 400, 'malformed_event'],
    ['a body over 256 KB', eventBody({ 'data[FIELDS][X]': 'x'.repeat(300 * 1024), ts: '1696527102' }), 400, 'payload_too_large'],
  ])('refuses %s with a reason and stores nothing', async (_name, body, status, code) => {
    const before = [await inboxCount(), await jobCount()];
    const r = await post(body);
    expect(r.status).toBe(status);
    const json = (await r.json()) as { error: string; message: string };
    expect(json.error).toBe(code);
    expect(typeof json.message).toBe('string');
    expect(json.message.length).toBeGreaterThan(5);
    expect([await inboxCount(), await jobCount()]).toEqual(before);
  });
});

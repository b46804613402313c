import jwt from 'jsonwebtoken';
import { allFeatures } from '../../src/app/features.js';
import type { Runtime } from '../../src/app/runtime.js';
import { PortalRepository } from '../../src/portals/portal.repository.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/index.js';
import { RulesConfigRepository } from '../../src/rules-store/rules-config.repository.js';
import { ProjectionRepository } from '../../src/sync/projection.repository.js';
import { issueSession } from '../../src/ui/session.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';

describe('sessions and tenant isolation', () => {
  let t: TestDatabase;
  let rt: Runtime;
  const portals: Record<'A' | 'B', string> = { A: '', B: '' };

  beforeAll(async () => {
    t = await createTestDatabase();
    rt = await startTestRuntime({ databaseUrl: t.url, features: allFeatures(), pollWorkers: false });
    const repo = new PortalRepository(rt.ctx.db, rt.ctx.cipher);
    const projections = new ProjectionRepository(rt.ctx.db);
    for (const name of ['A', 'B'] as const) {
      const p = await repo.upsertInstalled({
        host: 'bitrix24', externalId: `member-${name}`, domain: `${name.toLowerCase()}.bitrix24.ru`, locale: 'ru',
        clientEndpoint: `https://${name.toLowerCase()}.bitrix24.ru/rest/`, serverEndpoint: 'https://oauth.bitrix.info/rest/', applicationToken: `tok-${name}`, tokens: null,
      });
      portals[name] = p.id;
      await projections.replacePipelines(p.id, bitrix24DefaultPipelines());
      await new RulesConfigRepository(rt.ctx.db).save(p.id, bitrix24DefaultRules(), { id: '1' });
    }
    // Portal A's secrets: a deal, its move, a violation.
    await rt.ctx.db.query(
      `INSERT INTO deals (portal_id, id, pipeline_id, stage_id, title, host_created_at, host_updated_at) VALUES ($1, '77', '0', 'NEW', 'Secret deal of A', now(), now())`,
      [portals.A],
    );
    await rt.ctx.db.query(
      `INSERT INTO violations (portal_id, dedupe_key, kind, deal_id, detected_at, details) VALUES ($1, 'k', 'stage_skipped', '77', now(), '{"message":"Secret deal of A"}')`,
      [portals.A],
    );
    await rt.ctx.db.query(`INSERT INTO audit_log (portal_id, actor, action, details) VALUES ($1, 'x', 'secret', '{"note":"Secret deal of A"}')`, [portals.A]);
  });
  afterAll(async () => {
    await rt.stop();
    await t.drop();
  });

  const call = (path: string, token: string | null, init: RequestInit = {}) =>
    fetch(`${rt.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });

  const secret = () => rt.ctx.sessionSecret;
  const claims = (portal: 'A' | 'B') => ({ pid: portals[portal], uid: '1', role: 'admin' });

  it.each([
    ['no token', () => null],
    ['alg none', () => jwt.sign(claims('A'), '', { algorithm: 'none', expiresIn: 60, issuer: 'stageguard', audience: 'stageguard-api' })],
    ['a wrong key', () => jwt.sign(claims('A'), 'x'.repeat(48), { algorithm: 'HS256', expiresIn: 60, issuer: 'stageguard', audience: 'stageguard-api' })],
    ['expired', () => jwt.sign({ ...claims('A'), exp: Math.floor(Date.now() / 1000) - 10 }, secret(), { algorithm: 'HS256', issuer: 'stageguard', audience: 'stageguard-api' })],
    ['no expiry', () => jwt.sign(claims('A'), secret(), { algorithm: 'HS256', issuer: 'stageguard', audience: 'stageguard-api' })],
    ['another algorithm (HS512)', () => jwt.sign(claims('A'), secret(), { algorithm: 'HS512', expiresIn: 60, issuer: 'stageguard', audience: 'stageguard-api' })],
    ['a wrong audience', () => jwt.sign(claims('A'), secret(), { algorithm: 'HS256', expiresIn: 60, issuer: 'stageguard', audience: 'someone-else' })],
  ])('refuses a session with %s (401, no data)', async (_name, make) => {
    const r = await call('/api/deals/77', make());
    expect(r.status).toBe(401);
    expect(await r.text()).not.toContain('Secret deal of A');
  });

  it('serves portal A its own data with its own session', async () => {
    const a = issueSession({ portalId: portals.A, userId: '1', role: 'admin' }, secret());
    const r = await call('/api/deals/77', a);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Secret deal of A');
  });

  const endpoints: [string, string, unknown][] = [
    ['GET', '/api/deals/77', undefined],
    ['POST', '/api/deals/77/goals', { code: 'ready_to_buy' }],
    ['GET', '/api/violations', undefined],
    ['GET', '/api/violations?dealId=77', undefined],
    ['GET', '/api/audit', undefined],
    ['GET', '/api/rules', undefined],
    ['GET', '/api/rules/versions', undefined],
    ['GET', '/api/rules/versions/1', undefined],
    ...['funnel', 'conversion-matrix', 'bottleneck', 'time', 'activity', 'violations', 'discipline', 'plan-fact'].map(
      (r) => ['GET', `/api/reports/${r}?from=2026-01-01&to=2027-01-01&pipelineId=0`, undefined] as [string, string, unknown],
    ),
    ['GET', '/api/plans', undefined],
    ['GET', '/api/pipelines', undefined],
    ['GET', '/api/users', undefined],
    ['GET', '/api/deals/77/standing', undefined],
    ['GET', '/api/install/status', undefined],
  ];

  it.each(endpoints)('%s %s with a session of portal B never shows portal A data', async (method, path, body) => {
    const b = issueSession({ portalId: portals.B, userId: '1', role: 'admin' }, secret());
    const r = await call(path, b, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    expect(text).not.toContain('Secret deal of A');
    expect(text).not.toContain(portals.A);
    expect([200, 201, 403, 404, 409]).toContain(r.status);
    if (r.status === 200 && path.startsWith('/api/violations')) expect(JSON.parse(text)).toEqual([]);
  });

  it('a manager cannot change the rules', async () => {
    const m = issueSession({ portalId: portals.A, userId: '3', role: 'manager' }, secret());
    const r = await call('/api/rules', m, { method: 'PUT', body: JSON.stringify(bitrix24DefaultRules()) });
    expect(r.status).toBe(403);
  });
});

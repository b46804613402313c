import { Amocrm1764000020000 } from '../../migrations/1764000020000-amocrm.js';
import { AmoDisposableTokenVerifier } from '../../src/connectors/amocrm/amocrm-disposable-token.js';
import { PostgresJtiStore } from '../../src/portals/postgres-jti-store.js';
import { AmoCrmSandbox } from '../../src/sandbox/amocrm/amocrm-sandbox.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// A widget's disposable token is accepted once, across every web process: the store is the
// database, so two verifiers (two machines) racing with the same token get one success.
describe('widget token ids used once, in Postgres', () => {
  let t: TestDatabase;
  const sandbox = new AmoCrmSandbox();

  beforeAll(async () => {
    t = await createTestDatabase();
    // Until the migration is listed in migrations/index.ts the template lacks the table.
    const [exists] = await t.db.query(`SELECT to_regclass('used_widget_tokens') AS t`);
    if (!exists.t) {
      const runner = t.db.createQueryRunner();
      await new Amocrm1764000020000().up(runner);
      await runner.release();
    }
    await sandbox.start();
  });
  afterAll(async () => {
    await sandbox.stop();
    await t.drop();
  });

  it('claims a jti once, even when two processes race for it', async () => {
    const a = new PostgresJtiStore(t.db);
    const b = new PostgresJtiStore(t.db);
    const until = new Date(Date.now() + 1800_000);
    const results = await Promise.all([a.claimOnce('jti-race', until), b.claimOnce('jti-race', until), a.claimOnce('jti-race', until)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await b.claimOnce('jti-other', until)).toBe(true);
  });

  it('lets the verifier refuse a replayed widget token', async () => {
    const verifier = () =>
      new AmoDisposableTokenVerifier({
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        audience: 'https://stageguard.test',
        jtiStore: new PostgresJtiStore(t.db),
        allowInsecureLoopback: true,
      });
    const token = sandbox.widgetToken({ audience: 'https://stageguard.test' });
    expect((await verifier().verify(token)).ok).toBe(true);
    const replay = await verifier().verify(token);
    expect(replay).toMatchObject({ ok: false, reason: 'replayed' });
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import type { EmbeddedPostgresHandle } from '../../src/db/embedded-postgres.js';

declare global {
  // eslint-disable-next-line no-var
  var __SG_EMBEDDED_PG__: EmbeddedPostgresHandle | undefined;
}

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set (CI's extra run against the machine's
 * server), otherwise an embedded one in a fresh temp folder. An empty template database is created
 * here; the first test file to need it migrates it (test-db.ts, under an advisory lock), and every
 * test file clones it, so files run in parallel on isolated databases.
 *
 * Jest loads this file with Node's own ESM loader, outside its module mapping, so our `.js`
 * import specifiers do not resolve here; the embedded-postgres module has no relative imports and
 * Node 24 runs it straight from TypeScript.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const { startEmbeddedPostgres } = (await import(
      new URL('../../src/db/embedded-postgres.ts', import.meta.url).href
    )) as typeof import('../../src/db/embedded-postgres.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'stageguard-test-pg-'));
    const handle = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: await freePort(), database: 'postgres' });
    globalThis.__SG_EMBEDDED_PG__ = handle;
    adminUrl = handle.url;
  }
  const template = `sg_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  process.env.SG_TEST_ADMIN_URL = adminUrl;
  process.env.SG_TEST_TEMPLATE_DB = template;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

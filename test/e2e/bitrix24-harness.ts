import { createServer } from 'node:net';
import { allFeatures, type FeatureOptions } from '../../src/app/features.js';
import { loadManifest } from '../../src/manifest/manifest.js';
import type { Runtime } from '../../src/app/runtime.js';
import type { QueuePolicy } from '../../src/queue/queue-policies.js';
import { Bitrix24Sandbox, type Bitrix24SandboxOptions } from '../../src/sandbox/bitrix24/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';

export interface Bitrix24E2E {
  t: TestDatabase;
  sandbox: Bitrix24Sandbox;
  rt: Runtime;
  portalId: string;
  /** Deliver what the sandbox has sent, then run every ready job to the end. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/**
 * The service and a sandbox portal, installed the way a portal installs an app: the install POST
 * from the browser, the set-up job, then BX24.installFinish(). Jobs run only when the test drains
 * them, so every step is deterministic.
 */
export async function startBitrix24E2E(
  opts: { sandbox?: Bitrix24SandboxOptions; features?: FeatureOptions; install?: boolean; policies?: QueuePolicy[]; now?: () => Date } = {},
): Promise<Bitrix24E2E> {
  const t = await createTestDatabase();
  // The portal grants the scopes our manifest asks for (telephony: call durations).
  const sandbox = new Bitrix24Sandbox({ clientId: 'app.stageguard.test', clientSecret: 'sandbox-client-secret', scopes: loadManifest().bitrix24.scopes, ...opts.sandbox });
  await sandbox.start();
  const port = await freePort();
  const rt = await startTestRuntime({
    databaseUrl: t.url,
    features: allFeatures(opts.features),
    policies: opts.policies,
    now: opts.now,
    pollWorkers: false,
    env: {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ALLOW_INSECURE_LOOPBACK_HOSTS: 'true',
      BITRIX24_CLIENT_ID: sandbox.portal.clientId,
      BITRIX24_CLIENT_SECRET: sandbox.portal.clientSecret,
    },
  });
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      await sandbox.waitForDeliveries();
      const n = await rt.ctx.queue.drain();
      await sandbox.waitForDeliveries();
      if (n === 0 && sandbox.queuedEvents().length === 0) return;
      if (sandbox.deliveryMode === 'manual') return;
    }
  };
  let portalId = '';
  if (opts.install !== false) {
    const r = await sandbox.openApplication(`${rt.url}/bitrix24/install`);
    if (r.status !== 200) throw new Error(`install answered ${r.status}: ${r.body}`);
    await rt.ctx.queue.drain();
    sandbox.finishInstall();
    portalId = (await t.db.query(`SELECT id FROM portals WHERE external_id = $1`, [sandbox.portal.memberId]))[0].id;
  }
  return {
    t,
    sandbox,
    rt,
    portalId,
    settle,
    async stop() {
      await rt.stop();
      await sandbox.stop();
      await t.drop();
    },
  };
}

import { allFeatures, type FeatureOptions } from '../../src/app/features.js';
import type { Runtime } from '../../src/app/runtime.js';
import type { QueuePolicy } from '../../src/queue/queue-policies.js';
import { AmoCrmSandbox, type AmoCrmSandboxOptions } from '../../src/sandbox/amocrm/amocrm-sandbox.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';
import { freePort } from './bitrix24-harness.js';

export interface AmocrmE2E {
  t: TestDatabase;
  sandbox: AmoCrmSandbox;
  rt: Runtime;
  /** What amoCRM knows us by: PUBLIC_URL. */
  publicUrl: string;
  portalId: string;
  /** The install redirect, as the admin's browser follows it after "Allow". */
  install(state?: string | null): Promise<Response>;
  /** Let the sandbox's webhooks arrive, then run every ready job to the end; repeat until quiet. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export const AMO_PATHS = { oauth: '/amocrm/oauth', webhooks: '/amocrm/webhooks', disabled: '/amocrm/disabled' } as const;

/**
 * The service and a sandbox amoCRM account, installed the way an account installs an
 * integration: the redirect after the consent page (code, referer, client_id), the set-up job
 * (webhooks, pipelines, goal field), the history import. Jobs run only when the test drains them.
 */
export async function startAmocrmE2E(
  opts: { sandbox?: AmoCrmSandboxOptions; features?: FeatureOptions; install?: boolean; policies?: QueuePolicy[]; now?: () => Date } = {},
): Promise<AmocrmE2E> {
  const t = await createTestDatabase();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const sandbox = new AmoCrmSandbox({
    redirectUri: `${publicUrl}${AMO_PATHS.oauth}`,
    disableHookUrl: `${publicUrl}${AMO_PATHS.disabled}`,
    ...opts.sandbox,
  });
  await sandbox.start();
  const rt = await startTestRuntime({
    databaseUrl: t.url,
    features: allFeatures(opts.features),
    policies: opts.policies,
    now: opts.now,
    pollWorkers: false,
    env: {
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      ALLOW_INSECURE_LOOPBACK_HOSTS: 'true',
      AMOCRM_CLIENT_ID: sandbox.clientId,
      AMOCRM_CLIENT_SECRET: sandbox.clientSecret,
    },
  });
  const install = (state: string | null = null) => fetch(sandbox.installRedirectUrl(state), { headers: { accept: 'application/json' } });
  const settle = async () => {
    for (let i = 0; i < 50; i++) {
      await sandbox.webhooksIdle();
      const n = await rt.ctx.queue.drain();
      await sandbox.webhooksIdle();
      if (n === 0) return;
    }
    throw new Error('amoCRM e2e did not settle');
  };
  const stop = async () => {
    await rt.stop();
    await sandbox.stop();
    await t.drop();
  };
  let portalId = '';
  if (opts.install !== false) {
    try {
      const r = await install();
      if (r.status !== 200) throw new Error(`install answered ${r.status}: ${await r.text()}`);
      await settle();
      portalId = (await t.db.query(`SELECT id FROM portals WHERE host = 'amocrm' AND external_id = $1`, [String(sandbox.accountId)]))[0].id;
    } catch (err) {
      // Nothing may outlive a failed start: a running server and pool would keep jest waiting.
      await stop();
      throw err;
    }
  }
  return { t, sandbox, rt, publicUrl, portalId, install, settle, stop };
}

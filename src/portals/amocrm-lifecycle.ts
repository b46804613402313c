import { HostApiError } from '../connectors/host-api-error.js';
import type { Db } from '../db/data-source.js';
import type { HostUser, Pipeline } from '../domain/crm.js';
import type { Manifest } from '../manifest/manifest.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import type { HostLifecycle } from './host-lifecycle.js';
import type { Portal } from './portal.js';
import type { PortalRepository } from './portal.repository.js';

/** What set-up needs from an amoCRM connector beyond CrmConnector (AmoCrmConnector has all of it). */
export interface AmoSetupOps {
  account(): Promise<{ id: string; subdomain: string; currency: string | null }>;
  registerWebhooks(url: string): Promise<{ id: number; created: boolean }>;
  unregisterWebhooks(url: string): Promise<{ removed: boolean }>;
  listWebhookDestinations(): Promise<string[]>;
  ensureGoalField(name: string, options: { code: string; label: string }[]): Promise<{ fieldId: number; codesByEnumId: Record<string, string> }>;
  listPipelines(): Promise<Pipeline[]>;
  listUsers(): Promise<HostUser[]>;
}

export interface AmoLifecycleDeps {
  db: Db;
  portals: PortalRepository;
  manifest: Manifest;
  /** Ops with the portal's stored tokens. */
  opsFor(portal: Portal): AmoSetupOps;
  /** Ops with a presented access token instead (to check it is genuine). */
  opsWithToken(portal: Portal, accessToken: string): Pick<AmoSetupOps, 'account'>;
  /** The webhook URL for the portal's current secret, and the secret itself; null without a secret. */
  webhookFor(portal: Portal): { url: string; secret: string } | null;
  /** Every webhook URL of this deployment starts with it; others on the account are not ours. */
  webhookUrlPrefix: string;
  /** Goals the select field should offer: every goal of the portal's rules, or the examples before any are saved. */
  goalItems(portal: Portal): Promise<{ code: string; title: string }[]>;
}

/**
 * Install-time work on an amoCRM account. Runs after every install and re-install, and again when
 * the job is retried, so every step is idempotent: a webhook already registered for our URL is
 * left alone, a goal field is found by name, pipelines and users are replaced. Pipelines' stages
 * are keyed by pipeline + status (amoCRM's 142 won / 143 lost exist in every pipeline).
 */
export function amocrmLifecycle(d: AmoLifecycleDeps): HostLifecycle {
  const projections = new ProjectionRepository(d.db);

  /** Ours, but not for the current secret: left by an earlier install. */
  const staleWebhooks = async (ops: AmoSetupOps, keep: string | null) =>
    (await ops.listWebhookDestinations()).filter((url) => url.startsWith(d.webhookUrlPrefix) && url !== keep);

  return {
    async setUp(portal, report) {
      const ops = d.opsFor(portal);
      const total = 4;
      await report('account', 0, total);
      const account = await ops.account();
      // The tokens must belong to the account the portal is keyed by; a mix-up would feed one
      // account's data into another's rules.
      if (account.id !== portal.externalId) throw new HostApiError('AUTH_REVOKED', `tokens of account ${account.id} stored for account ${portal.externalId}`, null, 'ACCOUNT_MISMATCH');
      await d.portals.updateSettings(portal.id, { subdomain: account.subdomain, currency: account.currency });

      await report('webhooks', 1, total);
      // Read again: a second install may have drawn a new secret since this job's portal was loaded.
      const current = (await d.portals.get(portal.id)) ?? portal;
      const hook = d.webhookFor(current);
      if (!hook) throw new HostApiError('VALIDATION', 'the portal has no webhook secret: install again', null, 'NO_WEBHOOK_SECRET');
      await ops.registerWebhooks(hook.url);
      // Registered first, trusted second: until this line the old URL's deliveries still pass.
      await d.portals.setApplicationToken(portal.id, hook.secret);
      for (const url of await staleWebhooks(ops, hook.url)) await ops.unregisterWebhooks(url);

      await report('pipelines', 2, total);
      await projections.replacePipelines(portal.id, await ops.listPipelines());
      // /api/v4/users is admin-only; only admins install (oauth-20), so the installer's token can.
      await projections.replaceUsers(portal.id, await ops.listUsers());

      await report('goal_field', 3, total);
      const lang = portal.locale === 'en' ? 'en' : 'ru';
      const items = await d.goalItems(portal);
      const goalField = await ops.ensureGoalField(d.manifest.amocrm.goalField.label[lang], items.map((i) => ({ code: i.code, label: i.title })));
      await d.portals.updateSettings(portal.id, { goalField });
      await report('done', 4, total);
    },

    async verifyAccessToken(portal, accessToken) {
      try {
        return (await d.opsWithToken(portal, accessToken).account()).id === portal.externalId;
      } catch {
        return false;
      }
    },

    async tearDown(portal) {
      const ops = d.opsFor(portal);
      for (const url of await staleWebhooks(ops, null)) await ops.unregisterWebhooks(url);
    },
  };
}

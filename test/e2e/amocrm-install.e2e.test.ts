import { amocrmLifecycleFor } from '../../src/app/amocrm-wiring.js';
import { mintAmoInstallState } from '../../src/install/amocrm-install-state.js';
import { PortalRepository } from '../../src/portals/portal.repository.js';
import { SANDBOX_MAIN_PIPELINE_ID, SANDBOX_PARTNER_PIPELINE_ID } from '../../src/sandbox/amocrm/sandbox-seed.js';
import { AMO_PATHS, startAmocrmE2E, type AmocrmE2E } from './amocrm-harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (r: Response): Promise<any> => r.json();

describe('amoCRM install, re-install and uninstall on the sandbox account', () => {
  let e: AmocrmE2E;
  const ourHooks = () => [...e.sandbox.state.webhooks.values()].filter((w) => w.destination.startsWith(`${e.publicUrl}${AMO_PATHS.webhooks}/`));
  const portalRow = async () => (await e.t.db.query(`SELECT * FROM portals WHERE id = $1`, [e.portalId]))[0];

  beforeAll(async () => {
    e = await startAmocrmE2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  it('installs: account bound by its id, tokens sealed, one webhook with a secret URL, pipelines by pipeline + status, goal field, history imported', async () => {
    const row = await portalRow();
    expect(row).toMatchObject({ host: 'amocrm', external_id: String(e.sandbox.accountId), domain: e.sandbox.referer, status: 'active' });
    const tokens = await new PortalRepository(e.rt.ctx.db, e.rt.ctx.cipher).loadTokens(e.portalId);
    expect(tokens?.accessToken).toBeTruthy();
    expect(row.access_token_enc).not.toContain(tokens!.accessToken);
    expect(row.refresh_token_enc).not.toContain(tokens!.refreshToken);

    const hooks = ourHooks();
    expect(hooks).toHaveLength(1);
    const secret = hooks[0]!.destination.slice(`${e.publicUrl}${AMO_PATHS.webhooks}/`.length);
    expect(secret).toMatch(/^[\w-]{40,}$/);
    // Only the secret's keyed digest is stored, never the secret.
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(e.rt.ctx.cipher.matches(secret, row.application_token_hash)).toBe(true);
    expect(hooks[0]!.settings).toEqual(expect.arrayContaining(['add_lead', 'update_lead', 'status_lead', 'delete_lead', 'add_task', 'update_task', 'note_lead']));

    const won = await e.t.db.query(`SELECT pipeline_id, semantics FROM stages WHERE portal_id = $1 AND id = '142' ORDER BY pipeline_id`, [e.portalId]);
    expect(won).toEqual([
      { pipeline_id: String(SANDBOX_MAIN_PIPELINE_ID), semantics: 'success' },
      { pipeline_id: String(SANDBOX_PARTNER_PIPELINE_ID), semantics: 'success' },
    ]);
    expect(row.settings.currency).toBe('RUB');
    const field = e.sandbox.state.customFields.get(row.settings.goalField.fieldId)!;
    expect(field).toMatchObject({ entity_type: 'leads', type: 'select', name: 'Цель этапа' });
    expect(Object.values(row.settings.goalField.codesByEnumId).sort()).toEqual(['postponed', 'ready_to_buy', 'refused', 'requirements_received']);
    const [imp] = await e.t.db.query(`SELECT status FROM sync_state WHERE portal_id = $1 AND kind = 'history_import'`, [e.portalId]);
    expect(imp.status).toBe('done');
  });

  it('re-installs in place: same portal, a fresh secret, still exactly one webhook of ours, the same goal field', async () => {
    const before = await portalRow();
    const oldHook = ourHooks()[0]!.destination;
    const r = await e.install();
    expect(r.status).toBe(200);
    expect((await json(r)).portalId).toBe(e.portalId);
    await e.settle();
    const after = await portalRow();
    expect(after.status).toBe('active');
    expect(after.settings.goalField.fieldId).toBe(before.settings.goalField.fieldId);
    const hooks = ourHooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.destination).not.toBe(oldHook);
    expect(after.application_token_hash).not.toBe(before.application_token_hash);
    // The old URL's secret died with the old install.
    const body = `leads[update][0][id]=1&account[id]=${e.sandbox.accountId}&account[subdomain]=sandbox`;
    const stale = await fetch(oldHook, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect([stale.status, (await json(stale)).error]).toEqual([401, 'bad_secret']);
  });

  it('starts an install from our own button with a state it checks on the way back', async () => {
    const start = await fetch(`${e.publicUrl}${AMO_PATHS.oauth}/start?platform=kommo`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get('location')!);
    expect(`${consent.origin}${consent.pathname}`).toBe('https://www.kommo.com/oauth');
    expect(consent.searchParams.get('client_id')).toBe(e.sandbox.clientId);
    const r = await e.install(consent.searchParams.get('state'));
    expect(r.status).toBe(200);
    await e.settle();
  });

  it('refuses a used code, a refusal, a foreign client id, a referer that is not an account, and a state it did not issue', async () => {
    const redirect = new URL(e.sandbox.installRedirectUrl());
    const first = await fetch(redirect, { headers: { accept: 'application/json' } });
    expect(first.status).toBe(200);
    const again = await fetch(redirect, { headers: { accept: 'application/json' } });
    expect(again.status).toBe(400);
    expect((await json(again)).error).toBe('code_refused');

    const variants: [Record<string, string | null>, string][] = [
      [{ error: 'access_denied', code: null }, 'access_denied'],
      [{ client_id: 'someone-else' }, 'client_mismatch'],
      [{ referer: 'evil.example.com' }, 'bad_referer'],
      [{ state: mintAmoInstallState('another-secret-entirely-0123456789abcdef', new Date()) }, 'state_mismatch'],
    ];
    for (const [change, error] of variants) {
      const url = new URL(e.sandbox.installRedirectUrl());
      for (const [k, v] of Object.entries(change)) (v === null ? url.searchParams.delete(k) : url.searchParams.set(k, v));
      const r = await fetch(url, { headers: { accept: 'application/json' } });
      expect([r.status, (await json(r)).error]).toEqual([400, error]);
    }
    const signed = await e.install(mintAmoInstallState(e.rt.ctx.sessionSecret, new Date()));
    expect(signed.status).toBe(200);
    await e.settle();
  });

  it('shows the admin a progress page when a browser follows the redirect', async () => {
    const r = await fetch(e.sandbox.installRedirectUrl(), { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain(`${AMO_PATHS.oauth}/status`);
    await e.settle();
  });

  it('removes its webhooks on tear-down while the host still accepts the tokens', async () => {
    const portal = (await new PortalRepository(e.rt.ctx.db, e.rt.ctx.cipher).get(e.portalId))!;
    await amocrmLifecycleFor(e.rt.ctx).tearDown!(portal);
    expect(ourHooks()).toHaveLength(0);
    // Set it up again for the tests after this one.
    expect((await e.install()).status).toBe(200);
    await e.settle();
    expect(ourHooks()).toHaveLength(1);
  });

  it('ignores a disable hook with a bad signature (401, nothing changed), honours a genuine one', async () => {
    const inboxBefore = (await e.t.db.query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n;
    // (The sandbox revokes the tokens before calling: amoCRM's order. The hook itself is forged.)
    const forged = await e.sandbox.disableIntegration('not-the-client-secret');
    expect(forged.status).toBe(401);
    const url = new URL(`${e.publicUrl}${AMO_PATHS.disabled}`);
    url.searchParams.set('client_uuid', e.sandbox.clientId);
    url.searchParams.set('account_id', String(e.sandbox.accountId));
    const unsigned = await fetch(url);
    expect([unsigned.status, (await json(unsigned)).error]).toEqual([401, 'missing_parameters']);
    await e.settle();
    expect((await portalRow()).status).toBe('active');
    expect((await portalRow()).access_token_enc).not.toBeNull();
    expect((await e.t.db.query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n).toBe(inboxBefore);

    // The admin disables the integration: amoCRM revokes the tokens and calls the hook, signed.
    const genuine = await e.sandbox.disableIntegration();
    expect(genuine.status).toBe(200);
    await e.settle();
    const row = await portalRow();
    expect(row.status).toBe('uninstalled');
    // Our webhook URL now answers 401, so amoCRM's own auto-disable retires the webhook.
    const body = `leads[update][0][id]=1&account[id]=${e.sandbox.accountId}&account[subdomain]=sandbox`;
    const late = await fetch(ourHooks()[0]!.destination, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(late.status).toBe(401);
    expect([row.access_token_enc, row.refresh_token_enc]).toEqual([null, null]);
  });
});

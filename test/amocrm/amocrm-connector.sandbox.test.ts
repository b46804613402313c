import { AmoCrmConnector } from '../../src/connectors/amocrm/amocrm.connector.js';
import { AmoOAuthClient, parseAmoInstallRedirect } from '../../src/connectors/amocrm/amocrm-oauth.js';
import { InMemoryAmoRateBudget, InMemoryAmoTokenStore, unlimitedAmoRateBudget } from '../../src/connectors/amocrm/amocrm-ports.memory.js';
import type { AmoRateBudget } from '../../src/connectors/amocrm/amocrm-ports.js';
import { AmoManualClock } from '../../src/sandbox/amocrm/sandbox-clock.js';
import type { AmoCrmSandbox } from '../../src/sandbox/amocrm/amocrm-sandbox.js';
import { SANDBOX_COMPANY_ID, SANDBOX_COMPANY_STATUS_FIELD_ID, SANDBOX_MAIN_PIPELINE_ID, SANDBOX_PARTNER_PIPELINE_ID } from '../../src/sandbox/amocrm/sandbox-seed.js';
import { parseAmoWebhook } from '../../src/webhooks/amocrm/amocrm-webhook.parser.js';
import { Receiver, startSandbox } from './sandbox-harness.js';

// The connector against the sandbox over real HTTP: both sides were written from the docs, so
// here each checks the other.

describe('AmoCrmConnector against the sandbox account', () => {
  let clock: AmoManualClock;
  let sandbox: AmoCrmSandbox;
  let store: InMemoryAmoTokenStore;
  let oauth: AmoOAuthClient;
  const receiver = new Receiver();
  // Sleeping moves the sandbox's clock: a 429's retry_after passes without real waiting.
  const sleep = async (ms: number) => clock.advance(ms / 1000);

  const connector = (budget: AmoRateBudget, extra: Partial<ConstructorParameters<typeof AmoCrmConnector>[0]> = {}) =>
    new AmoCrmConnector({ baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, tokens: store, budget, oauth, now: () => new Date(clock.now()), sleep, currency: 'RUB', ...extra });

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    receiver.received.length = 0;
    clock = new AmoManualClock();
    sandbox = await startSandbox({ clock });
    oauth = new AmoOAuthClient({ clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, redirectUri: sandbox.redirectUri, now: () => new Date(clock.now()) });
    // Install: the redirect, its referer (loopback allowed for the sandbox only), the code exchange.
    const redirect = parseAmoInstallRedirect(Object.fromEntries(new URL(sandbox.installRedirectUrl('st-1')).searchParams), {
      clientId: sandbox.clientId,
      expectedState: 'st-1',
      allowInsecureLoopback: true,
    });
    if (!redirect.ok) throw new Error(redirect.detail);
    expect(redirect.baseUrl).toBe(sandbox.baseUrl);
    const grant = await oauth.exchangeCode(redirect.baseUrl, redirect.code);
    store = new InMemoryAmoTokenStore({ accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: grant.expiresAt });
  });
  afterEach(() => sandbox.stop());

  // Every caller's sleep moves the shared manual clock, so a budget on it would run fast under
  // concurrency; functional tests take a sequential budget on the manual clock, the rate test real time.
  const budget = () => new InMemoryAmoRateBudget({ now: () => clock.now(), sleep });

  it('installs: webhooks, goal field, pipelines, users — idempotently', async () => {
    const c = connector(budget());
    const url = `${receiver.url}/amo/s3cr3t`;
    expect((await c.registerWebhooks(url)).created).toBe(true);
    expect((await c.registerWebhooks(url)).created).toBe(false);
    const goal = await c.ensureGoalField('Stage goal', [{ code: 'meeting_held', label: 'Meeting held' }]);
    const again = await c.ensureGoalField('Stage goal', [{ code: 'meeting_held', label: 'Meeting held' }, { code: 'offer_sent', label: 'Offer sent' }]);
    expect(again.fieldId).toBe(goal.fieldId);
    expect(Object.values(again.codesByEnumId).sort()).toEqual(['meeting_held', 'offer_sent']);
    const pipelines = await c.listPipelines();
    expect(pipelines.map((p) => p.stages.filter((s) => s.semantics !== 'process').map((s) => `${s.pipelineId}/${s.id}`))).toEqual([
      [`${SANDBOX_MAIN_PIPELINE_ID}/142`, `${SANDBOX_MAIN_PIPELINE_ID}/143`],
      [`${SANDBOX_PARTNER_PIPELINE_ID}/142`, `${SANDBOX_PARTNER_PIPELINE_ID}/143`],
    ]);
    expect((await c.listUsers()).find((u) => u.id === '1004')).toEqual({ id: '1004', name: 'Gleb Former', email: 'gleb@sandbox.test', active: false, isAdmin: false });
    expect(await c.unregisterWebhooks(url)).toEqual({ removed: true });
  });

  it('reads a deal, its goal mark and its stage history; writes back; webhooks arrive', async () => {
    const setup = connector(budget());
    await setup.registerWebhooks(`${receiver.url}/amo/s3cr3t`);
    const goal = await setup.ensureGoalField('Stage goal', [{ code: 'meeting_held', label: 'Meeting held' }]);
    const c = connector(budget(), { goalField: goal });

    const lead = sandbox.createLead({ name: 'ACME', price: 5000, responsibleUserId: 1002, companyIds: [SANDBOX_COMPANY_ID] });
    clock.advance(3600);
    sandbox.moveLead(lead.id, 10002, undefined, 1002);
    clock.advance(3600);
    sandbox.moveLead(lead.id, 10004, undefined, 1002);
    const enumId = Number(Object.keys(goal.codesByEnumId)[0]);
    sandbox.updateLead(lead.id, { custom_fields_values: [{ field_id: goal.fieldId, values: [{ enum_id: enumId }] }] }, 1002);

    const found = await c.getDealWithHistory(String(lead.id));
    expect(found?.deal).toMatchObject({ id: String(lead.id), stageId: '10004', pipelineId: String(SANDBOX_MAIN_PIPELINE_ID), amount: 5000, responsibleId: '1002', goalMark: 'meeting_held', companyId: String(SANDBOX_COMPANY_ID) });
    expect(found?.history.map((h) => [h.stageId, h.byUserId])).toEqual([['10001', '1001'], ['10002', '1002'], ['10004', '1002']]);
    expect(await c.listStageHistory([String(lead.id)])).toEqual(found?.history);

    await c.moveDeal(String(lead.id), String(SANDBOX_PARTNER_PIPELINE_ID), '142');
    await c.setResponsible(String(lead.id), '1003');
    await c.clearGoalMark(String(lead.id));
    await c.setClientField('company', String(SANDBOX_COMPANY_ID), String(SANDBOX_COMPANY_STATUS_FIELD_ID), 'Hot');
    expect(sandbox.lead(lead.id)).toMatchObject({ pipeline_id: SANDBOX_PARTNER_PIPELINE_ID, status_id: 142, responsible_user_id: 1003, custom_fields_values: null });
    expect(sandbox.state.client('companies', SANDBOX_COMPANY_ID)?.custom_fields_values?.[0].values[0]).toMatchObject({ value: 'Hot', enum_id: 7001 });
    expect((await c.getDealWithHistory(String(lead.id)))?.history.at(-1)).toMatchObject({ pipelineId: String(SANDBOX_PARTNER_PIPELINE_ID), stageId: '142' });

    await sandbox.webhooksIdle();
    const kinds = receiver.received.flatMap((r) => {
      const parsed = parseAmoWebhook(r.body);
      return parsed.ok ? parsed.events.map((e) => `${e.kind}:${e.hostEventName}`) : [];
    });
    expect(kinds).toEqual(expect.arrayContaining(['deal_changed:leads.add', 'deal_changed:leads.status', 'deal_changed:leads.responsible']));
  });

  it('creates tasks and comments that it finds again by marker; notify replaces by tag', async () => {
    const c = connector(budget());
    const lead = sandbox.createLead({ name: 'ACME' });
    const task = await c.createTask({ dealId: String(lead.id), title: 'Call', description: 'Ask about budget', responsibleId: '1002', deadline: new Date(clock.now() + 86_400_000).toISOString(), marker: 'sg-00000000000000000001' });
    expect(await c.findTaskByMarker('sg-00000000000000000001', String(lead.id))).toEqual(task);
    expect(await c.findTaskByMarker('sg-00000000000000000002', String(lead.id))).toBeNull();
    const comment = await c.addComment(String(lead.id), 'Stage skipped', 'sg-00000000000000000003');
    expect(await c.findCommentByMarker('sg-00000000000000000003', String(lead.id))).toEqual(comment);

    await c.notify('1003', 'Deal skipped a stage', 'skip:1');
    await c.notify('1003', 'Deal skipped a stage (again)', 'skip:1');
    const notes = sandbox.tasks({ responsibleUserId: 1003 });
    expect(notes).toHaveLength(1);
    expect(notes[0].text).toMatch(/^Deal skipped a stage \(again\)/);
    expect(await c.getActivity(`task:${notes[0].id}`)).toBeNull();

    const call = sandbox.addCall({ leadId: lead.id, direction: 'out', durationSec: 42, userId: 1002 });
    expect(await c.getActivity(`note:leads:${call.id}`)).toMatchObject({ kind: 'call', direction: 'out', durationSec: 42, responsibleId: '1002', dealIds: [String(lead.id)] });
    expect(await c.getActivity(`task:${task.id}`)).toMatchObject({ kind: 'task', completed: false, dealIds: [String(lead.id)] });

    const all = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i += 1) {
      const page = await c.listActivitiesModifiedSince(new Date(clock.now() - 3600_000), cursor);
      all.push(...page.activities);
      if (!page.nextAfterId) break;
      cursor = page.nextAfterId;
    }
    expect(all.map((a) => a.id).sort()).toEqual([`note:leads:${call.id}`, `task:${task.id}`].sort());
  });

  it('refreshes an expired access token once and persists the rotated pair', async () => {
    const c = connector(budget());
    await c.listPipelines();
    const before = await store.load();
    clock.advance(25 * 3600);
    await c.listPipelines();
    const after = await store.load();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(sandbox.oauth.grants.filter((g) => g.grantType === 'refresh_token')).toEqual([{ grantType: 'refresh_token', ok: true, at: expect.any(Number) }]);
    // The old refresh token is gone for good: only the persisted one works.
    await expect(oauth.refresh(sandbox.baseUrl, before!.refreshToken)).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
  });

  it('a 401 from a revoked integration ends in AUTH_REVOKED', async () => {
    const c = connector(budget());
    await sandbox.disableIntegration();
    await expect(c.listPipelines()).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
  });

  it('stays within 7 req/s with the budget (real time)', async () => {
    await sandbox.stop();
    sandbox = await startSandbox();
    const pair = sandbox.issueTokens();
    store = new InMemoryAmoTokenStore({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: new Date(Date.now() + 86_400_000) });
    const lead = sandbox.createLead();
    const c = new AmoCrmConnector({ baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, tokens: store, budget: new InMemoryAmoRateBudget(), oauth });
    const started = Date.now();
    await Promise.all(Array.from({ length: 9 }, () => c.getDealWithHistory(String(lead.id))));
    expect(sandbox.callCount({ path: /^\/api\/v4\// })).toBe(18);
    expect(sandbox.callCount({ status: 429 })).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(2500);
  });

  it('waits out 429s without a budget', async () => {
    const lead = sandbox.createLead();
    const reckless = connector(unlimitedAmoRateBudget);
    const results = await Promise.all(Array.from({ length: 20 }, () => reckless.getDealWithHistory(String(lead.id))));
    expect(results.every((r) => r?.deal.id === String(lead.id))).toBe(true);
    expect(sandbox.callCount({ status: 429 })).toBeGreaterThan(0);
  });
});

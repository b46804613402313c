import { parseAmoWebhook } from '../../src/webhooks/amocrm/amocrm-webhook.parser.js';
import { parseAmoFormBody } from '../../src/webhooks/amocrm/amocrm-form-body.parser.js';
import { AmoManualClock } from '../../src/sandbox/amocrm/sandbox-clock.js';
import type { AmoCrmSandbox } from '../../src/sandbox/amocrm/amocrm-sandbox.js';
import { SANDBOX_MAIN_PIPELINE_ID } from '../../src/sandbox/amocrm/sandbox-seed.js';
import { call, Receiver, startSandbox } from './sandbox-harness.js';

const SETTINGS = ['add_lead', 'update_lead', 'status_lead', 'responsible_lead', 'delete_lead', 'note_lead', 'add_task', 'update_task'];

describe('amoCRM sandbox: webhooks', () => {
  let sandbox: AmoCrmSandbox;
  let token: string;
  const receiver = new Receiver();

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.status = () => 200;
    sandbox = await startSandbox({ clock: new AmoManualClock() });
    token = sandbox.issueTokens().accessToken;
    const res = await call(sandbox, 'POST', '/api/v4/webhooks', token, { destination: `${receiver.url}/amo/s3cr3t`, settings: SETTINGS, sort: 10 });
    expect(res.status).toBe(200);
  });
  afterEach(() => sandbox.stop());

  it('sends a stage change as the documented form body, status and update in one request', async () => {
    const lead = sandbox.createLead({ name: 'Deal', price: 1000 });
    await sandbox.webhooksIdle(); // immediate deliveries race each other; keep the order for the test
    sandbox.moveLead(lead.id, 10003, undefined, 1002);
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(2);
    const [, move] = receiver.received;
    expect(move.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(move.headers['user-agent']).toBe('amoCRM-Webhooks/3.0');
    expect(move.headers['x-amocrm-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(move.path).toBe('/amo/s3cr3t');
    const parsed = parseAmoFormBody(move.body, { maxLength: 100_000 });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(Object.keys(parsed.value)).toEqual(['leads', 'account']);
    const status = (parsed.value.leads as Record<string, Record<string, Record<string, string>>>).status['0'];
    expect(status).toEqual({
      id: String(lead.id),
      name: 'Deal',
      status_id: '10003',
      old_status_id: '10001',
      price: '1000',
      responsible_user_id: '1001',
      last_modified: String(lead.created_at),
      modified_user_id: '1002',
      created_user_id: '1001',
      date_create: String(lead.created_at),
      pipeline_id: String(SANDBOX_MAIN_PIPELINE_ID),
      account_id: String(sandbox.accountId),
      created_at: String(lead.created_at),
      updated_at: String(lead.created_at),
    });
    expect(parsed.value.account).toEqual({ subdomain: 'sandbox', id: String(sandbox.accountId), _links: { self: sandbox.baseUrl } });
    // And our own parser reads what the sandbox sends.
    const events = parseAmoWebhook(move.body);
    expect(events.ok && events.events.map((e) => [e.kind, e.hostEventName])).toEqual([['deal_changed', 'leads.status'], ['deal_changed', 'leads.update']]);
  });

  it('encodes keys PHP-style: brackets percent-encoded, spaces as +', async () => {
    sandbox.createLead({ name: 'Big deal' });
    await sandbox.webhooksIdle();
    expect(receiver.received[0].body).toContain('leads%5Badd%5D%5B0%5D%5Bname%5D=Big+deal');
  });

  it('sends tasks under the singular `task` and notes wrapped in [note]', async () => {
    const lead = sandbox.createLead();
    await sandbox.webhooksIdle();
    const task = sandbox.addTask({ leadId: lead.id, text: 'Call back', completeTill: 1768300000, responsibleUserId: 1002 });
    await sandbox.webhooksIdle();
    sandbox.completeTask(task.id, 'Done');
    await sandbox.webhooksIdle();
    sandbox.addCall({ leadId: lead.id, direction: 'in', durationSec: 95 });
    await sandbox.webhooksIdle();
    const bodies = receiver.received.map((r) => parseAmoFormBody(r.body, { maxLength: 100_000 })).map((p) => (p.ok ? p.value : {}));
    expect(Object.keys(bodies[1])).toEqual(['task', 'account']);
    expect((bodies[1].task as Record<string, Record<string, Record<string, string>>>).add['0']).toMatchObject({ id: String(task.id), element_id: String(lead.id), element_type: '2', text: 'Call back', status: '0', complete_before: '1768300000' });
    expect((bodies[2].task as Record<string, Record<string, Record<string, string>>>).update['0']).toMatchObject({ status: '1', action_close: '1' });
    const note = (bodies[3].leads as Record<string, Record<string, Record<string, Record<string, string>>>>).note['0'].note;
    expect(note).toMatchObject({ note_type: '10', element_type: '2', element_id: String(lead.id) });
    expect(JSON.parse(note.text)).toMatchObject({ DURATION: 95 });
    const parsed = parseAmoWebhook(receiver.received[3].body);
    expect(parsed.ok && parsed.events[0]).toMatchObject({ kind: 'activity_changed', entityId: expect.stringMatching(/^note:leads:\d+$/) });
  });

  it('drops a failed delivery: no retry', async () => {
    receiver.status = () => 500;
    sandbox.createLead();
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(sandbox.deliveries.map((d) => d.status)).toEqual([500]);
  });

  it('queues in manual mode, then flushes duplicated and in reverse order', async () => {
    sandbox.setWebhookMode('manual');
    const lead = sandbox.createLead({ name: 'A' });
    sandbox.moveLead(lead.id, 10002);
    expect(receiver.received).toHaveLength(0);
    expect(sandbox.webhooks.pending()).toHaveLength(2);
    const sent = await sandbox.flushWebhooks({ duplicate: true, reverse: true });
    expect(sent.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    const names = receiver.received.map((r) => {
      const p = parseAmoWebhook(r.body);
      return p.ok ? p.events[0].hostEventName : '';
    });
    expect(names).toEqual(['leads.status', 'leads.status', 'leads.add', 'leads.add']);
    expect(receiver.received[0].body).toBe(receiver.received[1].body);
  });

  it('in dead-endpoint mode sends nothing, and disables the webhook after more than 100 failures', async () => {
    sandbox.setWebhookMode('dead');
    for (let i = 0; i < 101; i += 1) sandbox.createLead();
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(0);
    expect(sandbox.deliveries).toHaveLength(101);
    const hooks = await call(sandbox, 'GET', '/api/v4/webhooks', token);
    expect(hooks.json._embedded.webhooks[0].disabled).toBe(true);
    sandbox.setWebhookMode('immediate');
    sandbox.createLead();
    await sandbox.webhooksIdle();
    expect(sandbox.deliveries).toHaveLength(101);
  });

  it('sends only what a webhook subscribed to', async () => {
    await call(sandbox, 'POST', '/api/v4/webhooks', token, { destination: `${receiver.url}/amo/s3cr3t`, settings: ['status_lead'] });
    const lead = sandbox.createLead();
    sandbox.moveLead(lead.id, 10002);
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const parsed = parseAmoWebhook(receiver.received[0].body);
    expect(parsed.ok && parsed.events.map((e) => e.hostEventName)).toEqual(['leads.status']);
  });

  it('deletes a webhook by destination', async () => {
    const del = await call(sandbox, 'DELETE', '/api/v4/webhooks', token, { destination: `${receiver.url}/amo/s3cr3t` });
    expect(del.status).toBe(204);
    sandbox.createLead();
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(0);
  });
});

import { AMO_WEBHOOK_MAX_BYTES } from '../../src/webhooks/amocrm/amocrm-webhook.parser.js';
import { SANDBOX_MAIN_PIPELINE_ID } from '../../src/sandbox/amocrm/sandbox-seed.js';
import { AMO_PATHS, startAmocrmE2E, type AmocrmE2E } from './amocrm-harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (r: Response): Promise<any> => r.json();

// amoCRM signs nothing: what stands between the internet and the inbox is the secret in the URL
// and the body's account[id]. Each forgery is refused with 401 and a reason, and nothing is stored.
describe('amoCRM webhooks endpoint', () => {
  let e: AmocrmE2E;
  let url: string;
  const counts = async () => ({
    inbox: (await e.t.db.query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n as number,
    jobs: (await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'event'`))[0].n as number,
  });
  const post = (to: string, body: string) => fetch(to, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const leadUpdate = (leadId: number, accountId: number | string, updatedAt = 1726572758) =>
    [
      `leads[update][0][id]=${leadId}`,
      `leads[update][0][status_id]=10001`,
      `leads[update][0][pipeline_id]=${SANDBOX_MAIN_PIPELINE_ID}`,
      `leads[update][0][account_id]=${accountId}`,
      `leads[update][0][updated_at]=${updatedAt}`,
      `account[subdomain]=sandbox`,
      `account[id]=${accountId}`,
    ].join('&');

  beforeAll(async () => {
    e = await startAmocrmE2E();
    url = [...e.sandbox.state.webhooks.values()][0]!.destination;
  });
  afterAll(async () => {
    await e.stop();
  });

  it('refuses a wrong secret, a guessed one and a missing one: 401 with a reason, nothing stored', async () => {
    const before = await counts();
    for (const forged of [`${url.slice(0, -4)}AAAA`, `${e.publicUrl}${AMO_PATHS.webhooks}/guess`]) {
      const r = await post(forged, leadUpdate(30_000_001, e.sandbox.accountId));
      expect([r.status, (await json(r)).error]).toEqual([401, 'bad_secret']);
    }
    expect((await post(`${e.publicUrl}${AMO_PATHS.webhooks}`, leadUpdate(30_000_001, e.sandbox.accountId))).status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('refuses our secret with another account in the body (401), and an account that is not installed (401)', async () => {
    const before = await counts();
    const other = await post(url, leadUpdate(30_000_001, 99_000_001));
    expect([other.status, (await json(other)).error]).toEqual([401, 'unknown_account']);
    // Another installed account's id with our secret: the secret is not that account's.
    await e.t.db.query(
      `INSERT INTO portals (host, external_id, domain, status, application_token_hash) VALUES ('amocrm', '31000002', 'other.amocrm.ru', 'active', $1)`,
      [e.rt.ctx.cipher.digest('the-other-accounts-secret')],
    );
    const crossed = await post(url, leadUpdate(30_000_001, 31_000_002));
    const body = await json(crossed);
    expect([crossed.status, body.error]).toEqual([401, 'bad_secret']);
    expect(body.message).toContain('31000002');
    expect(await counts()).toEqual(before);
  });

  it('answers 400 to a body that is not an amoCRM webhook, or too large, storing nothing', async () => {
    const before = await counts();
    for (const body of ['leads[update][0][id]=1', 'account[id]=x', 'a[b]=1&a[b][c]=2&account[id]=1', `account[id]=${e.sandbox.accountId}&x=${'y'.repeat(AMO_WEBHOOK_MAX_BYTES)}`]) {
      const r = await post(url, body);
      expect(r.status).toBe(400);
    }
    expect(await counts()).toEqual(before);
  });

  it('stores every event of a batched delivery, each with its job, and a repeat as a duplicate', async () => {
    const before = await counts();
    const body = [
      leadUpdate(30_000_101, e.sandbox.accountId),
      `leads[status][0][id]=30000102&leads[status][0][status_id]=10002&leads[status][0][old_status_id]=10001&leads[status][0][pipeline_id]=${SANDBOX_MAIN_PIPELINE_ID}&leads[status][0][updated_at]=1726572760`,
      `task[add][0][id]=40000101&task[add][0][element_id]=30000101&task[add][0][element_type]=2&task[add][0][text]=Call&task[add][0][updated_at]=1726572761`,
    ].join('&');
    const started = Date.now();
    const r = await post(url, body);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await json(r)).toEqual({ status: 'ok', accepted: 3, duplicates: 0 });
    const rows = await e.t.db.query(`SELECT event_name, entity_id, payload->>'kind' AS kind FROM inbox_events ORDER BY id DESC LIMIT 3`);
    expect(rows.map((x: { event_name: string; entity_id: string; kind: string }) => `${x.event_name} ${x.entity_id} ${x.kind}`).sort()).toEqual([
      'leads.status 30000102 deal_changed',
      'leads.update 30000101 deal_changed',
      'task.add task:40000101 activity_changed',
    ]);
    expect(await counts()).toEqual({ inbox: before.inbox + 3, jobs: before.jobs + 3 });

    const again = await post(url, body);
    expect(await json(again)).toEqual({ status: 'ok', accepted: 0, duplicates: 3 });
    expect(await counts()).toEqual({ inbox: before.inbox + 3, jobs: before.jobs + 3 });
  });

  it('receives what the sandbox account sends, well inside amoCRM 2-second limit', async () => {
    const from = e.sandbox.deliveries.length;
    const lead = e.sandbox.createLead({ name: 'Delivered', responsibleUserId: 1002 });
    e.sandbox.moveLead(lead.id, 10003, undefined, 1002);
    await e.settle();
    const deliveries = e.sandbox.deliveries.slice(from);
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    const [deal] = await e.t.db.query(`SELECT stage_id FROM deals WHERE portal_id = $1 AND id = $2`, [e.portalId, String(lead.id)]);
    expect(deal.stage_id).toBe('10003');
  });
});

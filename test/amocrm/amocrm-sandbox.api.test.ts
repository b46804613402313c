import { AmoManualClock } from '../../src/sandbox/amocrm/sandbox-clock.js';
import type { AmoCrmSandbox } from '../../src/sandbox/amocrm/amocrm-sandbox.js';
import { SANDBOX_MAIN_PIPELINE_ID, SANDBOX_PARTNER_PIPELINE_ID } from '../../src/sandbox/amocrm/sandbox-seed.js';
import { call, startSandbox } from './sandbox-harness.js';

describe('amoCRM sandbox: API v4', () => {
  let clock: AmoManualClock;
  let sandbox: AmoCrmSandbox;
  let token: string;

  beforeEach(async () => {
    clock = new AmoManualClock();
    sandbox = await startSandbox({ clock, blockAfter429s: 3 });
    token = sandbox.issueTokens().accessToken;
  });
  afterEach(() => sandbox.stop());

  it('answers 429 past 7 requests in a second, with the documented body, and again after the second passes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await call(sandbox, 'GET', '/api/v4/account', token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    const limited = await call(sandbox, 'GET', '/api/v4/account', token);
    expect(limited.json).toEqual({
      title: 'Too Many Requests',
      type: 'https://httpstatus.es/429',
      status: 429,
      detail: 'You have sent too many requests in a given amount of time. Please try again later.',
      retry_after: 1,
    });
    clock.advance(1);
    expect((await call(sandbox, 'GET', '/api/v4/account', token)).status).toBe(200);
  });

  it('blocks the account with an HTML 403 after repeated 429s', async () => {
    for (let i = 0; i < 10; i += 1) await call(sandbox, 'GET', '/api/v4/account', token);
    clock.advance(60);
    const blocked = await call(sandbox, 'GET', '/api/v4/account', token);
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('content-type')).toMatch(/text\/html/);
    expect(blocked.text).toContain('403 Forbidden');
    sandbox.unblock();
    expect((await call(sandbox, 'GET', '/api/v4/account', token)).status).toBe(200);
  });

  it('has 142 and 143 in every pipeline', async () => {
    const res = await call(sandbox, 'GET', '/api/v4/leads/pipelines', token);
    expect(res.headers.get('content-type')).toMatch(/application\/hal\+json/);
    for (const p of res.json._embedded.pipelines) {
      const ids = p._embedded.statuses.map((s: { id: number }) => s.id);
      expect(ids).toEqual(expect.arrayContaining([142, 143]));
    }
    expect(res.json._embedded.pipelines.map((p: { id: number; is_main: boolean }) => [p.id, p.is_main])).toEqual([[SANDBOX_MAIN_PIPELINE_ID, true], [SANDBOX_PARTNER_PIPELINE_ID, false]]);
  });

  it('answers an empty list with 204 and no body, and pages with _links.next', async () => {
    expect((await call(sandbox, 'GET', '/api/v4/leads', token)).status).toBe(204);
    for (let i = 0; i < 3; i += 1) sandbox.createLead({ name: `L${i}` });
    const first = await call(sandbox, 'GET', '/api/v4/leads?limit=2', token);
    expect(first.json._page).toBe(1);
    expect(first.json._embedded.leads).toHaveLength(2);
    const next = first.json._links.next.href as string;
    expect(next.startsWith(sandbox.baseUrl)).toBe(true);
    const second = await call(sandbox, 'GET', next.slice(sandbox.baseUrl.length), token);
    expect(second.json._embedded.leads.map((l: { name: string }) => l.name)).toEqual(['L2']);
    expect(second.json._links.next).toBeUndefined();
    expect((await call(sandbox, 'GET', '/api/v4/leads?limit=251', token)).json).toMatchObject({ status: 422, detail: 'Limit 250 per page' });
  });

  it('records lead_status_changed with value_before / value_after on every move, newest first', async () => {
    const lead = sandbox.createLead({ name: 'Deal' });
    clock.advance(60);
    sandbox.moveLead(lead.id, 10002);
    clock.advance(60);
    await call(sandbox, 'PATCH', `/api/v4/leads/${lead.id}`, token, { status_id: 20002, pipeline_id: SANDBOX_PARTNER_PIPELINE_ID });
    const events = await call(sandbox, 'GET', `/api/v4/events?filter[entity][]=lead&filter[entity_id][]=${lead.id}&filter[type][]=lead_status_changed&limit=100`, token);
    expect(events.json._embedded.events.map((e: { value_before: unknown; value_after: unknown }) => [e.value_before, e.value_after])).toEqual([
      [[{ lead_status: { id: 10002, pipeline_id: SANDBOX_MAIN_PIPELINE_ID } }], [{ lead_status: { id: 20002, pipeline_id: SANDBOX_PARTNER_PIPELINE_ID } }]],
      [[{ lead_status: { id: 10001, pipeline_id: SANDBOX_MAIN_PIPELINE_ID } }], [{ lead_status: { id: 10002, pipeline_id: SANDBOX_MAIN_PIPELINE_ID } }]],
    ]);
    expect(events.json._embedded.events[0].id).toMatch(/^[0-9a-z]{26}$/);
    expect((await call(sandbox, 'GET', '/api/v4/events?limit=101', token)).status).toBe(422);
  });

  it('refuses a stage of another pipeline, with validation-errors', async () => {
    const lead = sandbox.createLead({ name: 'Deal' });
    const res = await call(sandbox, 'PATCH', `/api/v4/leads/${lead.id}`, token, { status_id: 20002 });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
      'validation-errors': [{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'status_id', detail: 'The value you selected is not a valid choice.' }] }],
    });
    // 142 is in every pipeline.
    expect((await call(sandbox, 'PATCH', `/api/v4/leads/${lead.id}`, token, { status_id: 142 })).status).toBe(200);
    expect(sandbox.lead(lead.id)!.closed_at).not.toBeNull();
  });

  it('answers an empty write with 400 "Request data can not be empty"', async () => {
    const lead = sandbox.createLead();
    expect((await call(sandbox, 'PATCH', `/api/v4/leads/${lead.id}`, token, {})).json).toMatchObject({ status: 400, detail: 'Request data can not be empty' });
  });

  it('answers a missing lead with 204 and an unknown path with 404 problem+json', async () => {
    expect((await call(sandbox, 'GET', '/api/v4/leads/999', token)).status).toBe(204);
    const res = await call(sandbox, 'GET', '/api/v4/nothing', token);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ title: 'Not Found', status: 404 });
  });

  it('keeps /users and /webhooks for admins (JSON 403 otherwise)', async () => {
    const manager = sandbox.issueTokens(1002).accessToken;
    expect((await call(sandbox, 'GET', '/api/v4/users', manager)).json).toMatchObject({ status: 403, title: 'Forbidden' });
    expect((await call(sandbox, 'GET', '/api/v4/users', token)).json._embedded.users).toHaveLength(4);
  });

  it('creates tasks only with text, due date and responsible user', async () => {
    const lead = sandbox.createLead();
    const bad = await call(sandbox, 'POST', '/api/v4/tasks', token, [{ text: 'x', entity_type: 'leads', entity_id: lead.id }]);
    expect(bad.status).toBe(400);
    expect(bad.json['validation-errors'][0].errors.map((e: { path: string }) => e.path)).toEqual(['complete_till', 'responsible_user_id']);
    const ok = await call(sandbox, 'POST', '/api/v4/tasks', token, [{ text: 'x', complete_till: 1768300000, responsible_user_id: 1002, entity_type: 'leads', entity_id: lead.id, request_id: 'r1' }]);
    expect(ok.json._embedded.tasks).toEqual([{ id: expect.any(Number), request_id: 'r1', _links: expect.any(Object) }]);
  });

  it('counts calls per path', async () => {
    await call(sandbox, 'GET', '/api/v4/account', token);
    await call(sandbox, 'GET', '/api/v4/leads/pipelines', token);
    expect(sandbox.callCount({ path: '/api/v4/account' })).toBe(1);
    expect(sandbox.callCount({ path: /^\/api\/v4\// })).toBe(2);
  });
});

import { api, harness, queryOf, sorted, useNock } from './connector-harness.js';
import { jsonFixture } from './form-fixture.js';

useNock();

describe('AmoCrmConnector reads', () => {
  it('lists pipelines with 142/143 in every pipeline, keyed by pipeline, ordered by sort', async () => {
    api().get('/api/v4/leads/pipelines').reply(200, jsonFixture('api/pipelines.json'), { 'Content-Type': 'application/hal+json' });
    const { connector } = harness();
    const pipelines = await connector.listPipelines();
    expect(pipelines.map((p) => [p.id, p.isDefault])).toEqual([['3177727', true], ['3177999', false]]);
    expect(pipelines[0].stages.map((s) => [s.pipelineId, s.id, s.semantics])).toEqual([
      ['3177727', '32392156', 'process'],
      ['3177727', '32392159', 'process'],
      ['3177727', '142', 'success'],
      ['3177727', '143', 'failure'],
    ]);
    expect(pipelines[1].stages.map((s) => [s.pipelineId, s.id, s.semantics])).toEqual([
      ['3177999', '40000001', 'process'],
      ['3177999', '142', 'success'],
      ['3177999', '143', 'failure'],
    ]);
  });

  it('reads a lead with contacts and its stage history across event pages', async () => {
    let eventsQuery: [string, string][] = [];
    api()
      .get('/api/v4/leads/17657')
      .query({ with: 'contacts' })
      .reply(200, jsonFixture('api/lead-17657.json'))
      .get('/api/v4/events')
      .query(true)
      .reply((req: Request) => {
        eventsQuery = queryOf(req.url);
        return [200, jsonFixture('api/events-lead-17657-page1.json')];
      })
      .get('/api/v4/events')
      .query((q) => q.page === '2')
      .reply(200, jsonFixture('api/events-lead-17657-page2.json'));
    const { connector, budget } = harness();

    const found = await connector.getDealWithHistory('17657');
    expect(eventsQuery).toEqual(
      sorted([
        ['filter[entity][]', 'lead'],
        ['filter[entity_id][]', '17657'],
        ['filter[type][]', 'lead_status_changed'],
        ['limit', '100'],
      ]),
    );
    expect(budget.takes).toBe(3);
    expect(found?.deal).toEqual({
      id: '17657',
      pipelineId: '1113',
      stageId: '2030',
      title: 'Тестовая сделка',
      responsibleId: '321123',
      amount: 25000,
      currency: 'RUB',
      closeDate: null,
      probability: null,
      companyId: '40401297',
      contactId: '7002',
      createdAt: '2020-04-24T15:13:46.000Z',
      updatedAt: '2020-04-30T10:14:03.000Z',
      goalMark: 'meeting_held',
      fields: expect.objectContaining({ '1278898021': '2020-05-08', '555001': 9001, loss_reason_id: null, tags: ['Тег для примера'] }),
    });
    // Creation (before the first recorded move), then the moves in time order; a robot move has no user.
    expect(found?.history).toEqual([
      { id: 'created-17657', dealId: '17657', pipelineId: '1113', stageId: '2010', at: '2020-04-24T15:13:46.000Z', byUserId: '12332' },
      { id: '01e6d0m0k7a1v2x3y4z5q6w7e8', dealId: '17657', pipelineId: '1113', stageId: '2020', at: new Date(1587900000 * 1000).toISOString(), byUserId: null },
      { id: '01e6gnz1y8c2w5r9dq3mbv0a7b', dealId: '17657', pipelineId: '1113', stageId: '2030', at: new Date(1588241643 * 1000).toISOString(), byUserId: '12323' },
    ]);
  });

  it.each([
    ['204 No Content', 204, ''],
    ['404 problem+json', 404, jsonFixture('errors/not-found-404.json')],
  ])('answers null for a lead that is gone (%s)', async (_name, status, body) => {
    api().get('/api/v4/leads/1').query(true).reply(status, body);
    expect(await harness().connector.getDealWithHistory('1')).toBeNull();
  });

  it('refuses a non-numeric id without calling the host', async () => {
    await expect(harness().connector.getDealWithHistory('1/../../users')).rejects.toMatchObject({ code: 'VALIDATION', hostCode: 'BAD_ID' });
  });

  it('reads tasks and call notes as activities', async () => {
    api()
      .get('/api/v4/tasks/56981')
      .reply(200, jsonFixture<{ _embedded: { tasks: unknown[] } }>('api/tasks-lead-page1.json')._embedded.tasks[0] as object)
      .get('/api/v4/leads/notes/76787983')
      .reply(200, jsonFixture('api/notes-call-in.json'))
      .get('/api/v4/tasks/1')
      .reply(204);
    const { connector } = harness();
    expect(await connector.getActivity('task:56981')).toEqual({
      id: 'task:56981',
      kind: 'meeting',
      direction: null,
      durationSec: null,
      completed: true,
      responsibleId: '123123',
      dealIds: ['17657'],
      subject: 'Пригласить на встречу',
      createdAt: new Date(1575364000 * 1000).toISOString(),
      startAt: new Date(1575910423 * 1000).toISOString(),
      deadline: new Date(1575910423 * 1000).toISOString(),
    });
    expect(await connector.getActivity('note:leads:76787983')).toMatchObject({
      id: 'note:leads:76787983',
      kind: 'call',
      direction: 'in',
      durationSec: 60,
      completed: true,
      responsibleId: '940088',
      dealIds: ['17657'],
    });
    expect(await connector.getActivity('task:1')).toBeNull();
    expect(await connector.getActivity('bogus')).toBeNull();
  });

  it('lists users with admin and active flags', async () => {
    api().get('/api/v4/users').query({ limit: '250' }).reply(200, jsonFixture('api/users.json'));
    expect(await harness().connector.listUsers()).toEqual([
      { id: '123123', name: 'Пользователь для примера', email: 'example@mail.com', active: true, isAdmin: true },
      { id: '123124', name: 'Уволенный', email: null, active: false, isAdmin: false },
    ]);
  });

  it('pages deals modified since a date with an opaque cursor', async () => {
    const lead = jsonFixture('api/lead-17657.json');
    const queries: [string, string][][] = [];
    api()
      .get('/api/v4/leads')
      .query(true)
      .times(2)
      .reply((req: Request) => {
        const q = queryOf(req.url);
        queries.push(q);
        const page = q.find(([k]) => k === 'page')?.[1];
        return [200, { _page: Number(page), _links: page === '1' ? { next: { href: 'https://example.amocrm.ru/api/v4/leads?page=2' } } : {}, _embedded: { leads: [lead] } }];
      });
    const { connector } = harness();
    const first = await connector.listDealsModifiedSince(new Date('2026-01-01T00:00:00Z'));
    expect(first.nextAfterId).toBe('p2');
    const second = await connector.listDealsModifiedSince(new Date('2026-01-01T00:00:00Z'), first.nextAfterId!);
    expect(second.nextAfterId).toBeNull();
    expect(queries[0]).toEqual(sorted([['filter[updated_at][from]', '1767225600'], ['order[id]', 'asc'], ['with', 'contacts'], ['limit', '250'], ['page', '1']]));
    expect(second.deals[0].id).toBe('17657');
  });

  it('lists activities phase by phase: tasks, then lead, contact and company notes', async () => {
    const seen: string[] = [];
    let notesQuery: [string, string][] = [];
    const record = (body: object) => (req: Request): [number, object] => {
      seen.push(new URL(req.url).pathname);
      if (req.url.includes('/notes')) notesQuery = queryOf(req.url);
      return [200, body];
    };
    api()
      .get('/api/v4/tasks').query(true).reply(record(jsonFixture('api/tasks-lead-page2.json')))
      .get('/api/v4/leads/notes').query(true).reply(record({ _embedded: { notes: [jsonFixture('api/notes-call-in.json')] } }))
      .get('/api/v4/contacts/notes').query(true).reply(204)
      .get('/api/v4/companies/notes').query(true).reply(204);
    const { connector } = harness();
    const since = new Date('2026-01-01T00:00:00Z');
    const all = [];
    let cursor: string | undefined;
    const cursors: (string | null)[] = [];
    for (let i = 0; i < 10; i += 1) {
      const page = await connector.listActivitiesModifiedSince(since, cursor);
      all.push(...page.activities);
      cursors.push(page.nextAfterId);
      if (!page.nextAfterId) break;
      cursor = page.nextAfterId;
    }
    expect(cursors).toEqual(['leads:1', 'contacts:1', 'companies:1', null]);
    expect(seen).toEqual(['/api/v4/tasks', '/api/v4/leads/notes']);
    expect(notesQuery).toEqual(
      sorted([
        ...['call_in', 'call_out', 'amomail_message', 'sms_in', 'sms_out', 'chat'].map((t): [string, string] => ['filter[note_type][]', t]),
        ['filter[updated_at][from]', '1767225600'],
        ['order[id]', 'asc'],
        ['limit', '250'],
        ['page', '1'],
      ]),
    );
    expect(all.map((a) => [a.id, a.kind])).toEqual([['task:56990', 'task'], ['note:leads:76787983', 'call']]);
  });

  it('reads the stage history of many leads in a few requests', async () => {
    const lead = jsonFixture<Record<string, unknown>>('api/lead-17657.json');
    let leadsQuery: [string, string][] = [];
    api()
      .get('/api/v4/leads')
      .query(true)
      .reply((req: Request) => {
        leadsQuery = queryOf(req.url);
        return [200, { _embedded: { leads: [lead] } }];
      })
      .get('/api/v4/events')
      .query(true)
      .reply(200, { _embedded: { events: jsonFixture<{ _embedded: { events: unknown[] } }>('api/events-lead-17657-page2.json')._embedded.events } });
    const history = await harness().connector.listStageHistory(['17657', '17658', '17657']);
    expect(leadsQuery).toEqual(sorted([['filter[id][]', '17657'], ['filter[id][]', '17658'], ['limit', '250']]));
    expect(history.map((h) => [h.id, h.stageId])).toEqual([['created-17657', '2010'], ['01e6d0m0k7a1v2x3y4z5q6w7e8', '2020']]);
  });

  it('never follows a next link off the account domain', async () => {
    api().get('/api/v4/users').query(true).reply(200, { _links: { next: { href: 'https://evil.example.com/steal' } }, _embedded: { users: [] } });
    await expect(harness().connector.listUsers()).rejects.toMatchObject({ hostCode: 'FOREIGN_LINK' });
  });
});

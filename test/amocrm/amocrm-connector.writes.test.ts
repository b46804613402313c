import { api, harness, NOW, queryOf, sorted, useNock } from './connector-harness.js';
import { jsonFixture } from './form-fixture.js';

useNock();

const UPDATED = { id: 17657, updated_at: 1768208400, _links: { self: { href: 'https://example.amocrm.ru/api/v4/leads/17657' } } };

describe('AmoCrmConnector writes', () => {
  it('moves a lead with status_id and pipeline_id', async () => {
    api().patch('/api/v4/leads/17657', { status_id: 142, pipeline_id: 3177999 }).matchHeader('content-type', /application\/json/).reply(200, UPDATED);
    await harness().connector.moveDeal('17657', '3177999', '142');
  });

  it('sets the responsible user', async () => {
    api().patch('/api/v4/leads/17657', { responsible_user_id: 555 }).reply(200, UPDATED);
    await harness().connector.setResponsible('17657', '555');
  });

  it('clears the goal field with values: null', async () => {
    api().patch('/api/v4/leads/17657', { custom_fields_values: [{ field_id: 555001, values: null }] }).reply(200, UPDATED);
    await harness().connector.clearGoalMark('17657');
  });

  it('refuses to clear a goal mark when no goal field is configured', async () => {
    await expect(harness({ goalField: null }).connector.clearGoalMark('17657')).rejects.toMatchObject({ code: 'VALIDATION', hostCode: 'NO_GOAL_FIELD' });
  });

  it.each([
    ['company', '40401297', '3161412', 'VIP', '/api/v4/companies/40401297', { field_id: 3161412 }],
    ['contact', '7002', 'STATUS', 'Hot', '/api/v4/contacts/7002', { field_code: 'STATUS' }],
  ] as const)('sets a %s custom field', async (entity, id, field, value, path, key) => {
    api().patch(path, { custom_fields_values: [{ ...key, values: [{ value }] }] }).reply(200, { id: Number(id) });
    await harness().connector.setClientField(entity, id, field, value);
  });

  it('creates a task on the lead with the marker in its text', async () => {
    api()
      .post('/api/v4/tasks', [
        {
          text: 'Call the client\nAsk about the budget\n\n[sg-0123456789abcdef0123]',
          complete_till: 1768381200,
          entity_type: 'leads',
          entity_id: 17657,
          responsible_user_id: 123123,
          task_type_id: 1,
          request_id: 'sg-0123456789abcdef0123',
        },
      ])
      .reply(200, { _links: {}, _embedded: { tasks: [{ id: 4745251, request_id: 'sg-0123456789abcdef0123', _links: {} }] } });
    const created = await harness().connector.createTask({
      dealId: '17657',
      title: 'Call the client',
      description: 'Ask about the budget',
      responsibleId: '123123',
      deadline: '2026-01-14T09:00:00.000Z',
      marker: 'sg-0123456789abcdef0123',
    });
    expect(created).toEqual({ id: '4745251' });
  });

  it('finds a task by marker among the lead’s tasks, across pages', async () => {
    let firstQuery: [string, string][] = [];
    api()
      .get('/api/v4/tasks')
      .query((q) => q.page === undefined)
      .reply((req: Request) => {
        firstQuery = queryOf(req.url);
        return [200, jsonFixture('api/tasks-lead-page1.json')];
      })
      .get('/api/v4/tasks')
      .query((q) => q.page === '2')
      .reply(200, jsonFixture('api/tasks-lead-page2.json'));
    expect(await harness().connector.findTaskByMarker('sg-0123456789abcdef0123', '17657')).toEqual({ id: '56990' });
    expect(firstQuery).toEqual(sorted([['filter[entity_type]', 'leads'], ['filter[entity_id][]', '17657'], ['limit', '250']]));
  });

  it('answers null when no task has the marker (204 = none)', async () => {
    api().get('/api/v4/tasks').query(true).reply(204);
    expect(await harness().connector.findTaskByMarker('sg-0123456789abcdef0123', '17657')).toBeNull();
  });

  it('adds a common note that does not trigger the Digital Pipeline', async () => {
    api()
      .post('/api/v4/leads/17657/notes', [
        { note_type: 'common', params: { text: 'Stage skipped: A → C\n\n[sg-aaaaaaaaaaaaaaaaaaaa]' }, request_id: 'sg-aaaaaaaaaaaaaaaaaaaa', is_need_to_trigger_digital_pipeline: false },
      ])
      .reply(200, { _links: {}, _embedded: { notes: [{ id: 76610422, entity_id: 17657, request_id: 'sg-aaaaaaaaaaaaaaaaaaaa' }] } });
    expect(await harness().connector.addComment('17657', 'Stage skipped: A → C', 'sg-aaaaaaaaaaaaaaaaaaaa')).toEqual({ id: '76610422' });
  });

  it('finds a comment by marker among the lead’s common notes', async () => {
    api().get('/api/v4/leads/17657/notes').query({ 'filter[note_type][]': 'common', limit: '250' }).times(2).reply(200, jsonFixture('api/notes-common.json'));
    const { connector } = harness();
    expect(await connector.findCommentByMarker('sg-aaaaaaaaaaaaaaaaaaaa', '17657')).toEqual({ id: '76610422' });
    expect(await connector.findCommentByMarker('sg-bbbbbbbbbbbbbbbbbbbb', '17657')).toBeNull();
  });

  describe('notify: a task for the user, replaced by tag', () => {
    const due = Math.floor(NOW.getTime() / 1000) + 3600;

    it('creates a task without a lead when the tag has no open task', async () => {
      let body: unknown;
      api()
        .get('/api/v4/tasks')
        .query({ 'filter[responsible_user_id][]': '123123', 'filter[is_completed]': '0', limit: '250' })
        .reply(200, jsonFixture('api/tasks-lead-page2.json'))
        .post('/api/v4/tasks')
        .reply(async (req: Request) => {
          body = await req.json();
          return [200, { _embedded: { tasks: [{ id: 1 }] } }];
        });
      await harness().connector.notify('123123', 'Deal 17657 skipped a stage', 'skip:17657');
      expect(body).toEqual([
        { text: expect.stringMatching(/^Deal 17657 skipped a stage\n\n\[sg-notify-[0-9a-f]{20}\]$/), complete_till: due, responsible_user_id: 123123, task_type_id: 1, request_id: expect.stringMatching(/^sg-notify-/) },
      ]);
    });

    it('updates the open task with the same tag instead of adding another', async () => {
      let created: { text: string }[] = [];
      api()
        .get('/api/v4/tasks')
        .query(true)
        .reply(204)
        .post('/api/v4/tasks')
        .reply(async (req: Request) => {
          created = (await req.json()) as { text: string }[];
          return [200, { _embedded: { tasks: [{ id: 99 }] } }];
        });
      const { connector } = harness();
      await connector.notify('123123', 'first', 'tag-1');
      const open = { id: 99, text: created[0].text, responsible_user_id: 123123, is_completed: false, task_type_id: 1, entity_id: null, entity_type: null, created_at: 1, updated_at: 1, complete_till: due };
      api()
        .get('/api/v4/tasks')
        .query(true)
        .reply(200, { _embedded: { tasks: [open] } })
        .patch('/api/v4/tasks/99', { text: created[0].text.replace('first', 'second'), complete_till: due })
        .reply(200, { id: 99 });
      await connector.notify('123123', 'second', 'tag-1');
    });

    it('is not read back as an activity', async () => {
      api().get('/api/v4/tasks/99').reply(200, { id: 99, text: 'x\n\n[sg-notify-0123456789abcdef0123]', responsible_user_id: 1, is_completed: false, task_type_id: 1, entity_id: null, entity_type: null, created_at: 1, updated_at: 1, complete_till: 2 });
      expect(await harness().connector.getActivity('task:99')).toBeNull();
    });
  });
});

describe('AmoCrmConnector install operations', () => {
  const URL = 'https://hooks.example.com/amo/s3cr3t';

  it('registerWebhooks does nothing when the webhook is there with every setting', async () => {
    api().get('/api/v4/webhooks').query({ 'filter[destination]': URL }).reply(200, jsonFixture('api/webhooks.json'));
    expect(await harness().connector.registerWebhooks(URL)).toEqual({ id: 839656, created: false });
  });

  it('registerWebhooks posts destination and settings when absent', async () => {
    api()
      .get('/api/v4/webhooks')
      .query(true)
      .reply(204)
      .post('/api/v4/webhooks', { destination: URL, settings: ['add_lead', 'status_lead'], sort: 10 })
      .reply(200, { id: 900, destination: URL, settings: ['add_lead', 'status_lead'], disabled: false, sort: 10 });
    expect(await harness().connector.registerWebhooks(URL, ['add_lead', 'status_lead'])).toEqual({ id: 900, created: true });
  });

  it('registerWebhooks re-posts a webhook amoCRM disabled', async () => {
    const disabled = jsonFixture<{ _embedded: { webhooks: Record<string, unknown>[] } }>('api/webhooks.json');
    disabled._embedded.webhooks[0].disabled = true;
    api().get('/api/v4/webhooks').query(true).reply(200, disabled).post('/api/v4/webhooks').reply(200, { id: 839656, destination: URL, settings: [], disabled: false });
    expect(await harness().connector.registerWebhooks(URL)).toEqual({ id: 839656, created: true });
  });

  it('unregisterWebhooks deletes by destination, and is fine when already gone', async () => {
    api().get('/api/v4/webhooks').query(true).reply(200, jsonFixture('api/webhooks.json')).delete('/api/v4/webhooks', { destination: URL }).reply(204);
    const { connector } = harness();
    expect(await connector.unregisterWebhooks(URL)).toEqual({ removed: true });
    api().get('/api/v4/webhooks').query(true).reply(204);
    expect(await connector.unregisterWebhooks(URL)).toEqual({ removed: false });
  });

  it('ensureGoalField creates a select field with one enum per goal', async () => {
    api()
      .get('/api/v4/leads/custom_fields')
      .query(true)
      .reply(204)
      .post('/api/v4/leads/custom_fields', [{ name: 'Stage goal', type: 'select', sort: 500, enums: [{ value: 'Meeting held', sort: 10 }, { value: 'Offer sent', sort: 20 }] }])
      .reply(200, { _embedded: { custom_fields: [{ id: 777, name: 'Stage goal', type: 'select', enums: [{ id: 1, value: 'Meeting held', sort: 10 }, { id: 2, value: 'Offer sent', sort: 20 }] }] } });
    const goal = await harness().connector.ensureGoalField('Stage goal', [{ code: 'meeting_held', label: 'Meeting held' }, { code: 'offer_sent', label: 'Offer sent' }]);
    expect(goal).toEqual({ fieldId: 777, codesByEnumId: { '1': 'meeting_held', '2': 'offer_sent' } });
  });

  it('ensureGoalField adds only missing enums, sending existing ones back with their ids', async () => {
    api()
      .get('/api/v4/leads/custom_fields')
      .query(true)
      .reply(200, jsonFixture('api/custom-fields-leads.json'))
      .patch('/api/v4/leads/custom_fields/555001', { enums: [{ id: 9001, value: 'Meeting held', sort: 10 }, { value: 'Offer sent', sort: 20 }] })
      .reply(200, { id: 555001, name: 'Stage goal', type: 'select' })
      .get('/api/v4/leads/custom_fields/555001')
      .reply(200, { id: 555001, name: 'Stage goal', type: 'select', enums: [{ id: 9001, value: 'Meeting held', sort: 10 }, { id: 9002, value: 'Offer sent', sort: 20 }] });
    const goal = await harness().connector.ensureGoalField('Stage goal', [{ code: 'meeting_held', label: 'Meeting held' }, { code: 'offer_sent', label: 'Offer sent' }]);
    expect(goal).toEqual({ fieldId: 555001, codesByEnumId: { '9001': 'meeting_held', '9002': 'offer_sent' } });
  });

  it('ensureGoalField changes nothing when every goal is there', async () => {
    api().get('/api/v4/leads/custom_fields').query(true).reply(200, jsonFixture('api/custom-fields-leads.json'));
    expect(await harness().connector.ensureGoalField('Stage goal', [{ code: 'meeting_held', label: 'Meeting held' }])).toEqual({ fieldId: 555001, codesByEnumId: { '9001': 'meeting_held' } });
  });
});

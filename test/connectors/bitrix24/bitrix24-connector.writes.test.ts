import nock from 'nock';
import { capture, connectorHarness, fixture, PORTAL, restPath, TIME, useNock } from './support.js';

useNock();

const ok = (result: unknown) => ({ result, time: TIME });
const MARKER = 'sg-5f0c3b1a9e7d2c4b8a61';

describe('Bitrix24Connector writes', () => {
  it('moveDeal: crm.item.update with categoryId and stageId (the funnel can change only there)', async () => {
    const { connector } = connectorHarness();
    const sent = capture('crm.item.update', ok({ item: { id: 759 } }));
    await connector.moveDeal('759', '1', 'C1:PREPARATION');
    expect(sent[0]).toMatchObject({ entityTypeId: 2, id: 759, fields: { categoryId: 1, stageId: 'C1:PREPARATION' } });
  });

  it('setResponsible: assignedById', async () => {
    const { connector } = connectorHarness();
    const sent = capture('crm.item.update', ok({ item: { id: 759 } }));
    await connector.setResponsible('759', '17');
    expect(sent[0]).toMatchObject({ entityTypeId: 2, id: 759, fields: { assignedById: 17 } });
  });

  it('clearGoalMark: empties the goal field under its original name', async () => {
    const { connector } = connectorHarness({ goalFieldName: 'UF_CRM_STAGEGUARD_GOAL' });
    const sent = capture('crm.item.update', ok({ item: { id: 759 } }));
    await connector.clearGoalMark('759');
    expect(sent[0]).toMatchObject({ entityTypeId: 2, id: 759, fields: { UF_CRM_STAGEGUARD_GOAL: '' }, useOriginalUfNames: 'Y' });
  });

  it('clearGoalMark before the field exists does nothing', async () => {
    const { connector } = connectorHarness({ goalFieldName: null });
    await connector.clearGoalMark('759');
  });

  it.each([
    ['company', 'crm.company.update', 'COMPANY_TYPE', 'CUSTOMER'],
    ['contact', 'crm.contact.update', 'UF_CRM_IMPORTANCE', 'high'],
  ] as const)('setClientField %s → %s with the field name as configured', async (entity, method, field, value) => {
    const { connector } = connectorHarness();
    const sent = capture(method, ok(true));
    await connector.setClientField(entity, '5', field, value);
    expect(sent[0]).toMatchObject({ id: 5, fields: { [field]: value } });
  });

  it('createTask: tasks.task.add bound to the deal, marker in XML_ID', async () => {
    const { connector } = connectorHarness();
    const sent = capture('tasks.task.add', fixture('rest/tasks-task-add.json'));
    const created = await connector.createTask({
      dealId: '759',
      title: 'Call the client',
      description: 'Agree on the meeting',
      responsibleId: '17',
      deadline: '2025-12-31T23:59:59+03:00',
      marker: MARKER,
    });
    expect(created).toEqual({ id: '3711' });
    expect(sent[0].fields).toEqual({
      TITLE: 'Call the client',
      DESCRIPTION: 'Agree on the meeting',
      RESPONSIBLE_ID: 17,
      DEADLINE: '2025-12-31T23:59:59+03:00',
      UF_CRM_TASK: ['D_759'],
      XML_ID: MARKER,
    });
  });

  it('createTask that times out: AMBIGUOUS, exactly one request', async () => {
    const { connector, budget } = connectorHarness({}, { requestTimeoutMs: 50 });
    nock(PORTAL).post(restPath('tasks.task.add')).delay(300).reply(200, fixture('rest/tasks-task-add.json'));
    const task = { dealId: '759', title: 't', description: '', responsibleId: '17', deadline: '2025-12-31T23:59:59+03:00', marker: MARKER };
    await expect(connector.createTask(task)).rejects.toMatchObject({ code: 'AMBIGUOUS' });
    expect(budget.taken).toBe(1);
  });

  it('findTaskByMarker: the deal\'s tasks (UF_CRM_TASK filter), matched on XML_ID', async () => {
    const { connector } = connectorHarness();
    const sent = capture('tasks.task.list', {
      result: { tasks: [{ id: '8017', xmlId: 'someone-else' }, { id: '8018', xmlId: MARKER }] },
      total: 2,
      time: TIME,
    });
    await expect(connector.findTaskByMarker(MARKER, '759')).resolves.toEqual({ id: '8018' });
    expect(sent[0]).toMatchObject({ filter: { UF_CRM_TASK: 'D_759' }, select: ['ID', 'XML_ID'], order: { ID: 'desc' }, start: 0 });
  });

  it('findTaskByMarker: pages on, and answers null when it is nowhere', async () => {
    const { connector } = connectorHarness();
    const many = Array.from({ length: 50 }, (_, i) => ({ id: String(9000 - i), xmlId: null }));
    capture('tasks.task.list', { result: { tasks: many }, next: 50, total: 51, time: TIME });
    const second = capture('tasks.task.list', { result: { tasks: [{ id: '1', xmlId: null }] }, total: 51, time: TIME });
    await expect(connector.findTaskByMarker(MARKER, '759')).resolves.toBeNull();
    expect(second[0].start).toBe(50);
  });

  it('addComment: crm.timeline.comment.add with lowercase `fields` and the marker as the last line', async () => {
    const { connector } = connectorHarness();
    const sent = capture('crm.timeline.comment.add', fixture('rest/crm-timeline-comment-add.json'));
    await expect(connector.addComment('759', 'Stage skipped: rolled back', MARKER)).resolves.toEqual({ id: '999' });
    expect(sent[0].fields).toEqual({ ENTITY_ID: 759, ENTITY_TYPE: 'deal', COMMENT: `Stage skipped: rolled back\n[${MARKER}]` });
  });

  it('findCommentByMarker: newest first, matched on the marker line', async () => {
    const { connector } = connectorHarness();
    const list = fixture('rest/crm-timeline-comment-list.json');
    list.result[1].COMMENT = `Stage skipped: rolled back\n[${MARKER}]`;
    const sent = capture('crm.timeline.comment.list', list);
    await expect(connector.findCommentByMarker(MARKER, '2')).resolves.toEqual({ id: '1000' });
    expect(sent[0]).toMatchObject({ filter: { ENTITY_ID: 2, ENTITY_TYPE: 'deal' }, select: ['ID', 'COMMENT'], order: { ID: 'DESC' }, start: 0 });
    capture('crm.timeline.comment.list', fixture('rest/crm-timeline-comment-list.json'));
    await expect(connector.findCommentByMarker(MARKER, '2')).resolves.toBeNull();
  });

  it('notify: im.notify.system.add with TAG', async () => {
    const { connector } = connectorHarness();
    const sent = capture('im.notify.system.add', fixture('rest/im-notify-system-add.json'));
    await connector.notify('17', 'Deal [URL=/crm/deal/details/759/]#759[/URL] skipped a stage', 'sg:skip:759');
    expect(sent[0]).toMatchObject({ USER_ID: 17, MESSAGE: 'Deal [URL=/crm/deal/details/759/]#759[/URL] skipped a stage', TAG: 'sg:skip:759' });
  });

  it('a comment create refused by the bucket is repeated (nothing was created), a timed-out one is not', async () => {
    const { connector, budget } = connectorHarness();
    nock(PORTAL)
      .post(restPath('crm.timeline.comment.add'))
      .reply(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
      .post(restPath('crm.timeline.comment.add'))
      .reply(200, fixture('rest/crm-timeline-comment-add.json'));
    await expect(connector.addComment('759', 'x', MARKER)).resolves.toEqual({ id: '999' });
    expect(budget.taken).toBe(2);
  });
});

// tasks.task.add / get / list (api-reference/tasks/*.md): UPPER_CASE in, camelCase strings out,
// `{result:{task}}` / `{result:{tasks}}`. UF_CRM_TASK ('D_759') comes back as ufCrmTask only when selected.
// The list filter accepts only the documented keys; XML_ID is NOT among them, so a marker for
// idempotent creation has to live in a documented field (TITLE pattern, TAG, UF_CRM_TASK).

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method, str } from '../method-types.js';
import { isPlainObject, matches, paginate, parseFilter, parseOrder, parseSelect, sortRows } from '../list-query.js';
import type { Condition, FilterGroup } from '../list-query.js';
import { RestError, missingParam } from '../rest-error.js';
import { randomUUID } from 'node:crypto';
import type { SandboxUser, TaskRecord } from '../sandbox-state.js';

const FILTER_KEYS = new Set([
  'ID', 'PARENT_ID', 'GROUP_ID', 'CREATED_BY', 'STATUS_CHANGED_BY', 'PRIORITY', 'FORUM_TOPIC_ID', 'RESPONSIBLE_ID', 'TITLE',
  'TAG', 'REAL_STATUS', 'STATUS', 'MARK', 'SITE_ID', 'ADD_IN_REPORT', 'DATE_START', 'DEADLINE', 'CREATED_DATE', 'CLOSED_DATE',
  'CHANGED_DATE', 'ACCOMPLICE', 'AUDITOR', 'DEPENDS_ON', 'ONLY_ROOT_TASKS', 'STAGE_ID', 'SPRINT_ID', 'BACKLOG_ID', 'UF_CRM_TASK',
  '::SUBFILTER-PARAMS',
]);

const ORDER_KEYS = new Set([
  'ID', 'TITLE', 'TIME_SPENT_IN_LOGS', 'DATE_START', 'CREATED_DATE', 'CHANGED_DATE', 'CLOSED_DATE', 'ACTIVITY_DATE',
  'START_DATE_PLAN', 'END_DATE_PLAN', 'DEADLINE', 'REAL_STATUS', 'STATUS_COMPLETE', 'PRIORITY', 'MARK', 'CREATED_BY_LAST_NAME',
  'RESPONSIBLE_LAST_NAME', 'GROUP_ID', 'TIME_ESTIMATE', 'ALLOW_CHANGE_DEADLINE', 'ALLOW_TIME_TRACKING', 'MATCH_WORK_TIME',
  'FAVORITE', 'SORTING', 'IS_PINNED', 'IS_PINNED_IN_GROUP',
]);

/** SELECT name → response key. */
const SELECT_KEYS: Record<string, string> = {
  ID: 'id', PARENT_ID: 'parentId', TITLE: 'title', DESCRIPTION: 'description', PRIORITY: 'priority', STATUS: 'status',
  REAL_STATUS: 'status', SUB_STATUS: 'subStatus', CREATED_BY: 'createdBy', CREATED_DATE: 'createdDate', RESPONSIBLE_ID: 'responsibleId',
  CHANGED_DATE: 'changedDate', CLOSED_DATE: 'closedDate', DEADLINE: 'deadline', XML_ID: 'xmlId', GROUP_ID: 'groupId',
  GUID: 'guid', TAGS: 'tags', UF_CRM_TASK: 'ufCrmTask', STAGE_ID: 'stageId', ACTIVITY_DATE: 'activityDate',
};

const coreError = (message: string) => new RestError(400, 'ERROR_CORE', `${message}<br>`);

function userBrief(user: SandboxUser | undefined, id: number) {
  return {
    id: String(id),
    name: user ? `${user.name} ${user.lastName}` : '',
    link: `/company/personal/user/${id}/`,
    icon: '/bitrix/images/tasks/default_avatar.png',
    workPosition: user?.workPosition ?? '',
  };
}

function subStatus(t: TaskRecord, now: number): string {
  if (t.status !== 5 && t.deadline !== null && t.deadline < now) return '-1';
  return String(t.status);
}

function tagId(tag: string): number {
  let h = 0;
  for (const ch of tag) h = (h * 31 + ch.charCodeAt(0)) % 100_000;
  return h + 1;
}

/** The task in the documented key order (tasks-task-add.md), plus subStatus / tags / ufCrmTask for lists. */
export function taskView(t: TaskRecord, call: MethodCall): Record<string, unknown> {
  const { formatDate, state, clock } = call.ctx;
  const date = (ms: number | null) => (ms === null ? null : formatDate(ms));
  const tags: Record<string, { id: number; title: string }> = {};
  for (const tag of t.tags) tags[String(tagId(tag))] = { id: tagId(tag), title: tag };
  return {
    id: String(t.id),
    parentId: null,
    title: t.title,
    description: t.description,
    mark: null,
    priority: String(t.priority),
    multitask: 'N',
    notViewed: 'N',
    replicate: 'N',
    stageId: '0',
    createdBy: String(t.createdBy),
    createdDate: formatDate(t.createdDate),
    responsibleId: String(t.responsibleId),
    changedBy: String(t.createdBy),
    changedDate: formatDate(t.changedDate),
    statusChangedBy: null,
    closedBy: t.closedDate === null ? null : String(t.responsibleId),
    closedDate: date(t.closedDate),
    activityDate: formatDate(t.changedDate),
    dateStart: null,
    deadline: date(t.deadline),
    startDatePlan: null,
    endDatePlan: null,
    guid: t.guid,
    xmlId: t.xmlId,
    commentsCount: null,
    serviceCommentsCount: null,
    allowChangeDeadline: 'N',
    allowTimeTracking: 'N',
    taskControl: 'N',
    addInReport: 'N',
    forkedByTemplateId: null,
    timeEstimate: '0',
    timeSpentInLogs: null,
    matchWorkTime: 'N',
    forumTopicId: null,
    forumId: null,
    siteId: 's1',
    subordinate: 'Y',
    exchangeModified: null,
    exchangeId: null,
    outlookVersion: '1',
    viewedDate: null,
    sorting: null,
    durationFact: null,
    isMuted: 'N',
    isPinned: 'N',
    isPinnedInGroup: 'N',
    flowId: null,
    descriptionInBbcode: 'Y',
    status: String(t.status),
    statusChangedDate: formatDate(t.changedDate),
    durationPlan: null,
    durationType: 'days',
    favorite: 'N',
    groupId: String(t.groupId),
    auditors: [],
    accomplices: [],
    checklist: [],
    group: [],
    creator: userBrief(state.user(t.createdBy), t.createdBy),
    responsible: userBrief(state.user(t.responsibleId), t.responsibleId),
    accomplicesData: [],
    auditorsData: [],
    newCommentsCount: 0,
    action: {
      accept: false,
      decline: false,
      complete: true,
      approve: false,
      disapprove: false,
      start: true,
      pause: false,
      delegate: true,
      remove: true,
      edit: true,
      defer: true,
      renew: false,
      create: true,
      changeDeadline: true,
      checklistAddItems: true,
      addFavorite: true,
      deleteFavorite: false,
      rate: true,
      'edit.originator': false,
      'checklist.reorder': true,
      'elapsedtime.add': true,
      'dayplan.timer.toggle': false,
      'edit.plan': true,
      'checklist.add': true,
      'favorite.add': true,
      'favorite.delete': false,
    },
    checkListTree: {
      nodeId: 0,
      fields: {
        id: null, copiedId: null, entityId: null, userId: t.createdBy, createdBy: null, parentId: null, title: '', sortIndex: null,
        displaySortIndex: '', isComplete: false, isImportant: false, completedCount: 0, members: [], attachments: [],
      },
      action: [],
      descendants: [],
    },
    checkListCanAdd: true,
    subStatus: subStatus(t, clock.now()),
    tags: Object.keys(tags).length === 0 ? [] : tags,
    ufCrmTask: t.ufCrmTask,
  };
}

/** The record as the list filter sees it, under the documented UPPER_CASE filter names. */
function filterRow(t: TaskRecord, call: MethodCall): Record<string, unknown> {
  const { formatDate, clock } = call.ctx;
  return {
    ID: t.id,
    PARENT_ID: 0,
    GROUP_ID: t.groupId,
    CREATED_BY: t.createdBy,
    RESPONSIBLE_ID: t.responsibleId,
    TITLE: t.title,
    TAG: t.tags,
    REAL_STATUS: t.status,
    STATUS: [String(t.status), subStatus(t, clock.now())],
    PRIORITY: t.priority,
    DEADLINE: t.deadline === null ? null : formatDate(t.deadline),
    CREATED_DATE: formatDate(t.createdDate),
    CHANGED_DATE: formatDate(t.changedDate),
    CLOSED_DATE: t.closedDate === null ? null : formatDate(t.closedDate),
    UF_CRM_TASK: t.ufCrmTask,
    SITE_ID: 's1',
  };
}

/** "TITLE — can search by pattern [%_]": a value with % or _ is a LIKE pattern. */
function titlePatterns(group: FilterGroup): FilterGroup {
  return {
    logic: group.logic,
    conditions: group.conditions.map((c): Condition | FilterGroup => {
      if ('logic' in c) return titlePatterns(c);
      if (c.field === 'TITLE' && c.op === '=' && /[%_]/.test(String(c.value))) return { ...c, op: '=%' };
      if (c.field === 'TITLE' && (c.op === '!' || c.op === '!=') && /[%_]/.test(String(c.value))) return { ...c, op: '!=%' };
      return c;
    }),
  };
}

function taskList(call: MethodCall) {
  const raw = isPlainObject(call.params.filter) ? { ...call.params.filter } : call.params.filter;
  if (isPlainObject(raw)) delete raw['::SUBFILTER-PARAMS'];
  const filter = titlePatterns(
    parseFilter(
      raw,
      { allowed: FILTER_KEYS, rejectField: (f) => new RestError(400, '0', `Invalid filter key '${f}' (internal error)`) },
      () => new RestError(400, '0', 'Invalid filter (internal error)'),
    ),
  );
  const sortError = () => new RestError(400, '0', 'Invalid sorting key (internal error)');
  const order = parseOrder(call.params.order, { allowed: ORDER_KEYS, rejectField: sortError, rejectDirection: sortError }, sortError);
  const tasks = [...call.ctx.state.tasks.values()];
  const rows = tasks.map((t) => ({ t, row: filterRow(t, call) })).filter(({ row }) => matches(row, filter));
  const sortable = rows.map(({ t, row }) => ({ ...row, STATUS: t.status, __task: t }));
  const sorted = sortRows(sortable, order.length > 0 ? order : [{ field: 'ID', desc: true }]);
  const page = paginate(sorted, call.params.start);
  const select = parseSelect(call.params.select);
  return listResult({ tasks: page.items.map((r) => project(taskView(r.__task as TaskRecord, call), select)) }, page);
}

function project(view: Record<string, unknown>, select: string[]): Record<string, unknown> {
  if (select.length === 0 || select.includes('*')) {
    const { ufCrmTask: _u, ...rest } = view;
    return select.includes('UF_CRM_TASK') ? { ...rest, ufCrmTask: view.ufCrmTask } : rest;
  }
  const out: Record<string, unknown> = { id: view.id };
  for (const name of select) {
    const key = SELECT_KEYS[name.toUpperCase()] ?? name;
    if (key in view) out[key] = view[key];
  }
  return out;
}

function taskAdd(call: MethodCall) {
  const fields = call.params.fields;
  if (!isPlainObject(fields) || Object.keys(fields).length === 0) {
    throw new RestError(400, '100', 'Could not find value for parameter {fields} (internal error)');
  }
  const { state, clock, parseDate } = call.ctx;
  const title = str(fields.TITLE).trim();
  if (title === '') throw coreError('Task title is not specified');
  if (fields.RESPONSIBLE_ID === undefined || str(fields.RESPONSIBLE_ID) === '') throw coreError('Responsible person not specified');
  const responsibleId = intParam(fields.RESPONSIBLE_ID);
  if (responsibleId === null || !state.user(responsibleId)) throw coreError('User specified in the "Responsible" field not found');
  const createdBy = fields.CREATED_BY === undefined ? call.user.id : intParam(fields.CREATED_BY);
  if (createdBy === null || !state.user(createdBy)) throw coreError('User specified in the "Created by" field not found');
  const now = clock.now();
  const crm = fields.UF_CRM_TASK;
  const ufCrmTask = Array.isArray(crm) ? crm.map(String) : crm === undefined || crm === '' ? [] : [String(crm)];
  const tags = Array.isArray(fields.TAGS) ? fields.TAGS.map(String) : typeof fields.TAGS === 'string' && fields.TAGS !== '' ? fields.TAGS.split(',').map((s) => s.trim()) : [];
  const priority = intParam(fields.PRIORITY) ?? 1;
  const task: TaskRecord = {
    id: state.nextId('task', 3701),
    title,
    description: str(fields.DESCRIPTION),
    responsibleId,
    createdBy,
    createdDate: now,
    changedDate: now,
    deadline: fields.DEADLINE === undefined || fields.DEADLINE === '' ? null : parseDate(fields.DEADLINE),
    status: 2,
    priority: priority === 0 || priority === 2 ? priority : 1,
    xmlId: fields.XML_ID === undefined ? null : str(fields.XML_ID),
    groupId: intParam(fields.GROUP_ID) ?? 0,
    ufCrmTask,
    tags,
    closedDate: null,
    guid: `{${randomUUID()}}`,
  };
  state.tasks.set(task.id, task);
  const { ufCrmTask: _u, tags: _t, subStatus: _s, ...view } = taskView(task, call);
  return { result: { task: view } };
}

export const taskMethods: MethodTable = {
  'tasks.task.add': method('task', taskAdd),
  'tasks.task.list': method('task', taskList),
  'tasks.task.get': method('task', (call) => {
    if (call.params.taskId === undefined) throw missingParam('taskId');
    const id = intParam(call.params.taskId);
    const task = id === null ? undefined : call.ctx.state.tasks.get(id);
    if (!task) throw new RestError(400, 'ERROR_CORE', 'Task not found or not accessible');
    return { result: { task: project(taskView(task, call), parseSelect(call.params.select)) } };
  }),
};

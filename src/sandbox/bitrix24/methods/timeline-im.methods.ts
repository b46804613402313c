// crm.timeline.comment.add / list (lowercase `fields` only since crm 23.100.0) and im.notify.system.add /
// im.notify.personal.add, where TAG is "a unique tag for the notification within the application. When
// adding a notification with an existing tag, other notifications will be removed" (im-notify-system-add.md).

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method, str } from '../method-types.js';
import { isPlainObject, matches, paginate, parseFilter, parseOrder, parseSelect, pick, sortRows } from '../list-query.js';
import { RestError } from '../rest-error.js';
import type { NotificationRecord } from '../sandbox-state.js';

const ENTITY_TYPES: Record<string, number> = { lead: 1, deal: 2, contact: 3, company: 4 };

function ownerExists(call: MethodCall, entityType: string, entityId: number): boolean {
  const typeId = ENTITY_TYPES[entityType.toLowerCase()];
  if (typeId === 2) return call.ctx.state.deals.has(entityId);
  if (typeId === 1 || typeId === 3 || typeId === 4) return !!call.ctx.state.crmEntity(typeId, entityId);
  return false;
}

function commentAdd(call: MethodCall) {
  const fields = call.params.fields;
  if (!isPlainObject(fields)) throw new RestError(400, '100', 'Required fields are not provided');
  if (fields.ENTITY_ID === undefined || fields.ENTITY_TYPE === undefined || fields.COMMENT === undefined) {
    throw new RestError(400, '100', 'Required fields are not provided');
  }
  const comment = str(fields.COMMENT);
  if (comment.trim() === '') throw new RestError(400, 'INVALID_ARG_VALUE', 'Empty comment');
  const entityId = intParam(fields.ENTITY_ID);
  const entityType = str(fields.ENTITY_TYPE).toLowerCase();
  if (entityId === null || !ownerExists(call, entityType, entityId)) throw new RestError(400, 'NOT_FOUND', 'Not found.');
  const { state, clock } = call.ctx;
  const id = state.nextId('comment', 901);
  state.comments.push({ id, entityId, entityType, comment, authorId: call.user.id, created: clock.now() });
  return { result: id };
}

function commentList(call: MethodCall) {
  const filterRaw = call.params.filter;
  if (!isPlainObject(filterRaw) || filterRaw.ENTITY_ID === undefined || filterRaw.ENTITY_TYPE === undefined) {
    throw new RestError(400, '', 'ENTITY_ID and ENTITY_TYPE are required in filter.');
  }
  const filter = parseFilter(filterRaw, {}, () => new RestError(400, '', "Parameter 'filter' must be array."));
  const order = parseOrder(
    call.params.order,
    { allowed: new Set(['ID', 'CREATED', 'AUTHOR_ID']) },
    () => new RestError(400, '', "Parameter 'order' must be array."),
  );
  const { state, formatDate } = call.ctx;
  const rows = state.comments
    .map((c) => ({
      ID: String(c.id),
      ENTITY_ID: String(c.entityId),
      ENTITY_TYPE: c.entityType,
      CREATED: formatDate(c.created),
      COMMENT: c.comment,
      AUTHOR_ID: String(c.authorId),
      FILES: {},
    }))
    .filter((r) => matches(r, filter));
  const sorted = sortRows(rows, order.length > 0 ? order : [{ field: 'ID', desc: false }]);
  const page = paginate(sorted, call.params.start);
  const select = parseSelect(call.params.select);
  return listResult(page.items.map((r) => pick(r, select.length === 0 ? null : select)), page);
}

function notify(kind: NotificationRecord['kind']) {
  return (call: MethodCall) => {
    const p = call.params;
    const userId = intParam(p.USER_ID);
    if (userId === null || userId <= 0) throw new RestError(400, 'USER_ID_EMPTY', "User ID can't be empty");
    const message = str(p.MESSAGE).trim();
    if (message === '') throw new RestError(400, 'MESSAGE_EMPTY', "Message can't be empty");
    const attach = p.ATTACH;
    if (attach !== undefined && (typeof attach === 'string' ? attach : JSON.stringify(attach)).length > 60_000) {
      throw new RestError(400, 'ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach');
    }
    const { state, clock } = call.ctx;
    // "If the notification was not created, it may return false": nobody to deliver it to.
    if (!state.user(userId)?.active) return { result: false };
    const tag = p.TAG === undefined || p.TAG === '' ? null : str(p.TAG);
    if (tag !== null) {
      const replaced = state.notifications.filter((n) => n.tag === tag);
      state.notifications = state.notifications.filter((n) => n.tag !== tag);
      state.replacedNotifications.push(...replaced);
    }
    const record: NotificationRecord = {
      id: state.nextId('notification', 12301),
      kind,
      userId,
      fromUserId: kind === 'personal' ? call.user.id : null,
      message,
      messageOut: p.MESSAGE_OUT === undefined ? null : str(p.MESSAGE_OUT),
      tag,
      subTag: p.SUB_TAG === undefined ? null : str(p.SUB_TAG),
      attach: attach ?? null,
      createdAt: clock.now(),
    };
    state.notifications.push(record);
    return { result: record.id };
  };
}

export const timelineImMethods: MethodTable = {
  'crm.timeline.comment.add': method('crm', commentAdd),
  'crm.timeline.comment.list': method('crm', commentList),
  'im.notify.system.add': method('im', notify('system')),
  'im.notify.personal.add': method('im', notify('personal')),
};

// crm.activity.get / list / binding.list (crm-activity-*.md): every value a string as the examples show,
// SETTINGS [] for calls, COMMUNICATIONS/FILES only when selected, the special BINDINGS filter, default
// order START_TIME ascending. A call's talk time is not an activity field in the docs; telephony reports
// it through voximplant.statistic.get (CALL_DURATION, CRM_ACTIVITY_ID), which is served here too.

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method } from '../method-types.js';
import { isPlainObject, matches, paginate, parseFilter, parseOrder, parseSelect, pick, sortRows } from '../list-query.js';
import { RestError } from '../rest-error.js';
import type { ActivityRecord } from '../sandbox-state.js';

function activityRow(a: ActivityRecord, format: (ms: number) => string): Record<string, unknown> {
  return {
    ID: String(a.id),
    OWNER_ID: String(a.ownerId),
    OWNER_TYPE_ID: String(a.ownerTypeId),
    TYPE_ID: String(a.typeId),
    PROVIDER_ID: a.providerId,
    PROVIDER_TYPE_ID: a.providerTypeId,
    PROVIDER_GROUP_ID: null,
    ASSOCIATED_ENTITY_ID: '0',
    SUBJECT: a.subject,
    CREATED: format(a.created),
    LAST_UPDATED: format(a.lastUpdated),
    START_TIME: format(a.startTime),
    END_TIME: format(a.endTime),
    DEADLINE: format(a.deadline),
    COMPLETED: a.completed ? 'Y' : 'N',
    STATUS: String(a.status),
    RESPONSIBLE_ID: String(a.responsibleId),
    PRIORITY: String(a.priority),
    NOTIFY_TYPE: '1',
    NOTIFY_VALUE: '15',
    DESCRIPTION: a.description,
    DESCRIPTION_TYPE: '1',
    DIRECTION: String(a.direction),
    LOCATION: '',
    SETTINGS: [],
    ORIGINATOR_ID: a.originatorId,
    ORIGIN_ID: a.originId,
    AUTHOR_ID: String(a.authorId),
    EDITOR_ID: String(a.editorId),
    PROVIDER_PARAMS: [],
    PROVIDER_DATA: null,
    RESULT_MARK: '0',
    RESULT_VALUE: null,
    RESULT_SUM: null,
    RESULT_CURRENCY_ID: null,
    RESULT_STATUS: '0',
    RESULT_STREAM: '0',
    RESULT_SOURCE_ID: null,
    AUTOCOMPLETE_RULE: '0',
  };
}

const activityNotFound = () => new RestError(400, '', 'Activity is not found');

function bindingsMatch(a: ActivityRecord, raw: unknown): boolean {
  const wanted = Array.isArray(raw) ? raw : isPlainObject(raw) ? Object.values(raw) : [];
  return wanted.some((w) => {
    if (!isPlainObject(w)) return false;
    const typeId = w.OWNER_TYPE_ID === undefined ? null : intParam(w.OWNER_TYPE_ID);
    const ownerId = w.OWNER_ID === undefined ? null : intParam(w.OWNER_ID);
    return a.bindings.some((b) => (typeId === null || b.ownerTypeId === typeId) && (ownerId === null || b.ownerId === ownerId));
  });
}

function activityList(call: MethodCall) {
  const rawFilter = isPlainObject(call.params.filter) ? { ...call.params.filter } : call.params.filter;
  let bindingFilter: unknown;
  if (isPlainObject(rawFilter) && 'BINDINGS' in rawFilter) {
    bindingFilter = rawFilter.BINDINGS;
    delete rawFilter.BINDINGS;
  }
  const badArg = () => new RestError(400, '', "Parameter 'filter' must be array.");
  const filter = parseFilter(rawFilter, {}, badArg);
  const order = parseOrder(call.params.order, {}, () => new RestError(400, '', "Parameter 'order' must be array."));
  const { state, formatDate } = call.ctx;
  const activities = [...state.activities.values()].filter((a) => bindingFilter === undefined || bindingsMatch(a, bindingFilter));
  const rows = activities.map((a) => activityRow(a, formatDate)).filter((r) => matches(r, filter));
  const sorted = sortRows(rows, order.length > 0 ? order : [{ field: 'START_TIME', desc: false }]);
  const page = paginate(sorted, call.params.start);
  const select = parseSelect(call.params.select);
  const fields = select.length === 0 || select.includes('*') ? null : select;
  return listResult(page.items.map((r) => pick(r, fields)), page);
}

export const activityMethods: MethodTable = {
  'crm.activity.get': method('crm', (call) => {
    const id = intParam(call.params.id ?? call.params.ID);
    const activity = id === null ? undefined : call.ctx.state.activities.get(id);
    if (!activity) throw activityNotFound();
    return { result: activityRow(activity, call.ctx.formatDate) };
  }),

  'crm.activity.list': method('crm', activityList),

  'crm.activity.binding.list': method('crm', (call) => {
    const id = intParam(call.params.activityId);
    const activity = id === null ? undefined : call.ctx.state.activities.get(id);
    if (!activity) throw new RestError(400, 'NOT_FOUND', 'Activity not found');
    return { result: activity.bindings.map((b) => ({ entityTypeId: b.ownerTypeId, entityId: b.ownerId })) };
  }),

  'voximplant.statistic.get': method('telephony', (call) => {
    const { state, formatDate } = call.ctx;
    const rows = [...state.activities.values()]
      .filter((a) => a.typeId === 2 && a.callDurationSec !== null)
      .map((a) => {
        const deal = a.bindings.find((b) => b.ownerTypeId === 2);
        return {
          ID: String(a.id),
          PORTAL_USER_ID: String(a.responsibleId),
          PORTAL_NUMBER: 'reg100001',
          PHONE_NUMBER: '+10000000000',
          CALL_ID: `sandbox.${a.id}`,
          EXTERNAL_CALL_ID: null,
          CALL_CATEGORY: 'external',
          CALL_DURATION: String(a.callDurationSec),
          CALL_START_DATE: formatDate(a.startTime),
          CALL_TYPE: a.direction === 1 ? '2' : '1',
          CALL_FAILED_CODE: a.callDurationSec && a.callDurationSec > 0 ? '200' : '304',
          CRM_ENTITY_TYPE: deal ? 'DEAL' : null,
          CRM_ENTITY_ID: deal ? String(deal.ownerId) : null,
          CRM_ACTIVITY_ID: String(a.id),
        };
      });
    const filter = parseFilter(call.params.FILTER, {}, () => new RestError(400, 'ERROR_ARGUMENT', 'Invalid FILTER'));
    const sortField = typeof call.params.SORT === 'string' ? call.params.SORT : 'ID';
    const desc = String(call.params.ORDER ?? 'ASC').toUpperCase() === 'DESC';
    const sorted = sortRows(
      rows.filter((r) => matches(r, filter)),
      [{ field: sortField, desc }],
    );
    const page = paginate(sorted, call.params.start);
    return listResult(page.items, page);
  }),
};

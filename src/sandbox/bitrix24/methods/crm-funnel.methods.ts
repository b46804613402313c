// Funnels, stages and the host's stage history: crm.category.list, crm.status.list (SORT, SEMANTICS and
// EXTRA.SEMANTICS exactly as crm-status-list.md shows — note APOLOGY: SEMANTICS "F", EXTRA "apology"),
// crm.stagehistory.list (crm-stage-history-list.md: integers, `{result:{items}}`, TYPE_ID 1/2/3/5).

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method } from '../method-types.js';
import { matches, paginate, parseFilter, parseOrder, parseSelect, pick, sortRows } from '../list-query.js';
import { RestError } from '../rest-error.js';
import type { StatusRecord } from '../sandbox-state.js';

function statusRow(s: StatusRecord): Record<string, unknown> {
  const semantics = s.extraSemantics === 'success' ? 'S' : s.extraSemantics === 'process' ? null : 'F';
  return {
    ID: String(s.id),
    ENTITY_ID: s.entityId,
    STATUS_ID: s.statusId,
    NAME: s.name,
    NAME_INIT: s.nameInit,
    SORT: String(s.sort),
    SYSTEM: s.system ? 'Y' : 'N',
    CATEGORY_ID: s.categoryId === null ? null : String(s.categoryId),
    COLOR: s.color,
    SEMANTICS: semantics,
    EXTRA: { SEMANTICS: s.extraSemantics, COLOR: s.color },
  };
}

const invalidStatusParams = () => new RestError(400, 'Invalid parameters.', 'Incorrect parameters passed.');

const DEAL_HISTORY_FIELDS = ['ID', 'TYPE_ID', 'OWNER_ID', 'CREATED_TIME', 'CATEGORY_ID', 'STAGE_SEMANTIC_ID', 'STAGE_ID'];
const LEAD_HISTORY_FIELDS = ['ID', 'TYPE_ID', 'OWNER_ID', 'CREATED_TIME', 'STATUS_SEMANTIC_ID', 'STATUS_ID'];
const ENTITY_NAMES: Record<number, string> = { 3: 'Contact', 4: 'Company', 7: 'Quote' };

function stageHistoryList(call: MethodCall) {
  const entityTypeId = intParam(call.params.entityTypeId);
  const isSupported = entityTypeId === 1 || entityTypeId === 2 || entityTypeId === 5 || entityTypeId === 31 || (entityTypeId ?? 0) >= 128;
  if (entityTypeId === null || !isSupported) {
    const name = entityTypeId === null ? 'Undefined' : (ENTITY_NAMES[entityTypeId] ?? String(entityTypeId));
    throw new RestError(400, 'ENTITY_TYPE_NOT_SUPPORTED', `Entity type \`${name}\` is not supported`);
  }
  const fields = entityTypeId === 1 ? LEAD_HISTORY_FIELDS : DEAL_HISTORY_FIELDS;
  const allowed = new Set(fields);
  const filter = parseFilter(
    call.params.filter,
    { allowed, rejectField: (f) => new RestError(400, 'INVALID_ARG_VALUE', `Invalid filter: field '${f}' is not allowed in filter`) },
    () => new RestError(400, 'INVALID_ARG_VALUE', "Parameter 'filter' must be array"),
  );
  const order = parseOrder(
    call.params.order,
    {
      allowed,
      rejectField: (f) => new RestError(400, 'INVALID_ARG_VALUE', `Invalid order: field '${f}' is not allowed in order`),
      rejectDirection: (f, d) =>
        new RestError(400, 'INVALID_ARG_VALUE', `Invalid order: allowed sort directions are ASC, DESC. But got '${d}' for field '${f}'`),
    },
    () => new RestError(400, 'INVALID_ARG_VALUE', "Parameter 'order' must be array"),
  );
  const rows = call.ctx.state.stageHistory
    .filter((h) => h.entityTypeId === entityTypeId)
    .map((h) =>
      entityTypeId === 1
        ? {
            ID: h.id,
            TYPE_ID: h.typeId,
            OWNER_ID: h.ownerId,
            CREATED_TIME: call.ctx.formatDate(h.createdTime),
            STATUS_SEMANTIC_ID: h.stageSemanticId,
            STATUS_ID: h.stageId,
          }
        : {
            ID: h.id,
            TYPE_ID: h.typeId,
            OWNER_ID: h.ownerId,
            CREATED_TIME: call.ctx.formatDate(h.createdTime),
            CATEGORY_ID: h.categoryId,
            STAGE_SEMANTIC_ID: h.stageSemanticId,
            STAGE_ID: h.stageId,
          },
    );
  const sorted = sortRows(
    rows.filter((r) => matches(r, filter)),
    order.length > 0 ? order : [{ field: 'ID', desc: false }],
  );
  const page = paginate(sorted, call.params.start);
  const select = parseSelect(call.params.select).filter((f) => allowed.has(f));
  return listResult({ items: page.items.map((r) => pick(r, select.length > 0 ? select : null)) }, page);
}

export const crmFunnelMethods: MethodTable = {
  'crm.category.list': method('crm', (call) => {
    const entityTypeId = intParam(call.params.entityTypeId);
    if (entityTypeId === null) throw new RestError(400, 'NOT_FOUND', 'Smart process not found');
    if (entityTypeId === 1) throw new RestError(400, 'ENTITY_TYPE_NOT_SUPPORTED', 'Entity type `Lead` is not supported');
    if (entityTypeId !== 2) throw new RestError(400, 'NOT_FOUND', 'Smart process not found');
    const categories = [...call.ctx.state.categories]
      .sort((a, b) => a.sort - b.sort || a.id - b.id)
      .map((c) =>
        c.isDefault
          ? { id: c.id, name: c.name, sort: c.sort, entityTypeId: 2, isDefault: 'Y' }
          : { id: c.id, name: c.name, sort: c.sort, entityTypeId: 2, isDefault: 'N', originId: '', originatorId: '' },
      );
    return { result: { categories }, total: categories.length };
  }),

  'crm.status.list': method('crm', (call) => {
    const filter = parseFilter(call.params.filter, {}, invalidStatusParams);
    const order = parseOrder(call.params.order, {}, invalidStatusParams);
    const rows = call.ctx.state.statuses.map(statusRow).filter((r) => matches(r, filter));
    const sorted = sortRows(rows, order.length > 0 ? order : [{ field: 'SORT', desc: false }]);
    const page = paginate(sorted, call.params.start);
    return listResult(page.items, page);
  }),

  'crm.stagehistory.list': method('crm', stageHistoryList),
};

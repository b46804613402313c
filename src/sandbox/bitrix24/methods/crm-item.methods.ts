// crm.item.get / list / add / update / delete (api-reference/crm/universal/crm-item-*.md). Deals
// (entityTypeId 2) are complete; leads, contacts and companies (1, 3, 4) are served from plain field bags.
// Not found is HTTP 400 NOT_FOUND, not 404 (crm-item-get.md).

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method } from '../method-types.js';
import { isPlainObject, matches, paginate, parseFilter, parseOrder, parseSelect, pick, sortRows } from '../list-query.js';
import { RestError, missingParam } from '../rest-error.js';
import { dealToItem, itemFieldsToPatch, ufToCamel } from '../crm-item.mapper.js';
import { itemNotFound } from '../crm-service.js';
import type { CrmEntityRecord } from '../sandbox-state.js';

const spaNotFound = () => new RestError(400, 'NOT_FOUND', 'SPA not found');
const badFilterField = (f: string) => new RestError(400, 'INVALID_ARG_VALUE', `Invalid filter: field '${f}' is not allowed in filter`);
const badOrderField = (f: string) => new RestError(400, 'INVALID_ARG_VALUE', `Invalid order: field '${f}' is not allowed in order`);
const badOrderDir = (f: string, d: string) =>
  new RestError(400, 'INVALID_ARG_VALUE', `Invalid order: allowed sort directions are ASC, DESC. But got '${d}' for field '${f}'`);

function entityTypeOf(call: MethodCall): 1 | 2 | 3 | 4 {
  const raw = call.params.entityTypeId;
  if (raw === undefined || raw === '') throw missingParam('entityTypeId');
  const id = intParam(raw);
  if (id === 1 || id === 2 || id === 3 || id === 4) return id;
  throw spaNotFound();
}

function idOf(call: MethodCall): number {
  if (call.params.id === undefined || call.params.id === '') throw missingParam('id');
  const id = intParam(call.params.id);
  if (id === null) throw itemNotFound();
  return id;
}

function naming(call: MethodCall) {
  return { originalUf: String(call.params.useOriginalUfNames ?? 'N').toUpperCase() === 'Y' };
}

function fieldsOf(call: MethodCall): Record<string, unknown> {
  const fields = call.params.fields;
  if (fields === undefined) throw missingParam('fields');
  if (!isPlainObject(fields)) throw new RestError(400, 'INVALID_ARG_VALUE', "Parameter 'fields' must be array");
  return fields;
}

/** UPPER_SNAKE ↔ camelCase for the field bags of leads, contacts and companies. */
const specialCamel: Record<string, string> = {
  DATE_CREATE: 'createdTime',
  DATE_MODIFY: 'updatedTime',
  CREATED_BY_ID: 'createdBy',
  MODIFY_BY_ID: 'updatedBy',
  STATUS_ID: 'stageId',
  STATUS_SEMANTIC_ID: 'stageSemanticId',
};

function toCamel(key: string): string {
  if (specialCamel[key]) return specialCamel[key];
  if (key.startsWith('UF_CRM_')) return ufToCamel(key);
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function toUpper(key: string): string {
  const special = Object.entries(specialCamel).find(([, camel]) => camel === key);
  if (special) return special[0];
  return key.replace(/([A-Z])/g, '_$1').toUpperCase();
}

function entityToItem(record: CrmEntityRecord): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.fields)) {
    const camel = toCamel(key);
    item[camel] = /(^|_)ID$/.test(key) && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  }
  item.id = record.id;
  item.entityTypeId = record.entityTypeId;
  return item;
}

function allItems(call: MethodCall, entityTypeId: 1 | 2 | 3 | 4): Record<string, unknown>[] {
  const { state } = call.ctx;
  if (entityTypeId === 2) {
    return [...state.deals.values()].map((d) => dealToItem(d, state, call.ctx.formatDate, naming(call)));
  }
  return [...state.crmEntities.values()].filter((e) => e.entityTypeId === entityTypeId).map(entityToItem);
}

function itemList(call: MethodCall) {
  const entityTypeId = entityTypeOf(call);
  const rows = allItems(call, entityTypeId);
  const known = new Set<string>(rows.length > 0 ? Object.keys(rows[0]) : sampleKeys(call, entityTypeId));
  const filter = parseFilter(call.params.filter, { allowed: known, rejectField: badFilterField, nested: true }, () =>
    new RestError(400, 'INVALID_ARG_VALUE', "Parameter 'filter' must be array"),
  );
  const order = parseOrder(call.params.order, { allowed: known, rejectField: badOrderField, rejectDirection: badOrderDir }, () =>
    new RestError(400, 'INVALID_ARG_VALUE', "Parameter 'order' must be array"),
  );
  const sorted = sortRows(
    rows.filter((r) => matches(r, filter)),
    order.length > 0 ? order : [{ field: 'id', desc: false }],
  );
  const page = paginate(sorted, call.params.start);
  const select = parseSelect(call.params.select);
  const fields = select.length === 0 || select.includes('*') ? null : ['id', ...select.filter((f) => f !== 'id')];
  return listResult({ items: page.items.map((r) => pick(r, fields)) }, page);
}

/** Field names a filter may use even when there is no row yet to read them from. */
function sampleKeys(call: MethodCall, entityTypeId: number): string[] {
  if (entityTypeId !== 2) return ['id', 'title', 'stageId', 'assignedById', 'createdTime', 'updatedTime', 'companyId'];
  const { state } = call.ctx;
  const probe = {
    id: 0, title: '', categoryId: 0, stageId: 'NEW', assignedById: 1, opportunity: 0, currencyId: '', isManualOpportunity: false,
    probability: null, companyId: 0, contactId: 0, contactIds: [], typeId: '', sourceId: '', sourceDescription: '', comments: '',
    opened: true, begindate: null, closedate: null, createdTime: 0, createdBy: 1, updatedTime: 0, updatedBy: 1, movedTime: 0,
    movedBy: 1, lastActivityTime: 0, lastActivityBy: 1, originatorId: null, originId: null, observers: [], uf: {},
  };
  return Object.keys(dealToItem(probe, state, call.ctx.formatDate, naming(call)));
}

export const crmItemMethods: MethodTable = {
  'crm.item.get': method('crm', (call) => {
    const entityTypeId = entityTypeOf(call);
    const id = idOf(call);
    const { state } = call.ctx;
    if (entityTypeId === 2) {
      const deal = state.deals.get(id);
      if (!deal) throw itemNotFound();
      return { result: { item: dealToItem(deal, state, call.ctx.formatDate, naming(call)) } };
    }
    const record = state.crmEntity(entityTypeId, id);
    if (!record) throw itemNotFound();
    return { result: { item: entityToItem(record) } };
  }),

  'crm.item.list': method('crm', itemList),

  'crm.item.add': method('crm', (call) => {
    const entityTypeId = entityTypeOf(call);
    const fields = fieldsOf(call);
    const { state, crm } = call.ctx;
    if (entityTypeId === 2) {
      const patch = itemFieldsToPatch(fields, state, naming(call), call.ctx.parseDate);
      const deal = crm.createDeal(patch, { userId: call.user.id });
      return { result: { item: dealToItem(deal, state, call.ctx.formatDate, naming(call)) } };
    }
    if (entityTypeId === 1) {
      const upper: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) upper[toUpper(k)] = v;
      const id = crm.createLead(upper, { userId: call.user.id });
      return { result: { item: entityToItem(state.crmEntity(1, id)!) } };
    }
    throw new RestError(400, 'ACCESS_DENIED', 'Access denied');
  }),

  'crm.item.update': method('crm', (call) => {
    const entityTypeId = entityTypeOf(call);
    const id = idOf(call);
    const fields = fieldsOf(call);
    const { state, crm } = call.ctx;
    if (entityTypeId === 2) {
      const patch = itemFieldsToPatch(fields, state, naming(call), call.ctx.parseDate);
      const deal = crm.updateDeal(id, patch, { userId: call.user.id });
      return { result: { item: dealToItem(deal, state, call.ctx.formatDate, naming(call)) } };
    }
    if (entityTypeId === 3 || entityTypeId === 4) {
      if (!state.crmEntity(entityTypeId, id)) throw itemNotFound();
      const upper: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) upper[toUpper(k)] = v;
      crm.updateCompanyOrContact(entityTypeId, id, upper, { userId: call.user.id });
      return { result: { item: entityToItem(state.crmEntity(entityTypeId, id)!) } };
    }
    throw new RestError(400, 'ACCESS_DENIED', 'Access denied');
  }),

  'crm.item.delete': method('crm', (call) => {
    const entityTypeId = entityTypeOf(call);
    const id = idOf(call);
    if (entityTypeId !== 2) throw new RestError(400, 'ACCESS_DENIED', 'Access denied');
    call.ctx.crm.deleteDeal(id, { userId: call.user.id });
    return { result: [] };
  }),
};

// Universal lists, enough for a metrics list (api-reference/lists/*.md): lists.add / lists.get,
// lists.field.add (result "PROPERTY_<n>"), lists.field.get, lists.element.add / update / get (property values keyed by
// value id, as lists.element.get shows them). Errors carry the documented ERROR_* codes.

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method, str, yn } from '../method-types.js';
import { isPlainObject, matches, paginate, parseFilter, parseOrder, parseSelect, pick, sortRows } from '../list-query.js';
import { RestError } from '../rest-error.js';
import type { ListElementRecord, ListRecord } from '../sandbox-state.js';

const IBLOCK_TYPES = new Set(['lists', 'bitrix_processes', 'lists_socnet']);
const missing = (name: string) => new RestError(400, 'ERROR_REQUIRED_PARAMETERS_MISSING', `Required parameter "${name}" is missing`);
const iblockNotFound = () => new RestError(400, 'ERROR_IBLOCK_NOT_FOUND', 'Iblock not found');

function iblockType(call: MethodCall): string {
  const type = str(call.params.IBLOCK_TYPE_ID);
  if (type === '') throw missing('IBLOCK_TYPE_ID');
  if (!IBLOCK_TYPES.has(type)) throw iblockNotFound();
  return type;
}

function findList(call: MethodCall): ListRecord {
  const type = iblockType(call);
  const id = intParam(call.params.IBLOCK_ID);
  const code = str(call.params.IBLOCK_CODE);
  if (id === null && code === '') throw missing('IBLOCK_ID');
  const list = call.ctx.state.lists.find((l) => l.iblockTypeId === type && (id !== null ? l.id === id : l.code === code));
  if (!list) throw iblockNotFound();
  return list;
}

function findElement(call: MethodCall, list: ListRecord): ListElementRecord {
  const id = intParam(call.params.ELEMENT_ID);
  const code = str(call.params.ELEMENT_CODE);
  if (id === null && code === '') throw missing('ELEMENT_ID');
  const el = call.ctx.state.listElements.find((e) => e.iblockId === list.id && (id !== null ? e.id === id : e.code === code));
  if (!el) throw new RestError(400, 'ERROR_ELEMENT_NOT_FOUND', 'Element not found');
  return el;
}

function applyFields(call: MethodCall, list: ListRecord, element: ListElementRecord, fields: Record<string, unknown>): void {
  const { state } = call.ctx;
  if ('NAME' in fields) element.name = str(fields.NAME);
  for (const field of state.listFields.filter((f) => f.iblockId === list.id)) {
    const key = `PROPERTY_${field.id}`;
    if (!(key in fields)) continue;
    const raw = fields[key];
    const values = Array.isArray(raw) ? raw : isPlainObject(raw) ? Object.values(raw) : [raw];
    if (field.multiple === false && values.length > 1) {
      throw new RestError(400, 'ERROR_ELEMENT_FIELD_VALUE', `Field "${field.name}" is not multiple`);
    }
    element.properties[field.id] = values
      .filter((v) => v !== null && v !== undefined && v !== '')
      .map((v) => ({ valueId: state.nextId('listValue', 3701), value: str(v) }));
  }
  for (const field of state.listFields.filter((f) => f.iblockId === list.id && f.isRequired)) {
    if ((element.properties[field.id] ?? []).length === 0) {
      throw new RestError(400, 'ERROR_ELEMENT_FIELD_VALUE', `The field "${field.name}" is required`);
    }
  }
}

function elementRow(call: MethodCall, el: ListElementRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {
    ID: String(el.id),
    NAME: el.name,
    IBLOCK_SECTION_ID: null,
    CREATED_BY: String(el.createdBy),
    CODE: el.code,
  };
  for (const field of call.ctx.state.listFields.filter((f) => f.iblockId === el.iblockId)) {
    const values = el.properties[field.id] ?? [];
    if (values.length === 0) continue;
    const byId: Record<string, string> = {};
    for (const v of values) byId[String(v.valueId)] = v.value;
    row[`PROPERTY_${field.id}`] = byId;
  }
  return row;
}

export const listsMethods: MethodTable = {
  'lists.add': method('lists', (call) => {
    const type = iblockType(call);
    const code = str(call.params.IBLOCK_CODE);
    if (code === '') throw missing('IBLOCK_CODE');
    const fields = call.params.FIELDS;
    if (!isPlainObject(fields) || str(fields.NAME) === '') throw missing('FIELDS');
    if (!call.user.isAdmin) throw new RestError(400, 'ACCESS_DENIED', 'Access denied');
    const { state, clock } = call.ctx;
    if (state.lists.some((l) => l.iblockTypeId === type && l.code === code)) {
      throw new RestError(400, 'ERROR_IBLOCK_ALREADY_EXISTS', 'Iblock already exists');
    }
    const id = state.nextId('iblock', 101);
    state.lists.push({
      id,
      iblockTypeId: type,
      code,
      name: str(fields.NAME),
      description: str(fields.DESCRIPTION),
      sort: intParam(fields.SORT) ?? 500,
      socnetGroupId: intParam(call.params.SOCNET_GROUP_ID),
      createdAt: clock.now(),
    });
    return { result: id };
  }),

  'lists.get': method('lists', (call) => {
    const type = iblockType(call);
    const id = intParam(call.params.IBLOCK_ID);
    const code = str(call.params.IBLOCK_CODE);
    const lists = call.ctx.state.lists.filter(
      (l) => l.iblockTypeId === type && (id === null || l.id === id) && (code === '' || l.code === code),
    );
    const rows = lists.map((l) => ({
      ID: String(l.id),
      IBLOCK_TYPE_ID: l.iblockTypeId,
      CODE: l.code,
      NAME: l.name,
      ACTIVE: 'Y',
      SORT: String(l.sort),
      DESCRIPTION: l.description,
      SOCNET_GROUP_ID: l.socnetGroupId === null ? null : String(l.socnetGroupId),
    }));
    const page = paginate(rows, call.params.start);
    return listResult(page.items, page);
  }),

  'lists.field.add': method('lists', (call) => {
    const list = findList(call);
    const fields = call.params.FIELDS;
    if (!isPlainObject(fields)) throw missing('FIELDS');
    if (str(fields.NAME) === '') throw missing('NAME');
    if (str(fields.TYPE) === '') throw missing('TYPE');
    const code = str(fields.CODE);
    if (code === '') throw new RestError(400, 'ERROR_SAVE_FIELD', 'Please fill the code fields');
    const { state } = call.ctx;
    if (state.listFields.some((f) => f.iblockId === list.id && f.code === code)) {
      throw new RestError(400, 'ERROR_SAVE_FIELD', 'Property already exists');
    }
    const id = state.nextId('listField', 1151);
    state.listFields.push({
      id,
      iblockId: list.id,
      name: str(fields.NAME),
      type: str(fields.TYPE),
      code,
      isRequired: yn(fields.IS_REQUIRED, false),
      multiple: yn(fields.MULTIPLE, false),
      sort: intParam(fields.SORT) ?? 500,
    });
    return { result: `PROPERTY_${id}` };
  }),

  // Every field of the list keyed by its FIELD_ID, the built-in NAME first; properties as "PROPERTY_<id>"
  // with their CODE (lists.field.get). FIELD_ID narrows the answer to one field.
  'lists.field.get': method('lists', (call) => {
    const list = findList(call);
    const out: Record<string, Record<string, unknown>> = {
      NAME: { FIELD_ID: 'NAME', SORT: '10', NAME: 'Название', IS_REQUIRED: 'Y', MULTIPLE: 'N', DEFAULT_VALUE: '', TYPE: 'NAME' },
    };
    for (const f of call.ctx.state.listFields.filter((x) => x.iblockId === list.id)) {
      const fieldId = `PROPERTY_${f.id}`;
      out[fieldId] = {
        FIELD_ID: fieldId,
        ID: String(f.id),
        SORT: String(f.sort),
        NAME: f.name,
        IS_REQUIRED: f.isRequired ? 'Y' : 'N',
        MULTIPLE: f.multiple ? 'Y' : 'N',
        DEFAULT_VALUE: '',
        TYPE: f.type,
        CODE: f.code,
      };
    }
    const only = str(call.params.FIELD_ID);
    if (only !== '') return { result: out[only] ? { [only]: out[only] } : [] };
    return { result: out };
  }),

  'lists.element.add': method('lists', (call) => {
    const list = findList(call);
    const code = str(call.params.ELEMENT_CODE);
    if (code === '') throw missing('ELEMENT_CODE');
    const fields = call.params.FIELDS;
    if (!isPlainObject(fields) || str(fields.NAME) === '') throw missing('FIELDS');
    const { state, clock } = call.ctx;
    if (state.listElements.some((e) => e.iblockId === list.id && e.code === code)) {
      throw new RestError(400, 'ERROR_ELEMENT_ALREADY_EXISTS', 'Element already exists');
    }
    const element: ListElementRecord = {
      id: state.nextId('listElement', 6901),
      iblockId: list.id,
      code,
      name: '',
      createdBy: call.user.id,
      createdAt: clock.now(),
      properties: {},
    };
    applyFields(call, list, element, fields);
    state.listElements.push(element);
    return { result: element.id };
  }),

  'lists.element.update': method('lists', (call) => {
    const list = findList(call);
    const element = findElement(call, list);
    const fields = call.params.FIELDS;
    if (!isPlainObject(fields) || str(fields.NAME) === '') throw missing('FIELDS');
    // A failed validation must not leave half an update behind.
    const draft: ListElementRecord = structuredClone(element);
    applyFields(call, list, draft, fields);
    Object.assign(element, draft);
    return { result: true };
  }),

  'lists.element.get': method('lists', (call) => {
    const list = findList(call);
    const filter = parseFilter(call.params.FILTER, {}, () => missing('FILTER'));
    const order = parseOrder(call.params.ELEMENT_ORDER, {}, () => missing('ELEMENT_ORDER'));
    let elements = call.ctx.state.listElements.filter((e) => e.iblockId === list.id);
    if (call.params.ELEMENT_ID !== undefined || call.params.ELEMENT_CODE !== undefined) {
      const id = intParam(call.params.ELEMENT_ID);
      const code = str(call.params.ELEMENT_CODE);
      elements = elements.filter((e) => (id !== null ? e.id === id : e.code === code));
    }
    // DATE_CREATE can be filtered, sorted and selected but is not in the default answer (lists-element-get.md).
    const rows = elements
      .map((e) => ({ ...elementRow(call, e), DATE_CREATE: call.ctx.formatDate(e.createdAt) }))
      .filter((r) => matches(r, filter));
    const sorted = sortRows(rows, order.length > 0 ? order : [{ field: 'ID', desc: false }]);
    const page = paginate(sorted, call.params.start);
    const select = parseSelect(call.params.SELECT);
    const shown = page.items.map(({ DATE_CREATE, ...row }) => (select.includes('DATE_CREATE') ? { ...row, DATE_CREATE } : row));
    return listResult(shown.map((r) => pick(r, select.length === 0 ? null : select)), page);
  }),
};


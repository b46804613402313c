// crm.deal.userfield.add / get / list (api-reference/crm/deals/user-defined-fields/*.md): FIELD_NAME gets
// the UF_CRM_ prefix, A-Z0-9_ only, at most 50 characters; enumeration LIST items get ids; the list view
// returns strings. Only a CRM administrator may add fields. The duplicate-name error is not documented
// for deals; its wording follows the one crm.requisite.userfield.add documents.

import { randomBytes } from 'node:crypto';
import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method, str, yn } from '../method-types.js';
import { isPlainObject, matches, paginate, parseFilter, parseOrder, sortRows } from '../list-query.js';
import { RestError } from '../rest-error.js';
import type { UserFieldEnumItem, UserFieldRecord } from '../sandbox-state.js';

const USER_TYPES = new Set([
  'string', 'integer', 'double', 'boolean', 'datetime', 'date', 'money', 'url', 'address', 'enumeration', 'file', 'employee',
  'crm_status', 'iblock_section', 'iblock_element', 'crm',
]);

const legacy = (description: string) => new RestError(400, '', description);
const core = (description: string) => new RestError(400, 'ERROR_CORE', description);

export function normalizeFieldName(raw: string): string {
  const upper = raw.toUpperCase();
  if (upper.startsWith('UF_CRM_')) return upper;
  if (upper.startsWith('UF_')) return 'UF_CRM_' + upper.slice(3);
  return 'UF_CRM_' + upper;
}

function labelOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isPlainObject(v)) {
    const first = v.en ?? Object.values(v)[0];
    return first === undefined ? '' : String(first);
  }
  return '';
}

function enumItems(raw: unknown, multiple: boolean, nextId: () => number): UserFieldEnumItem[] {
  const entries = Array.isArray(raw) ? raw : isPlainObject(raw) ? Object.values(raw) : [];
  const items: UserFieldEnumItem[] = [];
  for (const entry of entries) {
    if (!isPlainObject(entry) || str(entry.VALUE) === '') continue;
    const xmlId = entry.XML_ID === undefined || entry.XML_ID === '' ? randomBytes(16).toString('hex') : str(entry.XML_ID);
    if (items.some((i) => i.xmlId === xmlId)) throw core(`List item with value XML_ID=${xmlId} already exists.`);
    items.push({ id: nextId(), value: str(entry.VALUE), sort: intParam(entry.SORT) ?? 0, def: yn(entry.DEF, false), xmlId });
  }
  if (!multiple) {
    let seen = false;
    for (const item of items) {
      if (item.def && seen) item.def = false;
      if (item.def) seen = true;
    }
  }
  return items;
}

export function userFieldRow(f: UserFieldRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {
    ID: String(f.id),
    ENTITY_ID: f.entityId,
    FIELD_NAME: f.fieldName,
    USER_TYPE_ID: f.userTypeId,
    XML_ID: f.xmlId,
    SORT: String(f.sort),
    MULTIPLE: f.multiple ? 'Y' : 'N',
    MANDATORY: f.mandatory ? 'Y' : 'N',
    SHOW_FILTER: f.showFilter,
    SHOW_IN_LIST: f.showInList ? 'Y' : 'N',
    EDIT_IN_LIST: f.editInList ? 'Y' : 'N',
    IS_SEARCHABLE: f.isSearchable ? 'Y' : 'N',
    SETTINGS: f.settings,
    EDIT_FORM_LABEL: f.label,
    LIST_COLUMN_LABEL: f.label,
    LIST_FILTER_LABEL: f.label,
    ERROR_MESSAGE: null,
    HELP_MESSAGE: null,
  };
  if (f.userTypeId === 'enumeration') {
    row.LIST = f.list.map((i) => ({ ID: String(i.id), SORT: String(i.sort), VALUE: i.value, DEF: i.def ? 'Y' : 'N', XML_ID: i.xmlId }));
  }
  return row;
}

function add(call: MethodCall) {
  const fields = call.params.fields;
  if (!isPlainObject(fields)) throw legacy("Parameter 'fields' must be array.");
  if (!call.user.isAdmin) throw legacy('Access denied.');
  if (str(fields.FIELD_NAME) === '') throw legacy("The 'FIELD_NAME' field is not found.");
  if (str(fields.USER_TYPE_ID) === '') throw legacy("The 'USER_TYPE_ID' field is not found.");
  const fieldName = normalizeFieldName(str(fields.FIELD_NAME));
  if (!/^[A-Z0-9_]+$/.test(fieldName)) throw core('Field name contains invalid characters. Allowed characters are: A-Z, 0-9 and _.');
  if (fieldName.length > 50) throw core('Field name is too long (more than 50 characters).');
  const userTypeId = str(fields.USER_TYPE_ID);
  if (!USER_TYPES.has(userTypeId)) throw core('Incorrect custom type specified.');
  const { state } = call.ctx;
  if (state.userFields.some((f) => f.fieldName === fieldName)) {
    throw core(`The field ${fieldName} for the CRM_DEAL object already exists.`);
  }
  const multiple = userTypeId !== 'boolean' && yn(fields.MULTIPLE, false);
  const settings = isPlainObject(fields.SETTINGS) ? { ...fields.SETTINGS } : {};
  if (userTypeId === 'enumeration') {
    settings.DISPLAY ??= 'LIST';
    settings.LIST_HEIGHT ??= 1;
    settings.CAPTION_NO_VALUE ??= '';
    settings.SHOW_NO_VALUE ??= 'Y';
  }
  const record: UserFieldRecord = {
    id: state.nextId('userField', 6901),
    entityId: 'CRM_DEAL',
    fieldName,
    userTypeId,
    xmlId: fields.XML_ID === undefined ? null : str(fields.XML_ID),
    sort: intParam(fields.SORT) ?? 100,
    multiple,
    mandatory: yn(fields.MANDATORY, false),
    showFilter: yn(fields.SHOW_FILTER, false) ? 'E' : 'N',
    showInList: yn(fields.SHOW_IN_LIST, false),
    editInList: yn(fields.EDIT_IN_LIST, true),
    isSearchable: yn(fields.IS_SEARCHABLE, false),
    settings,
    label: labelOf(fields.EDIT_FORM_LABEL) || labelOf(fields.LABEL) || fieldName,
    list: userTypeId === 'enumeration' ? enumItems(fields.LIST, multiple, () => state.nextId('userFieldEnum', 3101)) : [],
  };
  state.userFields.push(record);
  for (const deal of state.deals.values()) deal.uf[fieldName] = multiple ? [] : null;
  return { result: record.id };
}

function list(call: MethodCall) {
  const filter = parseFilter(call.params.filter, {}, () => legacy("Parameter 'filter' must be array."));
  const order = parseOrder(call.params.order, {}, () => legacy("Parameter 'order' must be array."));
  const rows = call.ctx.state.userFields.map(userFieldRow).filter((r) => matches(r, filter));
  const sorted = sortRows(rows, order.length > 0 ? order : [{ field: 'SORT', desc: false }, { field: 'ID', desc: false }]);
  const page = paginate(sorted, call.params.start);
  return listResult(page.items, page);
}

export const userFieldMethods: MethodTable = {
  'crm.deal.userfield.add': method('crm', add),
  'crm.deal.userfield.list': method('crm', list),
  'crm.deal.userfield.get': method('crm', (call) => {
    const id = intParam(call.params.id ?? call.params.ID);
    const field = call.ctx.state.userFields.find((f) => f.id === id);
    if (!field) throw legacy('Not found');
    return { result: userFieldRow(field) };
  }),
};

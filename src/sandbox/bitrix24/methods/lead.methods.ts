// crm.lead.list (crm-lead-list.md): the legacy list, UPPER_CASE fields, filter keys with operator
// prefixes ("@ID", ">=DATE_MODIFY"), select, order, pages of 50 through `start`. Values come back as
// strings, dates in the portal's ISO format with offset. Errors of legacy methods: HTTP 400, empty code.

import type { MethodCall, MethodTable } from '../method-types.js';
import { listResult, method } from '../method-types.js';
import { matches, paginate, parseFilter, parseOrder, parseSelect, pick, sortRows } from '../list-query.js';
import { RestError } from '../rest-error.js';

const asText = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'object' ? v : String(v));

function leadList(call: MethodCall) {
  const rows = [...call.ctx.state.crmEntities.values()]
    .filter((e) => e.entityTypeId === 1)
    .map((e) => Object.fromEntries(Object.entries({ ...e.fields, ID: e.id }).map(([k, v]) => [k, asText(v)])) as Record<string, unknown>);
  const filter = parseFilter(call.params.filter ?? call.params.FILTER, {}, () => new RestError(400, '', "Parameter 'filter' must be array"));
  const order = parseOrder(call.params.order ?? call.params.ORDER, {}, () => new RestError(400, '', "Parameter 'order' must be array"));
  // IDs compare as numbers, as the host sorts them.
  const sorted = sortRows(
    rows.filter((r) => matches(r, filter)),
    order.length > 0 ? order : [{ field: 'ID', desc: false }],
  );
  const page = paginate(sorted, call.params.start);
  const select = parseSelect(call.params.select ?? call.params.SELECT);
  const fields = select.length === 0 || select.includes('*') ? null : ['ID', ...select.filter((f) => f !== 'ID')];
  return listResult(page.items.map((r) => pick(r, fields)), page);
}

export const leadMethods: MethodTable = {
  'crm.lead.list': method('crm', leadList),
};

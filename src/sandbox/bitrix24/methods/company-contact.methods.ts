// crm.company.update / crm.contact.update (+ get to read the result back). Deprecated in favour of
// crm.item.update but still served; legacy errors: HTTP 400 with an EMPTY error code
// ("Company is not found", crm-company-update.md).

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, method } from '../method-types.js';
import { isPlainObject } from '../list-query.js';
import { RestError } from '../rest-error.js';

function update(entityTypeId: 3 | 4) {
  return (call: MethodCall) => {
    const id = intParam(call.params.id ?? call.params.ID);
    const fields = call.params.fields ?? call.params.FIELDS;
    if (!isPlainObject(fields)) throw new RestError(400, '', "Parameter 'fields' must be array");
    if (call.params.params !== undefined && !isPlainObject(call.params.params)) {
      throw new RestError(400, '', "Parameter 'params' must be array");
    }
    if (id === null) throw new RestError(400, '', 'ID is not defined or invalid.');
    call.ctx.crm.updateCompanyOrContact(entityTypeId, id, fields, { userId: call.user.id });
    return { result: true };
  };
}

function get(entityTypeId: 3 | 4) {
  return (call: MethodCall) => {
    const id = intParam(call.params.id ?? call.params.ID);
    const record = id === null ? undefined : call.ctx.state.crmEntity(entityTypeId, id);
    if (!record) throw new RestError(400, '', 'Not found');
    return { result: { ...record.fields, ID: String(record.id) } };
  };
}

export const companyContactMethods: MethodTable = {
  'crm.company.update': method('crm', update(4)),
  'crm.company.get': method('crm', get(4)),
  'crm.contact.update': method('crm', update(3)),
  'crm.contact.get': method('crm', get(3)),
};

// The crm.item.* wire shape of a deal (camelCase; api-reference/crm/universal/crm-item-update.md example)
// and the custom-field name conversion from api-reference/crm/universal/index.md:
//   regular    — only letters or only digits after UF_CRM_[n_]: UF_CRM_3_DIGIT → ufCrm3Digit,
//                UF_CRM_3_1747309727 → ufCrm3_1747309727
//   simplified — letters and digits mixed, or digits with no object number: UF_CRM_3_DIGIT10 →
//                ufCrm_3_DIGIT10, UF_CRM_1747309879 → ufCrm_1747309879
// With useOriginalUfNames=N (the default) input keys must be camelCase too; an UPPER_CASE custom field in
// `fields` is then an unknown field and, as documented, silently ignored.

import type { DealRecord, SandboxState, UserFieldRecord } from './sandbox-state.js';
import { semanticLetter } from './sandbox-state.js';
import type { DealPatch } from './crm-service.js';
import { invalidField } from './crm-service.js';
import { RestError } from './rest-error.js';
import { intParam } from './method-types.js';

export function ufToCamel(original: string): string {
  if (!original.startsWith('UF_CRM_')) return original;
  const rest = original.slice('UF_CRM_'.length);
  const withNumber = /^(\d+)_(.+)$/.exec(rest);
  const objectNumber = withNumber ? withNumber[1] : '';
  const tail = withNumber ? withNumber[2] : rest;
  const parts = tail.split('_');
  if (parts.every((p) => /^[A-Za-z]+$/.test(p))) {
    return 'ufCrm' + objectNumber + parts.map((p) => p[0].toUpperCase() + p.slice(1).toLowerCase()).join('');
  }
  if (objectNumber !== '' && parts.every((p) => /^\d+$/.test(p))) return `ufCrm${objectNumber}_${parts.join('_')}`;
  return 'ufCrm_' + rest;
}

export interface ItemNaming {
  originalUf: boolean;
}

export function dealToItem(deal: DealRecord, state: SandboxState, format: (ms: number) => string, naming: ItemNaming): Record<string, unknown> {
  const stage = state.dealStage(deal.stageId);
  const semantic = stage ? semanticLetter(stage) : 'P';
  const first = state.stagesOf(deal.categoryId)[0];
  const date = (ms: number | null) => (ms === null ? null : format(ms));
  const item: Record<string, unknown> = {
    id: deal.id,
    createdTime: format(deal.createdTime),
    dateCreateShort: null,
    updatedTime: format(deal.updatedTime),
    dateModifyShort: null,
    createdBy: deal.createdBy,
    updatedBy: deal.updatedBy,
    assignedById: deal.assignedById,
    opened: deal.opened ? 'Y' : 'N',
    leadId: null,
    companyId: deal.companyId,
    contactId: deal.contactId,
    quoteId: null,
    title: deal.title,
    productId: null,
    categoryId: deal.categoryId,
    stageId: deal.stageId,
    stageSemanticId: semantic,
    isNew: first && first.statusId === deal.stageId ? 'Y' : 'N',
    isRecurring: 'N',
    isReturnCustomer: 'N',
    isRepeatedApproach: 'N',
    closed: semantic === 'P' ? 'N' : 'Y',
    typeId: deal.typeId,
    opportunity: deal.opportunity,
    isManualOpportunity: deal.isManualOpportunity ? 'Y' : 'N',
    taxValue: 0,
    currencyId: deal.currencyId,
    probability: deal.probability,
    comments: deal.comments,
    begindate: date(deal.begindate),
    begindateShort: null,
    closedate: date(deal.closedate),
    closedateShort: null,
    eventDate: null,
    eventDateShort: null,
    eventId: null,
    eventDescription: null,
    locationId: null,
    webformId: 0,
    sourceId: deal.sourceId,
    sourceDescription: deal.sourceDescription,
    originatorId: deal.originatorId,
    originId: deal.originId,
    additionalInfo: null,
    searchContent: `${deal.id} ${deal.title}`,
    orderStage: null,
    movedBy: deal.movedBy,
    movedTime: format(deal.movedTime),
    lastActivityBy: deal.lastActivityBy,
    lastActivityTime: format(deal.lastActivityTime),
    isWork: null,
    isWon: null,
    isLose: null,
    receivedAmount: null,
    lostAmount: null,
    hasProducts: null,
  };
  for (const field of state.userFields) {
    const key = naming.originalUf ? field.fieldName : ufToCamel(field.fieldName);
    item[key] = deal.uf[field.fieldName] ?? (field.multiple ? [] : null);
  }
  item.utmSource = null;
  item.utmMedium = null;
  item.utmCampaign = null;
  item.utmContent = null;
  item.utmTerm = null;
  item.observers = deal.observers;
  item.contactIds = deal.contactIds;
  item.entityTypeId = 2;
  return item;
}

const numberFields = ['categoryId', 'assignedById', 'companyId', 'contactId'] as const;

/** crm.item.add/update `fields` → a patch. Unknown keys are ignored, as the docs say. */
export function itemFieldsToPatch(fields: Record<string, unknown>, state: SandboxState, naming: ItemNaming, parseDate: (v: unknown) => number | null): DealPatch {
  const patch: DealPatch = {};
  for (const key of numberFields) {
    if (!(key in fields)) continue;
    const n = intParam(fields[key]);
    if (n === null) throw invalidField(key);
    patch[key] = n;
  }
  if ('title' in fields) patch.title = String(fields.title ?? '');
  if ('stageId' in fields) patch.stageId = String(fields.stageId ?? '');
  if ('currencyId' in fields) patch.currencyId = String(fields.currencyId ?? '');
  if ('typeId' in fields) patch.typeId = String(fields.typeId ?? '');
  if ('sourceId' in fields) patch.sourceId = String(fields.sourceId ?? '');
  if ('sourceDescription' in fields) patch.sourceDescription = String(fields.sourceDescription ?? '');
  if ('comments' in fields) patch.comments = String(fields.comments ?? '');
  if ('originId' in fields) patch.originId = fields.originId === null ? null : String(fields.originId);
  if ('originatorId' in fields) patch.originatorId = fields.originatorId === null ? null : String(fields.originatorId);
  if ('opened' in fields) patch.opened = String(fields.opened).toUpperCase() === 'Y' || fields.opened === true;
  if ('isManualOpportunity' in fields) patch.isManualOpportunity = String(fields.isManualOpportunity).toUpperCase() === 'Y';
  if ('opportunity' in fields) {
    const n = Number(fields.opportunity);
    if (!Number.isFinite(n)) throw invalidField('Amount');
    patch.opportunity = n;
  }
  if ('probability' in fields) {
    const v = fields.probability;
    if (v === null || v === '') patch.probability = null;
    else {
      const n = intParam(v);
      if (n === null) throw invalidField('Probability');
      patch.probability = n;
    }
  }
  for (const key of ['begindate', 'closedate'] as const) {
    if (!(key in fields)) continue;
    const v = fields[key];
    if (v === null || v === '') patch[key] = null;
    else {
      const ms = parseDate(v);
      if (ms === null) throw invalidField(key === 'closedate' ? 'Expected close date' : 'Start date');
      patch[key] = ms;
    }
  }
  if ('contactIds' in fields) patch.contactIds = listOfInts(fields.contactIds, 'contactIds');
  if ('observers' in fields) patch.observers = listOfInts(fields.observers, 'observers');
  const uf: Record<string, unknown> = {};
  for (const field of state.userFields) {
    const key = naming.originalUf ? field.fieldName : ufToCamel(field.fieldName);
    if (key in fields) uf[field.fieldName] = ufValue(field, fields[key]);
  }
  if (Object.keys(uf).length > 0) patch.uf = uf;
  return patch;
}

function listOfInts(v: unknown, name: string): number[] {
  if (v === '' || v === null) return [];
  if (!Array.isArray(v)) throw expectedIterable(v);
  return v.map((x) => {
    const n = intParam(x);
    if (n === null) throw invalidField(name);
    return n;
  });
}

function expectedIterable(v: unknown): RestError {
  return new RestError(400, '100', `Expected iterable value for multiple field, but got ${typeof v} instead`);
}

/** Enumeration values are list item IDs; anything else is refused like the host refuses it. */
function ufValue(field: UserFieldRecord, raw: unknown): unknown {
  const label = field.label || field.fieldName;
  const one = (v: unknown): unknown => {
    if (v === null || v === '' || v === undefined) return null;
    if (field.userTypeId === 'enumeration') {
      const id = intParam(v);
      if (id === null || !field.list.some((item) => item.id === id)) throw invalidField(label);
      return id;
    }
    if (field.userTypeId === 'integer' || field.userTypeId === 'employee') {
      const n = intParam(v);
      if (n === null) throw invalidField(label);
      return n;
    }
    if (field.userTypeId === 'double') {
      const n = Number(v);
      if (!Number.isFinite(n)) throw invalidField(label);
      return n;
    }
    if (field.userTypeId === 'boolean') return String(v) === '1' || String(v).toUpperCase() === 'Y' || v === true ? 'Y' : 'N';
    return String(v);
  };
  if (field.multiple) {
    if (raw === null || raw === '') return [];
    if (!Array.isArray(raw)) throw expectedIterable(raw);
    return raw.map(one).filter((v) => v !== null);
  }
  return one(raw);
}

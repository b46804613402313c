import type { Deal } from '../domain/crm.js';

// Config names deal fields the way users think of them: our own standard names first (amount,
// closeDate, …), anything else is a host field name looked up in deal.fields (UF_CRM_…, amoCRM ids).
const STANDARD_FIELDS = [
  'id',
  'title',
  'responsibleId',
  'amount',
  'currency',
  'closeDate',
  'probability',
  'companyId',
  'contactId',
] as const satisfies readonly (keyof Deal)[];

type StandardField = (typeof STANDARD_FIELDS)[number];

function isStandardField(name: string): name is StandardField {
  return (STANDARD_FIELDS as readonly string[]).includes(name);
}

export function dealFieldValue(deal: Deal, name: string): unknown {
  return isStandardField(name) ? deal[name] : deal.fields[name];
}

export function isDealFieldFilled(deal: Deal, name: string): boolean {
  const value = dealFieldValue(deal, name);
  // Both hosts store an untouched deal budget as 0 (Bitrix24 OPPORTUNITY, amoCRM price), so a zero
  // amount means nobody entered one.
  if (name === 'amount') return typeof value === 'number' && value > 0;
  return isFilled(value);
}

/**
 * Host values arrive as strings or numbers depending on the host and the field type (Bitrix24 returns
 * enumeration ids as strings, amoCRM as numbers), so comparison is on the string form. A multi-value
 * field matches when any of its values does.
 */
export function dealFieldEquals(deal: Deal, name: string, expected: string | number | boolean): boolean {
  const value = dealFieldValue(deal, name);
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => v !== null && v !== undefined && String(v) === String(expected));
}

function isFilled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(isFilled);
  return true;
}

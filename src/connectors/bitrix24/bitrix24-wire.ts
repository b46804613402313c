// Readers for Bitrix24 wire values: the REST API returns ids and numbers as strings in legacy
// methods and as numbers in crm.item.*, dates as ISO 8601 with an offset, empty values as "", null or 0.

export type WireRow = Record<string, unknown>;

export function wireString(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

/** An id where 0 means "none" (crm.item companyId / contactId: crm-item-get.md example). */
export function wireId(value: unknown): string | null {
  const text = wireString(value);
  return text === null || text === '0' ? null : text;
}

export function wireNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function wireIso(value: unknown): string | null {
  const text = wireString(value);
  if (text === null) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

export function wireRows(value: unknown): WireRow[] {
  return Array.isArray(value) ? value.filter((row): row is WireRow => row !== null && typeof row === 'object') : [];
}

// filter / order / start as the list methods document them: prefixes before the field name
// (>= > <= < @ !@ % =% %= !% !=% !%= = != !), `logic: OR` with nested groups, 50 rows a page,
// `next` only when more rows exist, and start=-1 to skip the total (settings/performance/huge-data.md).

import { RestError } from './rest-error.js';

export const PAGE_SIZE = 50;

const PREFIXES = ['!%=', '!=%', '>=', '<=', '!@', '=%', '%=', '!%', '!=', '>', '<', '@', '%', '=', '!'] as const;

export interface Condition {
  op: string;
  field: string;
  value: unknown;
}

export interface FilterGroup {
  logic: 'AND' | 'OR';
  conditions: Array<Condition | FilterGroup>;
}

export interface FilterRules {
  /** Field names accepted in the filter; undefined accepts any. */
  allowed?: ReadonlySet<string>;
  /** The documented error for a field outside `allowed`. */
  rejectField?: (field: string) => RestError;
  /** Whether `logic`/nested groups are understood (crm.item.list). */
  nested?: boolean;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseFilter(raw: unknown, rules: FilterRules, badFilter: () => RestError): FilterGroup {
  if (raw === undefined || raw === null || raw === '') return { logic: 'AND', conditions: [] };
  if (Array.isArray(raw) && raw.length === 0) return { logic: 'AND', conditions: [] };
  if (!isPlainObject(raw)) throw badFilter();
  const group: FilterGroup = { logic: 'AND', conditions: [] };
  for (const [key, value] of Object.entries(raw)) {
    if (rules.nested && key.toLowerCase() === 'logic') {
      group.logic = String(value).toUpperCase() === 'OR' ? 'OR' : 'AND';
      continue;
    }
    if (rules.nested && /^\d+$/.test(key) && isPlainObject(value)) {
      group.conditions.push(parseFilter(value, rules, badFilter));
      continue;
    }
    const prefix = PREFIXES.find((p) => key.startsWith(p)) ?? '';
    const field = key.slice(prefix.length);
    if (rules.allowed && !rules.allowed.has(field)) {
      throw rules.rejectField ? rules.rejectField(field) : badFilter();
    }
    group.conditions.push({ op: prefix === '' ? '=' : prefix, field, value });
  }
  return group;
}

export function matches(row: Record<string, unknown>, group: FilterGroup): boolean {
  if (group.conditions.length === 0) return true;
  const test = (c: Condition | FilterGroup) => ('logic' in c ? matches(row, c) : matchCondition(row[c.field], c));
  return group.logic === 'OR' ? group.conditions.some(test) : group.conditions.every(test);
}

function matchCondition(actual: unknown, c: Condition): boolean {
  const values = Array.isArray(actual) ? actual : isPlainObject(actual) ? Object.values(actual) : [actual];
  const expected = c.value;
  const list = Array.isArray(expected) ? expected : isPlainObject(expected) ? Object.values(expected) : [expected];
  switch (c.op) {
    case '=':
      return values.some((v) => list.some((e) => equal(v, e)));
    case '@':
      return values.some((v) => list.some((e) => equal(v, e)));
    case '!':
    case '!=':
    case '!@':
      return !values.some((v) => list.some((e) => equal(v, e)));
    case '>':
      return values.some((v) => compare(v, expected) > 0);
    case '>=':
      return values.some((v) => compare(v, expected) >= 0);
    case '<':
      return values.some((v) => compare(v, expected) < 0);
    case '<=':
      return values.some((v) => compare(v, expected) <= 0);
    case '%':
      return values.some((v) => contains(v, expected));
    case '!%':
      return !values.some((v) => contains(v, expected));
    case '=%':
    case '%=':
      return values.some((v) => like(v, expected));
    case '!=%':
    case '!%=':
      return !values.some((v) => like(v, expected));
    default:
      return false;
  }
}

function isNumeric(v: unknown): boolean {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()));
}

function asTime(v: unknown): number | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  return Number.isNaN(t) ? null : t;
}

function normalizeEmpty(v: unknown): unknown {
  if (v === null || v === undefined || v === false) return '';
  if (v === true) return 'Y';
  return v;
}

function equal(a: unknown, b: unknown): boolean {
  const x = normalizeEmpty(a);
  const y = normalizeEmpty(b);
  if (isNumeric(x) && isNumeric(y)) return Number(x) === Number(y);
  if ((x === '' && y === 0) || (x === 0 && y === '')) return true;
  const tx = asTime(x);
  const ty = asTime(y);
  if (tx !== null && ty !== null) return tx === ty;
  return String(x) === String(y);
}

function compare(a: unknown, b: unknown): number {
  if (a === null || a === undefined || a === '') return Number.NaN;
  if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
  const ta = asTime(a);
  const tb = asTime(b);
  if (ta !== null && tb !== null) return ta - tb;
  return String(a).localeCompare(String(b));
}

function contains(v: unknown, needle: unknown): boolean {
  return String(normalizeEmpty(v)).toLowerCase().includes(String(needle).toLowerCase());
}

function like(v: unknown, pattern: unknown): boolean {
  const escaped = String(pattern)
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/_/g, '.'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'is').test(String(normalizeEmpty(v)));
}

export type SortSpec = Array<{ field: string; desc: boolean }>;

export function parseOrder(
  raw: unknown,
  rules: { allowed?: ReadonlySet<string>; rejectField?: (field: string) => RestError; rejectDirection?: (field: string, dir: string) => RestError },
  badOrder: () => RestError,
): SortSpec {
  if (raw === undefined || raw === null || raw === '') return [];
  if (Array.isArray(raw) && raw.length === 0) return [];
  if (!isPlainObject(raw)) throw badOrder();
  const spec: SortSpec = [];
  for (const [field, dirRaw] of Object.entries(raw)) {
    if (rules.allowed && !rules.allowed.has(field)) throw rules.rejectField ? rules.rejectField(field) : badOrder();
    const dir = String(dirRaw).toUpperCase();
    if (dir !== 'ASC' && dir !== 'DESC') {
      if (rules.rejectDirection) throw rules.rejectDirection(field, String(dirRaw));
      spec.push({ field, desc: false });
      continue;
    }
    spec.push({ field, desc: dir === 'DESC' });
  }
  return spec;
}

export function sortRows<T extends Record<string, unknown>>(rows: T[], spec: SortSpec): T[] {
  if (spec.length === 0) return rows;
  return [...rows].sort((a, b) => {
    for (const { field, desc } of spec) {
      const x = a[field];
      const y = b[field];
      let c: number;
      if (x === y) c = 0;
      else if (x === null || x === undefined || x === '') c = -1;
      else if (y === null || y === undefined || y === '') c = 1;
      else c = compare(x, y);
      if (Number.isNaN(c)) c = 0;
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
}

export interface Page<T> {
  items: T[];
  /** Absent when start=-1 asked for no count; then the host reports 0. */
  total: number;
  next?: number;
}

/** start=(N-1)*50; `next` only when more rows follow; start=-1 → first 50 rows, total 0, no next. */
export function paginate<T>(rows: T[], startRaw: unknown): Page<T> {
  const start = Number(startRaw ?? 0);
  if (start === -1) return { items: rows.slice(0, PAGE_SIZE), total: 0 };
  const from = Number.isFinite(start) && start > 0 ? Math.floor(start) : 0;
  const items = rows.slice(from, from + PAGE_SIZE);
  const page: Page<T> = { items, total: rows.length };
  if (from + PAGE_SIZE < rows.length) page.next = from + PAGE_SIZE;
  return page;
}

/** `select` as given: an array of names, `*` meaning everything. Empty means the method's default. */
export function parseSelect(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (isPlainObject(raw)) return Object.values(raw).map(String);
  if (typeof raw === 'string' && raw !== '') return [raw];
  return [];
}

export function pick(row: Record<string, unknown>, fields: string[] | null): Record<string, unknown> {
  if (!fields) return row;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in row) out[f] = row[f];
  return out;
}

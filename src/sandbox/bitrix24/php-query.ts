// PHP's query-string conventions, both ways. Bitrix24 is PHP: it reads form bodies and query strings
// with parse_str (bracket keys: filter[>ID]=5, select[]=*, cmd[a]=crm.item.get?id=1) and sends events
// built with http_build_query (data[FIELDS][ID]=759). Both are reproduced here rather than borrowed
// from `qs`, so the sandbox is exactly as picky as the host.

export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };

/** PHP urldecode: '+' is a space, %XX a byte; malformed escapes stay as they are. */
export function phpUrldecode(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** PHP urlencode: everything except [A-Za-z0-9_.-] is %XX-escaped, a space becomes '+'. */
export function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** parse_str: `a[b][]=1&a[b][]=2&c=3` → { a: { b: ['1', '2'] }, c: '3' }. */
export function parsePhpQuery(query: string): Record<string, PhpValue> {
  const root: Record<string, unknown> = {};
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = phpUrldecode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : phpUrldecode(part.slice(eq + 1));
    const path = splitKey(rawKey);
    if (path === null) continue;
    assign(root, path, value);
  }
  return normalizeLists(root) as Record<string, PhpValue>;
}

/** `filter[>ID][]` → ['filter', '>ID', '']; null when the key has no name. */
function splitKey(key: string): string[] | null {
  const open = key.indexOf('[');
  if (open <= 0) return key === '' ? null : [key];
  const base = key.slice(0, open);
  const segments: string[] = [base];
  let rest = key.slice(open);
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) break;
    segments.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  return segments;
}

function assign(target: Record<string, unknown>, path: string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    let key = path[i];
    if (key === '') key = String(nextIndex(node));
    if (last) {
      node[key] = value;
      return;
    }
    const existing = node[key];
    if (typeof existing !== 'object' || existing === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
}

function nextIndex(node: Record<string, unknown>): number {
  let max = -1;
  for (const k of Object.keys(node)) if (/^(0|[1-9]\d*)$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

/** A PHP array with keys 0..n-1 is a list; JSON bodies give those as arrays, so form bodies do too. */
function normalizeLists(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(normalizeLists);
  const entries = Object.entries(value as Record<string, unknown>);
  const sequential = entries.length > 0 && entries.every(([k], i) => k === String(i));
  if (sequential) return entries.map(([, v]) => normalizeLists(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = normalizeLists(v);
  return out;
}

/** http_build_query: nested keys in brackets (URL-encoded), null skipped, booleans as 1/0. */
export function buildPhpQuery(data: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [k, v] of entries) walk(`${prefix}[${k}]`, v);
      return;
    }
    const scalar = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    pairs.push(`${phpUrlencode(prefix)}=${phpUrlencode(scalar)}`);
  };
  for (const [k, v] of Object.entries(data)) walk(k, v);
  return pairs.join('&');
}

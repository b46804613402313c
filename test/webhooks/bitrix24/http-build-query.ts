// Encodes a JSON-rendered Bitrix24 payload the way the portal sends it: PHP http_build_query, i.e.
// bracket keys, PHP urlencode (spaces as '+', brackets percent-encoded), numbers as strings,
// true/false as 1/0, null values dropped.

export function httpBuildQuery(value: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [key, item] of Object.entries(value)) encode(key, item, pairs);
  return pairs.join('&');
}

function encode(key: string, value: unknown, pairs: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => encode(`${key}[${index}]`, item, pairs));
    return;
  }
  if (typeof value === 'object') {
    for (const [child, item] of Object.entries(value as Record<string, unknown>)) encode(`${key}[${child}]`, item, pairs);
    return;
  }
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  pairs.push(`${phpUrlencode(key)}=${phpUrlencode(text)}`);
}

function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

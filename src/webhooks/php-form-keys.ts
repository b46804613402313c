// The parts of reading a PHP http_build_query body that both hosts share (Bitrix24 events, amoCRM
// webhooks): decoding a pair, splitting a bracketed key, the key names never to assign. What a repeated
// or clashing key means differs by host and stays in each parser.

/** Key names that would reach Object.prototype when assigned on a plain object. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** application/x-www-form-urlencoded decoding ("+" is a space); null on broken percent-encoding. */
export function decodeFormComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** A key or value cut short for an error message. */
export function clipForMessage(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * `a[b][]` → ['a', 'b', null]; null stands for `[]` (append). Returns null when brackets do not
 * pair up; http_build_query never produces such keys, so they mean a forged or broken body.
 */
export function splitFormKey(key: string): (string | null)[] | null {
  const open = key.indexOf('[');
  if (open === -1) return key.includes(']') ? null : [key];
  const base = key.slice(0, open);
  if (base === '' || base.includes(']')) return null;
  const path: (string | null)[] = [base];
  let rest = key.slice(open);
  while (rest.length > 0) {
    if (rest[0] !== '[') return null;
    const close = rest.indexOf(']');
    if (close === -1) return null;
    const segment = rest.slice(1, close);
    if (segment.includes('[')) return null;
    path.push(segment === '' ? null : segment);
    rest = rest.slice(close + 1);
  }
  return path;
}

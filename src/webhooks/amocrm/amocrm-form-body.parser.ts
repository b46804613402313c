// amoCRM posts account webhooks as application/x-www-form-urlencoded with PHP-style bracket keys,
// `leads[status][0][id]=15318175`, and every value is a string (shared/protocols/amocrm.md §2.2;
// developers.kommo.com/docs/webhooks-general). The body comes from an unauthenticated sender (the
// only secret is in the URL), so this parser bounds its work: a length limit the caller chooses,
// a nesting depth, a key count, and no key that could reach Object.prototype. It never throws.
//
// Containers are always plain objects keyed by string: amoCRM writes explicit indices (`[0]`, `[1]`),
// and keeping "arrays" as objects means a forged `[99999999]` cannot allocate a sparse array.

import { clipForMessage, decodeFormComponent, FORBIDDEN_SEGMENTS, splitFormKey } from '../php-form-keys.js';

export type AmoFormValue = string | AmoFormObject;
export interface AmoFormObject {
  [key: string]: AmoFormValue;
}

export type AmoFormErrorCode = 'TOO_LONG' | 'TOO_MANY_KEYS' | 'TOO_DEEP' | 'FORBIDDEN_KEY' | 'MALFORMED';

export interface AmoFormLimits {
  /** Maximum body length in characters; the route decides (it also caps the raw bytes it reads). */
  maxLength: number;
  /** Maximum bracket segments after the base name. The deepest documented key is
   * `leads[status][0][custom_fields][0][values][0][enum]` (6 segments). */
  maxDepth?: number;
  /** Maximum key=value pairs. A batch of leads with custom fields runs to a few hundred. */
  maxKeys?: number;
}

export type AmoFormParseResult =
  | { ok: true; value: AmoFormObject }
  | { ok: false; code: AmoFormErrorCode; message: string };

export const AMO_FORM_DEFAULT_MAX_DEPTH = 8;
export const AMO_FORM_DEFAULT_MAX_KEYS = 2000;

export function parseAmoFormBody(raw: string, limits: AmoFormLimits): AmoFormParseResult {
  const maxDepth = limits.maxDepth ?? AMO_FORM_DEFAULT_MAX_DEPTH;
  const maxKeys = limits.maxKeys ?? AMO_FORM_DEFAULT_MAX_KEYS;
  if (raw.length > limits.maxLength) return fail('TOO_LONG', `body is ${raw.length} characters, the limit is ${limits.maxLength}`);

  const root: AmoFormObject = {};
  let pairs = 0;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    pairs += 1;
    if (pairs > maxKeys) return fail('TOO_MANY_KEYS', `more than ${maxKeys} keys`);

    const eq = pair.indexOf('=');
    const key = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeFormComponent(eq === -1 ? '' : pair.slice(eq + 1));
    if (key === null || value === null) return fail('MALFORMED', `bad percent-encoding in "${clipForMessage(pair)}"`);
    if (key === '') continue;

    const path = splitFormKey(key);
    if (path === null) return fail('MALFORMED', `unbalanced brackets in key "${clipForMessage(key)}"`);
    if (path.length - 1 > maxDepth) return fail('TOO_DEEP', `key "${clipForMessage(key)}" nests deeper than ${maxDepth}`);
    const forbidden = path.find((segment) => segment !== null && FORBIDDEN_SEGMENTS.has(segment));
    if (forbidden !== undefined) return fail('FORBIDDEN_KEY', `key segment "${forbidden}" is not allowed`);

    const clash = assign(root, path, value);
    if (clash !== null) return fail('MALFORMED', clash);
  }
  return { ok: true, value: root };
}

function fail(code: AmoFormErrorCode, message: string): AmoFormParseResult {
  return { ok: false, code, message };
}

/**
 * Sets `value` at `path`. The last assignment to a scalar wins (PHP), but a key that tries to turn
 * a container into a scalar or a scalar into a container is refused: amoCRM never sends both
 * `a[b]=1` and `a[b][c]=2`, so such a body is forged or broken.
 */
function assign(root: AmoFormObject, path: (string | null)[], value: string): string | null {
  let container: AmoFormObject = root;
  for (let i = 0; i < path.length; i += 1) {
    const slot = path[i] ?? nextIndex(container);
    const last = i === path.length - 1;
    const existing = Object.hasOwn(container, slot) ? container[slot] : undefined;
    if (last) {
      if (existing !== undefined && typeof existing !== 'string') return `key "${path.join('][')}" is both a value and a container`;
      container[slot] = value;
      return null;
    }
    if (existing === undefined) {
      const child: AmoFormObject = {};
      container[slot] = child;
      container = child;
    } else if (typeof existing === 'string') {
      return `key "${path.slice(0, i + 1).join('][')}" is both a value and a container`;
    } else {
      container = existing;
    }
  }
  return null;
}

function nextIndex(object: AmoFormObject): string {
  let max = -1;
  for (const key of Object.keys(object)) {
    if (/^\d+$/.test(key)) max = Math.max(max, Number(key));
  }
  return String(max + 1);
}

// Readers: a field the host left out is absent, an empty string counts as absent.

export function isAmoFormObject(value: AmoFormValue | undefined): value is AmoFormObject {
  return value !== undefined && typeof value === 'object';
}

export function amoFormObject(value: AmoFormValue | undefined): AmoFormObject {
  return isAmoFormObject(value) ? value : {};
}

export function amoFormString(value: AmoFormValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The entries under numeric keys, in index order: `leads[status][0]`, `leads[status][1]`, … */
export function amoFormList(value: AmoFormValue | undefined): AmoFormObject[] {
  const object = amoFormObject(value);
  return Object.keys(object)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => object[key])
    .filter(isAmoFormObject);
}

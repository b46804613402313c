// Bitrix24 posts events and install data as application/x-www-form-urlencoded bodies built with PHP's
// http_build_query, so keys use bracket notation: `data[FIELDS][ID]=759`, `auth[member_id]=…`
// (docs: api-reference/events/index.md). This parser rebuilds the nested object from the RAW body,
// because the webhook route must see exactly the bytes it will store and must bound the work an
// unauthenticated sender can make it do. It never throws: every failure is a FormBodyParseError value.

import { clipForMessage, decodeFormComponent, FORBIDDEN_SEGMENTS, splitFormKey } from '../php-form-keys.js';

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export type FormBodyParseErrorCode = 'TOO_LONG' | 'TOO_MANY_KEYS' | 'TOO_DEEP' | 'FORBIDDEN_KEY' | 'MALFORMED';

export class FormBodyParseError extends Error {
  constructor(
    readonly code: FormBodyParseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FormBodyParseError';
  }
}

export interface FormBodyLimits {
  /** Maximum body length in characters; the route chooses it (256 KB for events). */
  maxLength: number;
  /** Maximum bracket segments after the base name; PHP's default max_input_nesting_level is 64, we need far less. */
  maxDepth?: number;
  /** Maximum key=value pairs, as PHP's max_input_vars (1000). */
  maxKeys?: number;
}

export type FormBodyParseResult = { ok: true; value: FormObject } | { ok: false; error: FormBodyParseError };

const DEFAULT_MAX_DEPTH = 8;
const DEFAULT_MAX_KEYS = 1000;

export function parseFormBody(raw: string, limits: FormBodyLimits): FormBodyParseResult {
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxKeys = limits.maxKeys ?? DEFAULT_MAX_KEYS;
  if (raw.length > limits.maxLength) {
    return fail('TOO_LONG', `body is ${raw.length} characters, the limit is ${limits.maxLength}`);
  }

  const root: FormObject = {};
  let pairs = 0;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    pairs += 1;
    if (pairs > maxKeys) return fail('TOO_MANY_KEYS', `more than ${maxKeys} keys`);

    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decodeFormComponent(rawKey);
    const value = decodeFormComponent(rawValue);
    if (key === null || value === null) return fail('MALFORMED', `bad percent-encoding in "${clipForMessage(pair)}"`);
    if (key === '') continue; // PHP drops pairs without a name

    const path = splitFormKey(key);
    if (path === null) return fail('MALFORMED', `unbalanced brackets in key "${clipForMessage(key)}"`);
    if (path.length - 1 > maxDepth) return fail('TOO_DEEP', `key "${clipForMessage(key)}" nests deeper than ${maxDepth}`);
    const forbidden = path.find((segment) => segment !== null && FORBIDDEN_SEGMENTS.has(segment));
    if (forbidden !== undefined) return fail('FORBIDDEN_KEY', `key segment "${forbidden}" is not allowed`);

    assign(root, path, value);
  }
  return { ok: true, value: root };
}

function fail(code: FormBodyParseErrorCode, message: string): FormBodyParseResult {
  return { ok: false, error: new FormBodyParseError(code, message) };
}

/**
 * PHP semantics: the last assignment to a path wins, a scalar is replaced by a container when a
 * deeper key arrives, and `[]` appends. Containers made by `[]` are arrays; explicit keys make
 * objects (an array that then receives a named key becomes an object keyed by index).
 */
function assign(root: FormObject, path: (string | null)[], value: string): void {
  let container: FormObject | FormValue[] = root;
  // Where `container` hangs in its parent, so an array can be swapped for an object in place.
  let parent: FormObject | FormValue[] | null = null;
  let parentSlot: string | number = '';
  for (let i = 0; i < path.length; i += 1) {
    const segment = path[i];
    if (Array.isArray(container) && segment !== null && parent !== null) {
      const asObject: FormObject = {};
      container.forEach((item, index) => {
        asObject[String(index)] = item;
      });
      setSlot(parent, parentSlot, asObject);
      container = asObject;
    }
    const slot: string | number =
      segment !== null ? segment : Array.isArray(container) ? container.length : nextIndex(container);

    if (i === path.length - 1) {
      setSlot(container, slot, value);
      return;
    }
    let child = getSlot(container, slot);
    if (child === undefined || typeof child === 'string') {
      child = path[i + 1] === null ? [] : {};
      setSlot(container, slot, child);
    }
    parent = container;
    parentSlot = slot;
    container = child;
  }
}

function nextIndex(object: FormObject): string {
  let max = -1;
  for (const key of Object.keys(object)) {
    if (/^\d+$/.test(key)) max = Math.max(max, Number(key));
  }
  return String(max + 1);
}

function getSlot(container: FormObject | FormValue[], slot: string | number): FormValue | undefined {
  if (Array.isArray(container)) return typeof slot === 'number' ? container[slot] : undefined;
  return Object.hasOwn(container, slot) ? container[String(slot)] : undefined;
}

function setSlot(container: FormObject | FormValue[], slot: string | number, value: FormValue): void {
  if (Array.isArray(container)) {
    container[Number(slot)] = value;
  } else {
    container[String(slot)] = value;
  }
}

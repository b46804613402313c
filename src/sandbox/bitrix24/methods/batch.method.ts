// batch (settings/how-to-call-rest-api/batch.md): cmd is an object or array of "method?query" strings
// read with parse_str; at most 50 commands (more → HTTP 400 ERROR_BATCH_LENGTH_EXCEEDED for the whole
// request, as the system-error table gives it — the note that "subqueries beyond the limit" fail is read
// as describing the same refusal); no nested batch (ERROR_BATCH_METHOD_NOT_ALLOWED in result_error);
// `$result[key][field]` back-references; halt=1 stops at the first failure. The answer mirrors PHP's
// json_encode: an empty section is `[]`, a section keyed 0..n-1 is a JSON array.
// The whole batch is ONE request for the leaky bucket (limits.md: "the rate limit accounts for HTTP requests").

import type { MethodCall, MethodResult } from '../method-types.js';
import { isPlainObject } from '../list-query.js';
import { parsePhpQuery } from '../php-query.js';
import { RestError, systemErrors } from '../rest-error.js';
import { timeBlock } from '../wire-format.js';

export const MAX_BATCH = 50;

export type Executor = (method: string, params: Record<string, unknown>, call: MethodCall) => MethodResult;

type Entry = [string, unknown];

/** json_encode of a PHP array: [] when empty, a list when keyed 0..n-1 in order, an object otherwise. */
export function phpArray(entries: Entry[]): unknown {
  if (entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

const REFERENCE = /\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g;

function resolve(results: Map<string, unknown>, key: string, path: string): { found: boolean; value: unknown } {
  if (!results.has(key)) return { found: false, value: undefined };
  let node: unknown = results.get(key);
  for (const segment of path.match(/\[[^\]]*\]/g) ?? []) {
    const name = segment.slice(1, -1);
    if (Array.isArray(node)) node = node[Number(name)];
    else if (isPlainObject(node)) node = node[name];
    else return { found: false, value: undefined };
  }
  return { found: node !== undefined, value: node };
}

function substitute(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$result\[([^\]]+)\]((?:\[[^\]]*\])*)$/.exec(value);
    if (whole) {
      const r = resolve(results, whole[1], whole[2]);
      return r.found ? r.value : value;
    }
    return value.replace(REFERENCE, (match, key: string, path: string) => {
      const r = resolve(results, key, path);
      return r.found && (typeof r.value === 'string' || typeof r.value === 'number') ? String(r.value) : match;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, results);
    return out;
  }
  return value;
}

function isHalt(v: unknown): boolean {
  return v === true || v === 1 || ['1', 'true', 'Y', 'y'].includes(String(v));
}

export function runBatch(call: MethodCall, execute: Executor): MethodResult {
  const cmd = call.params.cmd;
  const commands: Entry[] = Array.isArray(cmd)
    ? cmd.map((c, i) => [String(i), c])
    : isPlainObject(cmd)
      ? Object.entries(cmd)
      : [];
  if (cmd === undefined) throw new RestError(400, 'ERROR_ARGUMENT', "Argument 'cmd' is null or empty");
  if (commands.length > MAX_BATCH) throw systemErrors.batchLength();
  const halt = isHalt(call.params.halt);
  const { clock } = call.ctx;
  const offset = call.ctx.state.portal.timezoneOffsetMinutes;
  const results = new Map<string, unknown>();
  const ok: Entry[] = [];
  const errors: Entry[] = [];
  const totals: Entry[] = [];
  const nexts: Entry[] = [];
  const times: Entry[] = [];
  for (const [key, raw] of commands) {
    const started = clock.now();
    const text = String(raw);
    const q = text.indexOf('?');
    const methodName = (q === -1 ? text : text.slice(0, q)).trim().toLowerCase();
    try {
      if (methodName === 'batch') throw systemErrors.batchNested();
      const params = substitute(parsePhpQuery(q === -1 ? '' : text.slice(q + 1)), results) as Record<string, unknown>;
      const outcome = execute(methodName, params, { ...call, params, inBatch: true });
      results.set(key, outcome.result);
      ok.push([key, outcome.result]);
      if (outcome.total !== undefined) totals.push([key, outcome.total]);
      if (outcome.next !== undefined) nexts.push([key, outcome.next]);
      times.push([key, timeBlock(started, clock.now(), offset, false)]);
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      call.ctx.stats.error(error.code);
      // batch.md shows scope failures inside a batch with an empty description.
      const description = error.code === 'insufficient_scope' ? '' : error.description;
      errors.push([key, { error: error.code, error_description: description }]);
      if (halt) break;
    }
  }
  return {
    result: {
      result: phpArray(ok),
      result_error: phpArray(errors),
      result_total: phpArray(totals),
      result_next: phpArray(nexts),
      result_time: phpArray(times),
    },
  };
}

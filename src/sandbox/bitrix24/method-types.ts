import type { SandboxContext } from './sandbox-context.js';
import type { SandboxUser } from './sandbox-state.js';

export interface MethodCall {
  params: Record<string, unknown>;
  user: SandboxUser;
  ctx: SandboxContext;
  inBatch: boolean;
}

export interface MethodResult {
  result: unknown;
  total?: number;
  next?: number;
}

export type MethodHandler = (call: MethodCall) => MethodResult;

export interface MethodDefinition {
  /** The call is allowed when the app holds any one of these scopes. */
  scopes: readonly string[];
  handler: MethodHandler;
}

export type MethodTable = Record<string, MethodDefinition>;

export function method(scopes: string | readonly string[], handler: MethodHandler): MethodDefinition {
  return { scopes: typeof scopes === 'string' ? [scopes] : scopes, handler };
}

/** A list result as the host wraps it: `{result, total, next?}`. */
export function listResult(result: unknown, page: { total: number; next?: number }): MethodResult {
  return page.next === undefined ? { result, total: page.total } : { result, total: page.total, next: page.next };
}

export function intParam(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

export function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

export function yn(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  const s = String(v).toUpperCase();
  return s === 'Y' || s === '1' || s === 'TRUE';
}

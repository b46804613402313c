import type { Request, RequestHandler, Response } from 'express';
import { AmoSandboxNotFound } from './sandbox-crm.js';
import { AmoSandboxValidationError } from './sandbox-custom-fields.js';
import { problem, validationProblem } from './sandbox-hal.js';
import { AmoSandboxQuery } from './sandbox-query.js';
import type { AmoSandboxState } from './sandbox-state.js';

/** What every route handler gets: the caller (from the gate), the raw query, the account base URL. */
export interface RouteContext {
  userId: number;
  query: AmoSandboxQuery;
  baseUrl: string;
}

/** Maps the sandbox's own errors onto the host's answers: 400 validation-errors, 404 problem. */
export function route(baseUrl: () => string, handler: (req: Request, res: Response, ctx: RouteContext) => void): RequestHandler {
  return (req, res) => {
    try {
      handler(req, res, { userId: Number(res.locals.userId), query: AmoSandboxQuery.fromUrl(req.originalUrl), baseUrl: baseUrl() });
    } catch (err) {
      if (err instanceof AmoSandboxValidationError) validationProblem(res, [{ requestId: '0', errors: err.errors }]);
      else if (err instanceof AmoSandboxNotFound) problem(res, 404, 'Not Found', `Cannot ${req.method} ${baseUrl()}${req.path}`);
      else problem(res, 500, 'ErrInternalServer', err instanceof Error ? err.message : String(err), { trace_id: 'sandbox' });
    }
  };
}

/** A numeric path id, or null (the route answers 404 like the host does for unknown paths). */
export function pathId(req: Request, name = 'id'): number | null {
  const raw = req.params[name];
  return typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : null;
}

/** amoCRM refuses an empty write: 400 "Request data can not be empty" (docs/http-codes). */
export function requireBody(res: Response, body: unknown, asArray: boolean): boolean {
  const empty = body === undefined || body === null || (Array.isArray(body) && body.length === 0) || (typeof body === 'object' && Object.keys(body as object).length === 0);
  if (empty) {
    problem(res, 400, 'Bad Request', 'Request data can not be empty');
    return false;
  }
  if (asArray && !Array.isArray(body)) {
    validationProblem(res, [{ requestId: '0', errors: [{ code: 'InvalidType', path: '', detail: 'This value should be of type array.' }] }]);
    return false;
  }
  return true;
}

export function requireAdmin(state: AmoSandboxState, res: Response, userId: number): boolean {
  if (state.users.get(userId)?.is_admin) return true;
  problem(res, 403, 'Forbidden', 'Access denied');
  return false;
}

export function inRange(value: number, query: AmoSandboxQuery, key: string): boolean {
  const from = query.int(`${key}[from]`) ?? query.int(key);
  const to = query.int(`${key}[to]`);
  return (from === undefined || value >= from) && (to === undefined || value <= to);
}

import type { Response } from 'express';
import type { AmoSandboxQuery } from './sandbox-query.js';

// The wire conventions of API v4 (shared/protocols/amocrm.md §3, §7): HAL collections
// {_page, _links{self,next}, _embedded{<entity>:[…]}} as application/hal+json, an empty list as
// 204 with no body, errors as application/problem+json {title, type, status, detail}.

export interface PageRequest {
  page: number;
  limit: number;
}

/** `limit` over the documented maximum is refused the way docs/http-codes shows ("Limit 250 per page"). */
export function readPage(res: Response, query: AmoSandboxQuery, maxLimit: number, defaultLimit = 50): PageRequest | null {
  const limit = query.int('limit') ?? defaultLimit;
  const page = query.int('page') ?? 1;
  if (limit < 1 || limit > maxLimit) {
    problem(res, 422, 'Unprocessable Entity', `Limit ${maxLimit} per page`);
    return null;
  }
  if (page < 1) {
    problem(res, 400, 'Bad Request', 'Page must be greater than 0');
    return null;
  }
  return { page, limit };
}

export function sendCollection<T>(res: Response, options: { baseUrl: string; path: string; query: AmoSandboxQuery; key: string; items: T[]; page: PageRequest }): void {
  const { page, limit } = options.page;
  const slice = options.items.slice((page - 1) * limit, page * limit);
  if (slice.length === 0) {
    res.status(204).end();
    return;
  }
  const link = (p: number) => ({ href: `${options.baseUrl}${options.path}?${options.query.withPage(p)}` });
  const links: Record<string, { href: string }> = { self: link(page) };
  if (page * limit < options.items.length) links.next = link(page + 1);
  if (page > 1) links.prev = link(page - 1);
  hal(res, 200, { _page: page, _links: links, _embedded: { [options.key]: slice } });
}

export function hal(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/hal+json').send(JSON.stringify(body));
}

export function problem(res: Response, status: number, title: string, detail: string, extra: Record<string, unknown> = {}): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ title, type: `https://httpstatus.es/${status}`, status, detail, ...extra }));
}

export interface ValidationError {
  code: string;
  path: string;
  detail: string;
}

/** The 400 shape of docs/http-codes, one group per request item. */
export function validationProblem(res: Response, errors: { requestId: string; errors: ValidationError[] }[]): void {
  problem(res, 400, 'Bad Request', 'Request validation failed', {
    'validation-errors': errors.map((e) => ({ request_id: e.requestId, errors: e.errors })),
  });
}

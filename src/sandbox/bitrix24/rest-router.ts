// /rest/{method} and /rest/{method}.json, GET or POST. Parameters come from the query string and the body
// (JSON, or form-encoded with PHP bracket keys), merged as PHP's $_REQUEST merges them. Order of checks:
// auth (401 NO_AUTH_FOUND / expired_token) → leaky bucket (503 QUERY_LIMIT_EXCEEDED) → method (404) →
// scope (403) → the handler. Only authenticated requests reach the bucket: it is per portal, and an
// unauthenticated request names none.

import express from 'express';
import type { Request, Response, Router } from 'express';
import type { SandboxContext } from './sandbox-context.js';
import { executeMethod } from './method-registry.js';
import { parsePhpQuery } from './php-query.js';
import { RestError, systemErrors } from './rest-error.js';
import { timeBlock } from './wire-format.js';

export function rawQuery(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return q === -1 ? '' : req.originalUrl.slice(q + 1);
}

/** JSON or form bodies; anything else (multipart included) is refused rather than half-read. */
export function parseBody(req: Request): Record<string, unknown> {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (raw.trim() === '') return {};
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new RestError(400, 'ERROR_ARGUMENT', 'Request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new RestError(400, 'ERROR_ARGUMENT', 'Request body must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  if (type.includes('application/x-www-form-urlencoded') || type === '') return parsePhpQuery(raw);
  throw new RestError(400, 'ERROR_ARGUMENT', `Unsupported request body type: ${type}`);
}

function sendError(ctx: SandboxContext, res: Response, error: RestError): void {
  ctx.stats.error(error.code);
  res.status(error.status).json(error.toBody());
}

export function createRestRouter(ctx: SandboxContext): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '20mb' }));
  router.all('/{*path}', (req, res) => {
    const started = ctx.clock.now();
    ctx.stats.request();
    const outage = ctx.outage;
    if (outage) {
      ctx.stats.error(`outage:${outage.kind}`);
      if (outage.kind === 'http500') res.status(500).json({ error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });
      else if (outage.kind === 'http503') res.status(503).type('html').send('<html><body>503 Service Temporarily Unavailable</body></html>');
      else setTimeout(() => req.socket.destroy(), outage.hangMs);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).json({ error: 'ERROR_METHOD_NOT_ALLOWED', error_description: 'Only GET and POST are accepted' });
      return;
    }
    const segments = req.path.split('/').filter(Boolean);
    let name = (segments.length === 1 ? segments[0] : '').toLowerCase();
    if (name.endsWith('.json')) name = name.slice(0, -'.json'.length);
    try {
      const params: Record<string, unknown> = { ...parsePhpQuery(rawQuery(req)), ...parseBody(req) };
      const auth = typeof params.auth === 'string' ? params.auth : '';
      delete params.auth;
      // The official SDK tags every call with bx24_request_id / bx24_sdk_ver / bx24_sdk_type in the query;
      // the host ignores them, so they must not reach a handler (user.get would read them as a filter).
      for (const key of Object.keys(params)) if (key.startsWith('bx24_')) delete params[key];
      if (segments.length !== 1 || auth === '') throw systemErrors.noAuth();
      const check = ctx.lifecycle.installed ? ctx.tokens.authenticate(auth) : ({ ok: false, reason: 'unknown' } as const);
      if (!check.ok) throw check.reason === 'expired' ? systemErrors.expiredToken() : systemErrors.noAuth();
      if (!ctx.bucket.take()) {
        ctx.stats.rejectedCall(name);
        throw systemErrors.queryLimit();
      }
      const user = ctx.state.user(check.userId);
      if (!user) throw systemErrors.noAuth();
      const outcome = executeMethod(name, params, { params, user, ctx, inBatch: false });
      const body: Record<string, unknown> = { result: outcome.result };
      if (outcome.next !== undefined) body.next = outcome.next;
      if (outcome.total !== undefined) body.total = outcome.total;
      body.time = timeBlock(started, ctx.clock.now(), ctx.state.portal.timezoneOffsetMinutes, name !== 'batch');
      res.status(200).json(body);
    } catch (error) {
      if (error instanceof RestError) {
        sendError(ctx, res, error);
        return;
      }
      sendError(ctx, res, new RestError(500, 'INTERNAL_SERVER_ERROR', error instanceof Error ? error.message : String(error)));
    }
  });
  return router;
}

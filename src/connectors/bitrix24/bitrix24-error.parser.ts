import { HostApiError } from '../host-api-error.js';
import type { HostApiErrorCode } from '../host-api-error.js';

/**
 * What went wrong with one request, as seen on the wire: the host answered (HTTP status + body), or
 * it did not (a transport failure). `status: null` is a sub-command of a batch: the batch itself
 * answered 200 and the command's `{error, error_description}` sits in `result_error`
 * (settings/how-to-call-rest-api/batch.md).
 */
export type Bitrix24Failure =
  | {
      kind: 'answer';
      status: number | null;
      body: unknown;
      /** `time.operating_reset_at` of the last successful answer, used when the 429 body lacks one. */
      operatingResetAt?: unknown;
    }
  | { kind: 'transport'; code: string; message?: string };

// Codes from _includes/system-errors.md, settings/oauth/error-codes.md and the method pages.
// Codes compare case-sensitively on purpose: the portal's INVALID_REQUEST ("HTTPS required") is not
// the OAuth server's invalid_request.
const AUTH_EXPIRED = new Set(['expired_token', 'invalid_token']);
/** The portal (not one entity) refuses us until someone re-authorizes, pays or reinstalls. */
const AUTH_REVOKED = new Set([
  'NO_AUTH_FOUND',
  'invalid_grant',
  'invalid_client',
  'PAYMENT_REQUIRED',
  'insufficient_scope',
  'invalid_scope',
  'INVALID_CREDENTIALS',
  'user_access_error',
  'allowed_only_intranet_user',
  'PORTAL_DELETED',
]);
const NOT_FOUND = new Set(['NOT_FOUND', 'ERROR_NOT_FOUND', 'ERROR_ENTITY_NOT_FOUND', 'OWNER_NOT_FOUND', 'ERROR_TASK_NOT_FOUND']);
const TEMPORARY = new Set(['INTERNAL_SERVER_ERROR', 'ERROR_UNEXPECTED_ANSWER', 'OVERLOAD_LIMIT']);
/** Connection-phase failures: the request never reached the host, so even a create may repeat. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The one mapping from a Bitrix24 failure to HostApiError. Pure: `now` only turns
 * `operating_reset_at` into seconds to wait. Keys on both status and code, because legacy CRM
 * methods answer 400 with an empty (or "0") code and put the meaning in error_description
 * (protocol notes §5; crm-stage-history-list.md shows `"error": 0`).
 */
export function parseBitrix24Error(failure: Bitrix24Failure, now: Date): HostApiError {
  if (failure.kind === 'transport') {
    const text = `${failure.code}${failure.message ? `: ${failure.message}` : ''}`;
    if (NEVER_SENT.has(failure.code)) return new HostApiError('TEMPORARY', `could not reach the portal (${text})`, null, failure.code);
    // Timeout, reset, hang-up: the portal may have executed the request. A create must look before retrying.
    return new HostApiError('AMBIGUOUS', `no answer from the portal (${text})`, null, failure.code);
  }

  const { status } = failure;
  const body = readBody(failure.body);
  const code = body?.code ?? '';
  const description = body?.description ?? '';
  const message = `${code || 'error'}${description ? `: ${description}` : ''}${status !== null ? ` (HTTP ${status})` : ''}`;
  const error = (kind: HostApiErrorCode, retryAfterSec: number | null = null) =>
    new HostApiError(kind, message, status, code === '' ? null : code, retryAfterSec);

  // The leaky bucket: refused before anything ran (settings/performance/limits.md), whatever the
  // status (older docs said 429). A 503 without this code is not the bucket: OVERLOAD_LIMIT is a
  // manual block, and an HTML 503 comes from a proxy that may have passed the request on. (The SDK
  // counts every 503 as throttling: limiters/manager.ts. We do not.)
  if (code === 'QUERY_LIMIT_EXCEEDED') return error('RATE_LIMITED');
  if (code === 'OPERATION_TIME_LIMIT' || status === 429) {
    return error('RATE_LIMITED', secondsUntil(body?.operatingResetAt ?? failure.operatingResetAt, now));
  }
  if (AUTH_EXPIRED.has(code)) return error('AUTH_EXPIRED');
  if (AUTH_REVOKED.has(code)) return error('AUTH_REVOKED');
  // 403 ACCESS_DENIED is the plan ("REST API is available only on commercial plans"); the same code
  // with 400 is one item the token's user may not touch (crm-item-get.md), not a dead portal.
  if (code === 'ACCESS_DENIED') return error(status === 401 || status === 403 ? 'AUTH_REVOKED' : 'VALIDATION');
  if (NOT_FOUND.has(code) || (code === '' && describesMissingEntity(description))) return error('NOT_FOUND');
  if (TEMPORARY.has(code)) return error('TEMPORARY');
  // A 5xx that names a code was refused by the application; one without (a proxy page, an empty body)
  // may have come after the work was done.
  if (status !== null && status >= 500) return error(code === '' ? 'AMBIGUOUS' : 'TEMPORARY');
  if (status === 401) return error('AUTH_REVOKED');
  if ((status !== null && status >= 400) || code !== '') return error('VALIDATION');
  return error('UNKNOWN');
}

interface ErrorBody {
  code: string;
  description: string;
  operatingResetAt: unknown;
}

/** `{error, error_description}`, the v3 `{error: {code, message}}`, or a JSON string of either. */
function readBody(raw: unknown): ErrorBody | null {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const time = record.time as Record<string, unknown> | undefined;
  const operatingResetAt = time && typeof time === 'object' ? time.operating_reset_at : undefined;
  const error = record.error;
  if (error !== null && typeof error === 'object' && 'code' in error) {
    const nested = error as { code?: unknown; message?: unknown };
    return { code: normalizeCode(nested.code), description: String(nested.message ?? ''), operatingResetAt };
  }
  if (!('error' in record) && !('error_description' in record)) return null;
  return { code: normalizeCode(error), description: String(record.error_description ?? ''), operatingResetAt };
}

/** "" and "0" (or 0) both mean "no code, read the description". */
function normalizeCode(code: unknown): string {
  if (code === null || code === undefined) return '';
  const text = String(code).trim();
  return text === '0' ? '' : text;
}

/**
 * Legacy answers such as "Not found", "Activity is not found", "Element not found." mean the entity
 * is gone; "The 'FIELD_NAME' field is not found." or "Method not found" mean our request was wrong.
 */
function describesMissingEntity(description: string): boolean {
  return /\bnot found\b/i.test(description) && !/\b(field|method|parameter|argument|scope)\b/i.test(description);
}

/** `operating_reset_at` is documented as unix seconds but one doc example shows an ISO string: read both. */
function secondsUntil(value: unknown, now: Date): number | null {
  let at: number | null = null;
  if (typeof value === 'number' && Number.isFinite(value)) at = value * 1000;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) at = Number(value) * 1000;
  else if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Date.parse(value))) at = Date.parse(value);
  if (at === null) return null;
  return Math.max(1, Math.ceil((at - now.getTime()) / 1000));
}

import { HostApiError } from '../host-api-error.js';

// Bitrix24 errors: `{error, error_description}` with a 4xx/5xx status (_includes/system-errors.md).
// Many legacy CRM methods answer 400 with an empty `error` and the meaning only in the description,
// so both the code and the status are read, never one alone.

const AUTH_REVOKED = new Set(['NO_AUTH_FOUND', 'invalid_grant', 'invalid_client', 'PAYMENT_REQUIRED', 'ACCESS_DENIED', 'user_access_error', 'PORTAL_DELETED', 'INVALID_CREDENTIALS', 'insufficient_scope', 'WRONG_AUTH_TYPE']);
const NOT_FOUND = new Set(['NOT_FOUND', 'ERROR_ENTITY_NOT_FOUND', 'ERROR_NOT_FOUND', 'OWNER_NOT_FOUND']);
const TEMPORARY = new Set(['INTERNAL_SERVER_ERROR', 'ERROR_UNEXPECTED_ANSWER', 'OVERLOAD_LIMIT']);

export interface Bitrix24ErrorInput {
  status: number | null;
  code: string | null;
  description: string | null;
  /** A transport failure (timeout, reset, refused) rather than an answer. */
  transport?: boolean;
  /** Unix seconds from the `time` block, when the answer had one. */
  operatingResetAt?: unknown;
  now?: Date;
}

export function parseBitrix24Error(e: Bitrix24ErrorInput): HostApiError {
  const code = e.code ?? '';
  const desc = e.description ?? '';
  const status = e.status;
  const message = `${code || 'error'}${desc ? `: ${desc}` : ''}${status ? ` (HTTP ${status})` : ''}`;
  if (e.transport) return new HostApiError('AMBIGUOUS', `transport failure: ${desc || code}`, status, code || null);
  if (code === 'QUERY_LIMIT_EXCEEDED' || (status === 503 && code === '')) return new HostApiError('RATE_LIMITED', message, status, code, 1);
  if (code === 'OPERATION_TIME_LIMIT' || status === 429) {
    return new HostApiError('RATE_LIMITED', message, status, code, secondsUntil(e.operatingResetAt, e.now ?? new Date()) ?? 10);
  }
  if (code === 'expired_token' || code === 'invalid_token') return new HostApiError('AUTH_EXPIRED', message, status, code);
  if (AUTH_REVOKED.has(code)) return new HostApiError('AUTH_REVOKED', message, status, code);
  if (NOT_FOUND.has(code) || /not found/i.test(desc)) return new HostApiError('NOT_FOUND', message, status, code);
  if (TEMPORARY.has(code) || (status !== null && status >= 500)) return new HostApiError('TEMPORARY', message, status, code);
  if (status === 401) return new HostApiError('AUTH_REVOKED', message, status, code);
  if (status !== null && status >= 400) return new HostApiError('VALIDATION', message, status, code);
  return new HostApiError('UNKNOWN', message, status, code || null);
}

/** `operating_reset_at` is documented as unix seconds, once shown as an ISO string: read both. */
function secondsUntil(value: unknown, now: Date): number | null {
  let at: number | null = null;
  if (typeof value === 'number' && Number.isFinite(value)) at = value * 1000;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) at = Number(value) * 1000;
  else if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) at = Date.parse(value);
  if (at === null) return null;
  return Math.max(1, Math.ceil((at - now.getTime()) / 1000));
}

import { HostApiError } from '../host-api-error.js';

// One pure mapping from what amoCRM answered (or failed to answer) to our HostApiError codes.
// amoCRM errors are application/problem+json: {title, type, status, detail, validation-errors}
// (developers.kommo.com/docs/http-codes); the token endpoint adds `hint`; a 429 may carry
// `retry_after`; an account or IP block is often a plain nginx HTML 403 (shared/protocols/amocrm.md §4, §7).

export interface AmoErrorInput {
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** Parsed JSON body, a raw string (HTML), or nothing. */
  body?: unknown;
  headers?: Record<string, unknown>;
  /** Set when the request failed below HTTP (axios/Node error code and message). */
  transportError?: { code?: string | null; message?: string | null } | null;
  /** `oauth` for /oauth2/access_token: a refused grant there means the user must authorize again. */
  endpoint?: 'api' | 'oauth';
  /** For a Retry-After given as an HTTP date. */
  now?: Date;
}

/** Long enough for a human to reach amoCRM support: the block is lifted only through them (§4). */
export const AMO_BLOCKED_RETRY_AFTER_SEC = 6 * 3600;

/** Below HTTP, these mean the request never reached amoCRM, so repeating it cannot duplicate anything. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

interface Problem {
  title?: string;
  detail?: string;
  hint?: string;
  type?: string;
  retryAfter?: number;
  validation: { code: string; path: string; detail: string }[];
}

export function parseAmoError(input: AmoErrorInput): HostApiError {
  const { status } = input;
  if (status === null) {
    const code = input.transportError?.code ?? null;
    const message = `amoCRM request failed: ${code ?? 'no response'}${input.transportError?.message ? ` (${clip(input.transportError.message)})` : ''}`;
    return new HostApiError(code !== null && NOT_SENT_CODES.has(code) ? 'TEMPORARY' : 'AMBIGUOUS', message, null, code);
  }

  const problem = readProblem(input.body);
  const text = describe(status, problem);

  if (input.endpoint === 'oauth' && (status === 400 || status === 401 || status === 403)) {
    // "Authorization code has expired", "Invalid refresh token", "…has been revoked": only a new
    // authorization helps (§1, OAuth error shape).
    return new HostApiError('AUTH_REVOKED', text, status, 'INVALID_GRANT');
  }
  if (status === 429) {
    return new HostApiError('RATE_LIMITED', text, status, 'TOO_MANY_REQUESTS', retryAfter(input) ?? problem?.retryAfter ?? null);
  }
  if (status === 401) return new HostApiError('AUTH_EXPIRED', text, status, 'UNAUTHORIZED');
  if (status === 402) {
    // The account's paid period ended: nothing works until the customer pays (docs/http-codes).
    return new HostApiError('AUTH_REVOKED', text, status, 'PAYMENT_REQUIRED');
  }
  if (status === 403) {
    // A block (after repeated 429s) answers every request with 403, in practice an HTML page; a
    // JSON 403 is a missing right for one method (e.g. /users as a non-admin). The docs give no
    // machine-readable way to tell them apart, so: not problem+json, or words of blocking → block.
    const blocked = problem === null || /block|заблок/i.test(`${problem.title ?? ''} ${problem.detail ?? ''}`);
    return blocked
      ? new HostApiError('AUTH_REVOKED', text, status, 'ACCOUNT_BLOCKED', AMO_BLOCKED_RETRY_AFTER_SEC)
      : new HostApiError('VALIDATION', text, status, 'FORBIDDEN');
  }
  // 204 where an entity was expected: amoCRM answers "nothing" with an empty body (§3 conventions).
  if (status === 404 || status === 204) return new HostApiError('NOT_FOUND', text, status, 'NOT_FOUND');
  if (status === 400 || status === 422 || status === 405) {
    return new HostApiError('VALIDATION', text, status, problem?.validation[0]?.code ?? (status === 422 ? 'UNPROCESSABLE' : 'BAD_REQUEST'));
  }
  if (status >= 500) return new HostApiError('TEMPORARY', text, status, `HTTP_${status}`);
  return new HostApiError('UNKNOWN', text, status, `HTTP_${status}`);
}

function readProblem(body: unknown): Problem | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const validation: Problem['validation'] = [];
  const groups = b['validation-errors'];
  if (Array.isArray(groups)) {
    for (const group of groups) {
      const errors = (group as { errors?: unknown })?.errors;
      if (!Array.isArray(errors)) continue;
      for (const e of errors as Record<string, unknown>[]) {
        validation.push({ code: str(e?.code) ?? 'Invalid', path: str(e?.path) ?? '', detail: str(e?.detail) ?? '' });
      }
    }
  }
  const ra = b.retry_after;
  const retryAfterValue = typeof ra === 'number' ? ra : typeof ra === 'string' && /^\d+$/.test(ra) ? Number(ra) : undefined;
  return {
    title: str(b.title),
    detail: str(b.detail),
    hint: str(b.hint),
    type: str(b.type),
    retryAfter: retryAfterValue,
    validation,
  };
}

function describe(status: number, problem: Problem | null): string {
  if (problem === null) return `amoCRM answered HTTP ${status}`;
  const parts = [problem.title, problem.detail, problem.hint].filter((p): p is string => Boolean(p));
  const fields = problem.validation.map((v) => `${v.path || '?'}: ${v.code}${v.detail ? ` (${v.detail})` : ''}`);
  return clip(`amoCRM answered HTTP ${status}${parts.length ? `: ${parts.join(' — ')}` : ''}${fields.length ? `; ${fields.join('; ')}` : ''}`);
}

function retryAfter(input: AmoErrorInput): number | undefined {
  const raw = header(input.headers, 'retry-after');
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - (input.now ?? new Date()).getTime()) / 1000));
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined || first === null ? undefined : String(first).trim();
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function clip(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

import { HostApiError } from '../host-api-error.js';
import type { Bitrix24Failure } from './bitrix24-error.parser.js';

/**
 * What the SDK threw or returned, back to the wire facts our parser reads. The SDK's own AjaxError
 * is not enough: for a legacy `{"error":"","error_description":"Not found"}` it reports the axios
 * code ERR_BAD_REQUEST and "Request failed with status code 400" (its parseErrorPayload skips an
 * empty code), so the raw response is taken from `originalError` whenever there is one.
 */
export type SdkFailure =
  | { kind: 'host'; failure: Bitrix24Failure }
  /** Already decided (our token refresh threw it inside the SDK). */
  | { kind: 'decided'; error: HostApiError }
  /** Not the host's doing (the rate budget's database, a bug): rethrown untouched. */
  | { kind: 'internal'; error: unknown };

interface AxiosLike {
  isAxiosError: true;
  code?: string;
  message: string;
  response?: { status: number; data: unknown };
}

interface SdkErrorLike {
  code: string;
  message: string;
  status?: number;
  originalError?: unknown;
}

export function sdkFailure(raw: unknown, opts: { batchCommand?: boolean } = {}): SdkFailure {
  if (raw instanceof HostApiError) return { kind: 'decided', error: raw };
  if (isAxiosLike(raw)) return fromAxios(raw);
  if (!isSdkErrorLike(raw)) return { kind: 'internal', error: raw };

  const original = raw.originalError;
  if (original instanceof HostApiError) return { kind: 'decided', error: original };
  if (isAxiosLike(original)) return fromAxios(original);
  if (original instanceof Error) return { kind: 'internal', error: original };
  // The SDK's own complaints (a batch answer it could not line up with the commands, a bad argument):
  // not the host's words, and possibly after the host did the work.
  if (raw.code.startsWith('JSSDK_')) return { kind: 'decided', error: new HostApiError('UNKNOWN', `SDK: ${raw.message}`, null, raw.code) };
  // The SDK's names for transport failures without an axios error attached (http/abstract-http.ts).
  if (raw.code === 'REQUEST_TIMEOUT' || raw.code === 'NETWORK_ERROR') {
    return { kind: 'host', failure: { kind: 'transport', code: raw.code, message: raw.message } };
  }
  // An error the host put in a 200 answer (placement.bind does: widgets/placement-bind.md), or one
  // batch command's entry in result_error.
  const status = opts.batchCommand ? null : typeof raw.status === 'number' && raw.status > 0 ? raw.status : null;
  return { kind: 'host', failure: { kind: 'answer', status, body: { error: raw.code, error_description: raw.message } } };
}

/** Axios codes for a request cut short; with them any `response` is only headers, not an answer. */
const CUT_SHORT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ERR_CANCELED']);

function fromAxios(error: AxiosLike): SdkFailure {
  const code = error.code ?? 'ERR_NETWORK';
  // A 2xx/3xx "response" on an error means the body stream broke off (a timeout while reading it:
  // axios reports ERR_BAD_RESPONSE "stream has been aborted"): the work may be done, the answer is lost.
  const cutShort = CUT_SHORT.has(code) || (error.response !== undefined && error.response.status < 400);
  if (error.response && !cutShort) {
    return { kind: 'host', failure: { kind: 'answer', status: error.response.status, body: error.response.data } };
  }
  return { kind: 'host', failure: { kind: 'transport', code, message: error.message } };
}

function isAxiosLike(value: unknown): value is AxiosLike {
  return value !== null && typeof value === 'object' && (value as { isAxiosError?: unknown }).isAxiosError === true;
}

function isSdkErrorLike(value: unknown): value is SdkErrorLike {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string';
}

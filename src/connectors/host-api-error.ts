export type HostApiErrorCode =
  | 'RATE_LIMITED'
  | 'TEMPORARY'
  | 'AUTH_EXPIRED'
  | 'AUTH_REVOKED'
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'AMBIGUOUS'
  | 'UNKNOWN';

/**
 * The one error type connectors throw. `AMBIGUOUS` means the request may or may not have taken
 * effect (timeout, connection reset, 5xx without a code): a create must not be retried blindly.
 */
export class HostApiError extends Error {
  constructor(
    readonly code: HostApiErrorCode,
    message: string,
    readonly status: number | null = null,
    readonly hostCode: string | null = null,
    /** Seconds the host asked us to wait, when it said. */
    readonly retryAfterSec: number | null = null,
  ) {
    super(message);
    this.name = 'HostApiError';
  }
}

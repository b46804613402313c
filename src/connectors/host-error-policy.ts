import type { PortalStatus } from '../portals/portal.js';
import { HostApiError, type HostApiErrorCode } from './host-api-error.js';

/**
 * The one place that decides what a host error means for a job. Throttling and transient trouble
 * go back to the queue (its backoff schedule); a revoked authorization pauses the whole portal
 * instead of retrying into a wall; a missing entity or a rejected value will not improve on retry.
 */
export type HostErrorDecision = 'retry' | 'pause_portal' | 'skip' | 'fail';

const POLICY: Record<HostApiErrorCode, HostErrorDecision> = {
  RATE_LIMITED: 'retry',
  TEMPORARY: 'retry',
  AMBIGUOUS: 'retry',
  AUTH_EXPIRED: 'retry',
  AUTH_REVOKED: 'pause_portal',
  NOT_FOUND: 'skip',
  VALIDATION: 'fail',
  UNKNOWN: 'retry',
};

export function decideOnHostError(err: unknown): HostErrorDecision {
  if (err instanceof HostApiError) return POLICY[err.code];
  return 'retry';
}

/**
 * Host codes that pause a portal for a reason a new authorization cannot fix: amoCRM answers 403
 * on every request once it blocks an account for too many 429s (lifted only by its support), and
 * 402 once the account's paid period ends (docs/http-codes). Such a portal is 'blocked', not
 * 'needs_reauth', so nobody asks its admin to install again for nothing.
 */
const BLOCKING_HOST_CODES = new Set(['ACCOUNT_BLOCKED', 'PAYMENT_REQUIRED']);

/** The status a 'pause_portal' decision puts the portal in. */
export function pausedStatusFor(err: unknown): Extract<PortalStatus, 'needs_reauth' | 'blocked'> {
  return err instanceof HostApiError && err.hostCode !== null && BLOCKING_HOST_CODES.has(err.hostCode) ? 'blocked' : 'needs_reauth';
}

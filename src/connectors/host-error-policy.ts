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

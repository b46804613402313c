import type { HostApiError } from '../host-api-error.js';

/**
 * How the client answers a failed request, as data. Anything not retried here is thrown as a
 * HostApiError and the queue decides (its own retry limits, backoff and dead-letter queue).
 */
export interface Bitrix24RetryPolicy {
  /**
   * QUERY_LIMIT_EXCEEDED (503): the host refused before running anything (limits.md), so reads and
   * creates alike are repeated. The docs ask for "an increasing delay".
   */
  rateLimited: { maxRetries: number; baseDelayMs: number; factor: number; maxDelayMs: number };
  /**
   * OPERATION_TIME_LIMIT (429): that one method is blocked for this app until `operating_reset_at`.
   * Waits up to `maxInlineWaitSec` in place; a longer block goes back to the queue with
   * retryAfterSec, so a worker is not held for minutes. `defaultWaitSec` when the host named no time
   * (the SDK waits at least 10 s too: limiters/manager.ts).
   */
  operatingLimit: { maxRetries: number; maxInlineWaitSec: number; defaultWaitSec: number };
  /** TEMPORARY / AMBIGUOUS on reads and idempotent writes; a create is never repeated blindly. */
  transient: { maxRetries: number; delayMs: number };
}

export const DEFAULT_BITRIX24_RETRY_POLICY: Bitrix24RetryPolicy = {
  rateLimited: { maxRetries: 6, baseDelayMs: 1_000, factor: 2, maxDelayMs: 30_000 },
  operatingLimit: { maxRetries: 2, maxInlineWaitSec: 60, defaultWaitSec: 10 },
  transient: { maxRetries: 2, delayMs: 500 },
};

export type RetryDecision =
  | { retry: false }
  /** `blockPortal`: the whole portal's budget is exhausted, not just this call's method. */
  | { retry: true; waitMs: number; blockPortal: boolean };

export interface RetryContext {
  /** Retries already made for this request. */
  attempt: number;
  /** The request creates something (tasks.task.add, crm.timeline.comment.add): never repeated after an ambiguous failure. */
  create: boolean;
}

/** Pure: what to do after `error` on the `attempt`-th retry. */
export function decideBitrix24Retry(policy: Bitrix24RetryPolicy, error: HostApiError, ctx: RetryContext): RetryDecision {
  if (error.code === 'RATE_LIMITED' && error.hostCode === 'OPERATION_TIME_LIMIT') return operatingLimit(policy, error, ctx);
  if (error.code === 'RATE_LIMITED' && error.status === 429) return operatingLimit(policy, error, ctx);
  if (error.code === 'RATE_LIMITED') {
    const p = policy.rateLimited;
    if (ctx.attempt >= p.maxRetries) return { retry: false };
    const waitMs = Math.min(p.maxDelayMs, p.baseDelayMs * p.factor ** ctx.attempt);
    return { retry: true, waitMs, blockPortal: true };
  }
  if ((error.code === 'TEMPORARY' || error.code === 'AMBIGUOUS') && !ctx.create) {
    if (ctx.attempt >= policy.transient.maxRetries) return { retry: false };
    return { retry: true, waitMs: policy.transient.delayMs * (ctx.attempt + 1), blockPortal: false };
  }
  return { retry: false };
}

function operatingLimit(policy: Bitrix24RetryPolicy, error: HostApiError, ctx: RetryContext): RetryDecision {
  const p = policy.operatingLimit;
  const waitSec = error.retryAfterSec ?? p.defaultWaitSec;
  if (ctx.attempt >= p.maxRetries || waitSec > p.maxInlineWaitSec) return { retry: false };
  return { retry: true, waitMs: waitSec * 1000, blockPortal: false };
}

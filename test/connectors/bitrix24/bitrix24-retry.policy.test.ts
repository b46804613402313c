import { DEFAULT_BITRIX24_RETRY_POLICY, decideBitrix24Retry } from '../../../src/connectors/bitrix24/bitrix24-retry.policy.js';
import type { RetryDecision } from '../../../src/connectors/bitrix24/bitrix24-retry.policy.js';
import { HostApiError } from '../../../src/connectors/host-api-error.js';
import type { HostApiErrorCode } from '../../../src/connectors/host-api-error.js';

const P = DEFAULT_BITRIX24_RETRY_POLICY;
const e = (code: HostApiErrorCode, status: number | null = null, hostCode: string | null = null, retryAfterSec: number | null = null) =>
  new HostApiError(code, code, status, hostCode, retryAfterSec);
const QLE = e('RATE_LIMITED', 503, 'QUERY_LIMIT_EXCEEDED');
const OTL = (after: number | null) => e('RATE_LIMITED', 429, 'OPERATION_TIME_LIMIT', after);

describe('decideBitrix24Retry', () => {
  it.each<[string, HostApiError, number, boolean, RetryDecision]>([
    ['throttled read, first retry', QLE, 0, false, { retry: true, waitMs: 1000, blockPortal: true }],
    ['throttled create: the host ran nothing', QLE, 0, true, { retry: true, waitMs: 1000, blockPortal: true }],
    ['throttled, backoff grows', QLE, 3, false, { retry: true, waitMs: 8000, blockPortal: true }],
    ['throttled, capped', QLE, 5, false, { retry: true, waitMs: 30_000, blockPortal: true }],
    ['throttled, gives up', QLE, 6, false, { retry: false }],
    ['operating limit: waits until reset, this method only', OTL(20), 0, true, { retry: true, waitMs: 20_000, blockPortal: false }],
    ['operating limit without a time: default wait', OTL(null), 0, false, { retry: true, waitMs: 10_000, blockPortal: false }],
    ['operating limit too far away: back to the queue', OTL(400), 0, false, { retry: false }],
    ['operating limit, gives up', OTL(5), 2, false, { retry: false }],
    ['temporary read', e('TEMPORARY', 500, 'INTERNAL_SERVER_ERROR'), 0, false, { retry: true, waitMs: 500, blockPortal: false }],
    ['ambiguous read', e('AMBIGUOUS', null, 'ECONNRESET'), 1, false, { retry: true, waitMs: 1000, blockPortal: false }],
    ['ambiguous read, gives up', e('AMBIGUOUS', null, 'ECONNRESET'), 2, false, { retry: false }],
    ['ambiguous create: never blindly', e('AMBIGUOUS', null, 'ECONNABORTED'), 0, true, { retry: false }],
    ['temporary create: the queue decides after a marker lookup', e('TEMPORARY', 500, 'INTERNAL_SERVER_ERROR'), 0, true, { retry: false }],
    ['expired token: the SDK already refreshed once', e('AUTH_EXPIRED', 401, 'expired_token'), 0, false, { retry: false }],
    ['revoked', e('AUTH_REVOKED', 400, 'invalid_grant'), 0, false, { retry: false }],
    ['not found', e('NOT_FOUND', 400, 'NOT_FOUND'), 0, false, { retry: false }],
    ['validation', e('VALIDATION', 400, 'ERROR_CORE'), 0, false, { retry: false }],
  ])('%s', (_name, error, attempt, create, expected) => {
    expect(decideBitrix24Retry(P, error, { attempt, create })).toEqual(expected);
  });
});

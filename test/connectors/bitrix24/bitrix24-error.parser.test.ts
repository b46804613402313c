import { parseBitrix24Error } from '../../../src/connectors/bitrix24/bitrix24-error.parser.js';
import type { Bitrix24Failure } from '../../../src/connectors/bitrix24/bitrix24-error.parser.js';
import type { HostApiErrorCode } from '../../../src/connectors/host-api-error.js';

const NOW = new Date('2025-09-09T13:31:12Z');
const nowSec = NOW.getTime() / 1000;
const answer = (status: number | null, body: unknown): Bitrix24Failure => ({ kind: 'answer', status, body });
const err = (error: unknown, description = '') => ({ error, error_description: description });

describe('parseBitrix24Error', () => {
  it.each<[string, Bitrix24Failure, HostApiErrorCode, string | null]>([
    // Throttling (settings/performance/limits.md, _includes/system-errors.md)
    ['503 QUERY_LIMIT_EXCEEDED', answer(503, err('QUERY_LIMIT_EXCEEDED', 'Too many requests')), 'RATE_LIMITED', 'QUERY_LIMIT_EXCEEDED'],
    ['QUERY_LIMIT_EXCEEDED under the old 429', answer(429, err('QUERY_LIMIT_EXCEEDED', 'Too many requests')), 'RATE_LIMITED', 'QUERY_LIMIT_EXCEEDED'],
    ['503 HTML page from a proxy', answer(503, '<html><body>503 Service Temporarily Unavailable</body></html>'), 'AMBIGUOUS', null],
    ['QUERY_LIMIT_EXCEEDED inside a batch', answer(null, err('QUERY_LIMIT_EXCEEDED')), 'RATE_LIMITED', 'QUERY_LIMIT_EXCEEDED'],
    ['429 OPERATION_TIME_LIMIT', answer(429, err('OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.')), 'RATE_LIMITED', 'OPERATION_TIME_LIMIT'],
    ['503 OVERLOAD_LIMIT', answer(503, err('OVERLOAD_LIMIT', 'REST API is blocked due to overload.')), 'TEMPORARY', 'OVERLOAD_LIMIT'],
    // Auth (_includes/system-errors.md, settings/oauth/error-codes.md)
    ['401 expired_token', answer(401, err('expired_token', 'The access token provided has expired.')), 'AUTH_EXPIRED', 'expired_token'],
    ['401 invalid_token', answer(401, err('invalid_token', 'The access token provided is invalid.')), 'AUTH_EXPIRED', 'invalid_token'],
    ['401 NO_AUTH_FOUND', answer(401, err('NO_AUTH_FOUND', 'Wrong authorization data')), 'AUTH_REVOKED', 'NO_AUTH_FOUND'],
    ['400 invalid_grant', answer(400, err('invalid_grant', 'Invalid grant')), 'AUTH_REVOKED', 'invalid_grant'],
    ['401 invalid_client', answer(401, err('invalid_client', 'Invalid client')), 'AUTH_REVOKED', 'invalid_client'],
    ['PAYMENT_REQUIRED', answer(402, err('PAYMENT_REQUIRED', 'Payment required')), 'AUTH_REVOKED', 'PAYMENT_REQUIRED'],
    ['403 insufficient_scope', answer(403, err('insufficient_scope', 'The request requires higher privileges')), 'AUTH_REVOKED', 'insufficient_scope'],
    ['403 user_access_error', answer(403, err('user_access_error', 'The user does not have access to the application.')), 'AUTH_REVOKED', 'user_access_error'],
    ['403 ACCESS_DENIED (plan)', answer(403, err('ACCESS_DENIED', 'REST API is available only on commercial plans.')), 'AUTH_REVOKED', 'ACCESS_DENIED'],
    ['400 ACCESS_DENIED (one item)', answer(400, err('ACCESS_DENIED', 'You do not have permission to view this item')), 'VALIDATION', 'ACCESS_DENIED'],
    ['403 INVALID_CREDENTIALS', answer(403, err('INVALID_CREDENTIALS', 'Invalid request credentials')), 'AUTH_REVOKED', 'INVALID_CREDENTIALS'],
    ['500 PORTAL_DELETED', answer(500, err('PORTAL_DELETED', 'Portal was deleted')), 'AUTH_REVOKED', 'PORTAL_DELETED'],
    ['401 without a code', answer(401, ''), 'AUTH_REVOKED', null],
    // Not found
    ['400 NOT_FOUND (crm.item.get)', answer(400, err('NOT_FOUND', 'Element not found')), 'NOT_FOUND', 'NOT_FOUND'],
    ['ERROR_ENTITY_NOT_FOUND', answer(400, err('ERROR_ENTITY_NOT_FOUND', 'Entity not found')), 'NOT_FOUND', 'ERROR_ENTITY_NOT_FOUND'],
    ['OWNER_NOT_FOUND (timeline comment)', answer(400, err('OWNER_NOT_FOUND', 'Owner of the item not found')), 'NOT_FOUND', 'OWNER_NOT_FOUND'],
    ['legacy empty code "Not found"', answer(400, err('', 'Not found')), 'NOT_FOUND', null],
    ['legacy "Activity is not found"', answer(400, err('', 'Activity is not found')), 'NOT_FOUND', null],
    ['legacy code 0 (crm.stagehistory.list)', answer(400, err(0, 'Element not found.')), 'NOT_FOUND', null],
    ['NOT_FOUND inside a batch', answer(null, err('NOT_FOUND', 'Element not found')), 'NOT_FOUND', 'NOT_FOUND'],
    ['a missing field is our mistake', answer(400, err('', "The 'FIELD_NAME' field is not found.")), 'VALIDATION', null],
    ['a missing method is our mistake', answer(404, err('ERROR_METHOD_NOT_FOUND', 'Method not found!')), 'VALIDATION', 'ERROR_METHOD_NOT_FOUND'],
    // Validation
    ['legacy "Access denied"', answer(400, err('', 'Access denied.')), 'VALIDATION', null],
    ['filter must be array', answer(400, err('', "Parameter 'filter' must be array.")), 'VALIDATION', null],
    ['ERROR_CORE (tasks.task.add)', answer(400, err('ERROR_CORE', 'Responsible person not specified')), 'VALIDATION', 'ERROR_CORE'],
    ['INVALID_ARG_VALUE', answer(400, err('INVALID_ARG_VALUE', 'Empty comment')), 'VALIDATION', 'INVALID_ARG_VALUE'],
    ['INVALID_REQUEST: https required', answer(400, err('INVALID_REQUEST', 'Https required.')), 'VALIDATION', 'INVALID_REQUEST'],
    ['405 ERROR_BATCH_METHOD_NOT_ALLOWED', answer(405, err('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage')), 'VALIDATION', 'ERROR_BATCH_METHOD_NOT_ALLOWED'],
    ['ERROR_BATCH_LENGTH_EXCEEDED', answer(400, err('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded')), 'VALIDATION', 'ERROR_BATCH_LENGTH_EXCEEDED'],
    ['placement.bind error in a 200 answer', answer(200, err('ERROR_ARGUMENT', "Argument 'PLACEMENT' is null or empty")), 'VALIDATION', 'ERROR_ARGUMENT'],
    ['WRONG_AUTH_TYPE', answer(403, err('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method')), 'VALIDATION', 'WRONG_AUTH_TYPE'],
    ['v3 error object', answer(400, { error: { code: 'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION', message: 'bad' } }), 'VALIDATION', 'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION'],
    // Server side
    ['500 INTERNAL_SERVER_ERROR', answer(500, err('INTERNAL_SERVER_ERROR', 'Internal server error')), 'TEMPORARY', 'INTERNAL_SERVER_ERROR'],
    ['500 ERROR_UNEXPECTED_ANSWER', answer(500, err('ERROR_UNEXPECTED_ANSWER', 'Server returned an unexpected response.')), 'TEMPORARY', 'ERROR_UNEXPECTED_ANSWER'],
    ['502 with some code', answer(502, err('SOMETHING', 'x')), 'TEMPORARY', 'SOMETHING'],
    ['502 HTML page', answer(502, '<html>Bad Gateway</html>'), 'AMBIGUOUS', null],
    ['500 empty body', answer(500, ''), 'AMBIGUOUS', null],
    ['504 JSON string without error', answer(504, '{"result":null}'), 'AMBIGUOUS', null],
    ['JSON body given as a string', answer(400, '{"error":"NOT_FOUND","error_description":"x"}'), 'NOT_FOUND', 'NOT_FOUND'],
    // Transport
    ['timeout (axios ECONNABORTED)', { kind: 'transport', code: 'ECONNABORTED', message: 'timeout of 65000ms exceeded' }, 'AMBIGUOUS', 'ECONNABORTED'],
    ['timeout (ETIMEDOUT)', { kind: 'transport', code: 'ETIMEDOUT' }, 'AMBIGUOUS', 'ETIMEDOUT'],
    ['connection reset', { kind: 'transport', code: 'ECONNRESET', message: 'socket hang up' }, 'AMBIGUOUS', 'ECONNRESET'],
    ['SDK REQUEST_TIMEOUT', { kind: 'transport', code: 'REQUEST_TIMEOUT' }, 'AMBIGUOUS', 'REQUEST_TIMEOUT'],
    ['connection refused: never sent', { kind: 'transport', code: 'ECONNREFUSED' }, 'TEMPORARY', 'ECONNREFUSED'],
    ['DNS failure: never sent', { kind: 'transport', code: 'ENOTFOUND' }, 'TEMPORARY', 'ENOTFOUND'],
    // Oddities
    ['200 without error', answer(200, { result: true }), 'UNKNOWN', null],
  ])('%s', (_name, failure, code, hostCode) => {
    const error = parseBitrix24Error(failure, NOW);
    expect(error.code).toBe(code);
    expect(error.hostCode).toBe(hostCode);
    if (failure.kind === 'answer') expect(error.status).toBe(failure.status);
  });

  it.each<[string, unknown, unknown, number | null]>([
    ['unix seconds in the body', nowSec + 120, undefined, 120],
    ['fractional seconds as a string', String(nowSec + 30.2), undefined, 31],
    ['an ISO string (one doc example shows it so)', new Date(NOW.getTime() + 45_000).toISOString(), undefined, 45],
    ['ISO with an offset', '2025-09-09T16:32:12+03:00', undefined, 60],
    ['already past: at least one second', nowSec - 100, undefined, 1],
    ['absent: from the last successful answer', undefined, nowSec + 300, 300],
    ['garbage', 'soon', undefined, null],
    ['absent everywhere', undefined, undefined, null],
  ])('OPERATION_TIME_LIMIT retryAfterSec: %s', (_name, inBody, fromLastAnswer, expected) => {
    const body = { ...err('OPERATION_TIME_LIMIT', 'blocked'), ...(inBody === undefined ? {} : { time: { operating_reset_at: inBody } }) };
    const error = parseBitrix24Error({ kind: 'answer', status: 429, body, operatingResetAt: fromLastAnswer }, NOW);
    expect(error.retryAfterSec).toBe(expected);
  });

  it('keeps the description in the message', () => {
    expect(parseBitrix24Error(answer(400, err('', 'Not found')), NOW).message).toBe('error: Not found (HTTP 400)');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AMO_BLOCKED_RETRY_AFTER_SEC, parseAmoError, type AmoErrorInput } from '../../src/connectors/amocrm/amocrm-error.parser.js';
import { HostApiError } from '../../src/connectors/host-api-error.js';

const DIR = join(process.cwd(), 'test/amocrm/fixtures/errors');
const json = (name: string): unknown => JSON.parse(readFileSync(join(DIR, name), 'utf8'));
const html = readFileSync(join(DIR, 'blocked-403.html'), 'utf8');
const NOW = new Date('2026-01-12T09:00:00Z');

describe('parseAmoError', () => {
  it.each<[string, AmoErrorInput, { code: string; hostCode: string | null; retryAfterSec?: number | null; status?: number | null }]>([
    ['429 with body retry_after', { status: 429, body: json('too-many-requests-429.json') }, { code: 'RATE_LIMITED', hostCode: 'TOO_MANY_REQUESTS', retryAfterSec: 300 }],
    ['429 Retry-After header wins', { status: 429, body: json('too-many-requests-429.json'), headers: { 'Retry-After': '2' } }, { code: 'RATE_LIMITED', hostCode: 'TOO_MANY_REQUESTS', retryAfterSec: 2 }],
    ['429 Retry-After as a date', { status: 429, body: '', headers: { 'retry-after': 'Mon, 12 Jan 2026 09:00:30 GMT' }, now: NOW }, { code: 'RATE_LIMITED', hostCode: 'TOO_MANY_REQUESTS', retryAfterSec: 30 }],
    ['429 not JSON, no hint', { status: 429, body: 'Too Many Requests' }, { code: 'RATE_LIMITED', hostCode: 'TOO_MANY_REQUESTS', retryAfterSec: null }],
    ['401 on the API', { status: 401, body: json('unauthorized-401.json') }, { code: 'AUTH_EXPIRED', hostCode: 'UNAUTHORIZED' }],
    ['400 invalid refresh token', { status: 400, body: json('oauth-invalid-refresh-400.json'), endpoint: 'oauth' }, { code: 'AUTH_REVOKED', hostCode: 'INVALID_GRANT' }],
    ['400 code expired', { status: 400, body: json('oauth-code-expired-400.json'), endpoint: 'oauth' }, { code: 'AUTH_REVOKED', hostCode: 'INVALID_GRANT' }],
    ['401 on the token endpoint', { status: 401, body: json('unauthorized-401.json'), endpoint: 'oauth' }, { code: 'AUTH_REVOKED', hostCode: 'INVALID_GRANT' }],
    ['402 payment', { status: 402, body: json('payment-required-402.json') }, { code: 'AUTH_REVOKED', hostCode: 'PAYMENT_REQUIRED' }],
    ['403 HTML block', { status: 403, body: html }, { code: 'AUTH_REVOKED', hostCode: 'ACCOUNT_BLOCKED', retryAfterSec: AMO_BLOCKED_RETRY_AFTER_SEC }],
    ['403 empty block', { status: 403, body: '' }, { code: 'AUTH_REVOKED', hostCode: 'ACCOUNT_BLOCKED', retryAfterSec: AMO_BLOCKED_RETRY_AFTER_SEC }],
    ['403 JSON block', { status: 403, body: { title: 'Forbidden', status: 403, detail: 'Account is blocked' } }, { code: 'AUTH_REVOKED', hostCode: 'ACCOUNT_BLOCKED' }],
    ['403 JSON rights', { status: 403, body: { title: 'Forbidden', type: 'https://httpstatus.es/403', status: 403, detail: 'Access denied' } }, { code: 'VALIDATION', hostCode: 'FORBIDDEN' }],
    ['404', { status: 404, body: json('not-found-404.json') }, { code: 'NOT_FOUND', hostCode: 'NOT_FOUND' }],
    ['204 empty', { status: 204, body: '' }, { code: 'NOT_FOUND', hostCode: 'NOT_FOUND' }],
    ['400 validation', { status: 400, body: json('validation-400.json') }, { code: 'VALIDATION', hostCode: 'NotSupportedChoice' }],
    ['400 empty data', { status: 400, body: { title: 'Bad Request', status: 400, detail: 'Request data can not be empty' } }, { code: 'VALIDATION', hostCode: 'BAD_REQUEST' }],
    ['422', { status: 422, body: json('unprocessable-422.json') }, { code: 'VALIDATION', hostCode: 'UNPROCESSABLE' }],
    ['500', { status: 500, body: json('internal-500.json') }, { code: 'TEMPORARY', hostCode: 'HTTP_500' }],
    ['502 HTML', { status: 502, body: '<html>Bad Gateway</html>' }, { code: 'TEMPORARY', hostCode: 'HTTP_502' }],
    ['504', { status: 504, body: '' }, { code: 'TEMPORARY', hostCode: 'HTTP_504' }],
    ['418', { status: 418, body: '' }, { code: 'UNKNOWN', hostCode: 'HTTP_418' }],
    ['timeout', { status: null, transportError: { code: 'ECONNABORTED', message: 'timeout of 10000ms exceeded' } }, { code: 'AMBIGUOUS', hostCode: 'ECONNABORTED', status: null }],
    ['reset', { status: null, transportError: { code: 'ECONNRESET', message: 'socket hang up' } }, { code: 'AMBIGUOUS', hostCode: 'ECONNRESET', status: null }],
    ['unknown transport failure', { status: null, transportError: { message: 'boom' } }, { code: 'AMBIGUOUS', hostCode: null, status: null }],
    ['refused: never sent', { status: null, transportError: { code: 'ECONNREFUSED' } }, { code: 'TEMPORARY', hostCode: 'ECONNREFUSED', status: null }],
    ['DNS: never sent', { status: null, transportError: { code: 'ENOTFOUND' } }, { code: 'TEMPORARY', hostCode: 'ENOTFOUND', status: null }],
  ])('%s', (_name, input, expected) => {
    const err = parseAmoError(input);
    expect(err).toBeInstanceOf(HostApiError);
    expect(err.code).toBe(expected.code);
    expect(err.hostCode).toBe(expected.hostCode);
    if ('retryAfterSec' in expected) expect(err.retryAfterSec).toBe(expected.retryAfterSec);
    expect(err.status).toBe('status' in expected ? expected.status : input.status);
  });

  it('names every invalid field in the message', () => {
    const err = parseAmoError({ status: 400, body: json('validation-400.json') });
    expect(err.message).toContain('custom_fields_values.0.field_id: NotSupportedChoice');
    expect(err.message).toContain('status_id: InvalidType');
  });

  it('keeps the OAuth hint', () => {
    expect(parseAmoError({ status: 400, body: json('oauth-invalid-refresh-400.json'), endpoint: 'oauth' }).message).toContain('Invalid refresh token');
  });

  it('does not copy an HTML page into the message', () => {
    expect(parseAmoError({ status: 403, body: html }).message).toBe('amoCRM answered HTTP 403');
  });
});

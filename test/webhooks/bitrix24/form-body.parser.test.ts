import { parseFormBody } from '../../../src/webhooks/bitrix24/form-body.parser.js';
import type { FormBodyParseErrorCode } from '../../../src/webhooks/bitrix24/form-body.parser.js';

const LIMITS = { maxLength: 10_000 };

describe('parseFormBody', () => {
  it.each([
    ['flat keys', 'a=1&b=two', { a: '1', b: 'two' }],
    ['bracket nesting', 'data%5BFIELDS%5D%5BID%5D=5', { data: { FIELDS: { ID: '5' } } }],
    ['unencoded brackets', 'auth[member_id]=abc&auth[domain]=x.bitrix24.com', { auth: { member_id: 'abc', domain: 'x.bitrix24.com' } }],
    ['append with []', 'a[]=1&a[]=2', { a: ['1', '2'] }],
    ['nested append', 'a[b][]=1&a[b][]=2&a[c]=3', { a: { b: ['1', '2'], c: '3' } }],
    ['explicit indexes make an object', 'a[0]=x&a[1]=y', { a: { '0': 'x', '1': 'y' } }],
    ['append after explicit index continues numbering', 'a[3]=x&a[]=y', { a: { '3': 'x', '4': 'y' } }],
    ['a named key turns an appended array into an object', 'a[]=x&a[k]=y', { a: { '0': 'x', k: 'y' } }],
    ['objects inside appended arrays', 'a[][id]=1&a[][id]=2', { a: [{ id: '1' }, { id: '2' }] }],
    ['plus means space, percent-decoding', 'msg=hello+world%21&u=https%3A%2F%2Fx%2Frest%2F', { msg: 'hello world!', u: 'https://x/rest/' }],
    ['every value is a string', 'n=3600&b=1&e=', { n: '3600', b: '1', e: '' }],
    ['key without value', 'flag', { flag: '' }],
    ['last assignment wins', 'a=1&a=2', { a: '2' }],
    ['a deeper key replaces a scalar', 'a=1&a[b]=2', { a: { b: '2' } }],
    ['empty pairs and nameless keys are skipped', '&&=x&a=1&', { a: '1' }],
    ['empty body', '', {}],
    ['brackets inside values are data', 'v=%5Bb%5Dx%5B%2Fb%5D', { v: '[b]x[/b]' }],
    ['depth 8 is allowed', 'a[1][2][3][4][5][6][7][8]=x', { a: { '1': { '2': { '3': { '4': { '5': { '6': { '7': { '8': 'x' } } } } } } } } }],
  ])('%s', (_name, raw, expected) => {
    const result = parseFormBody(raw, LIMITS);
    expect(result).toEqual({ ok: true, value: expected });
  });

  // Every row has all four cells: jest treats a missing trailing argument as a `done` callback.
  it.each<[string, string, FormBodyParseErrorCode, object]>([
    ['longer than the limit', 'a=12345', 'TOO_LONG', { maxLength: 6 }],
    ['too many keys', Array.from({ length: 1001 }, (_, i) => `k${i}=1`).join('&'), 'TOO_MANY_KEYS', {}],
    ['custom key limit', 'a=1&b=2&c=3', 'TOO_MANY_KEYS', { maxLength: 100, maxKeys: 2 }],
    ['deeper than 8', 'a[1][2][3][4][5][6][7][8][9]=x', 'TOO_DEEP', {}],
    ['__proto__ at the top', '__proto__[polluted]=yes', 'FORBIDDEN_KEY', {}],
    ['__proto__ nested', 'a[__proto__][polluted]=yes', 'FORBIDDEN_KEY', {}],
    ['encoded __proto__', 'a%5B__proto__%5D%5Bpolluted%5D=yes', 'FORBIDDEN_KEY', {}],
    ['constructor', 'a[constructor][prototype][polluted]=yes', 'FORBIDDEN_KEY', {}],
    ['prototype', 'prototype=1', 'FORBIDDEN_KEY', {}],
    ['bad percent-encoding', 'a=%E0%A4%A', 'MALFORMED', {}],
    ['unclosed bracket', 'a[b=1', 'MALFORMED', {}],
    ['stray closing bracket', 'a]b=1', 'MALFORMED', {}],
    ['text between segments', 'a[b]c[d]=1', 'MALFORMED', {}],
    ['nested open bracket', 'a[b[c]]=1', 'MALFORMED', {}],
    ['no base name', '[a]=1', 'MALFORMED', {}],
  ])('refuses a body %s', (_name, raw, code, limits) => {
    const result = parseFormBody(raw, { ...LIMITS, ...limits });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('never pollutes Object.prototype', () => {
    parseFormBody('__proto__[polluted]=yes&a[__proto__][polluted]=yes', LIMITS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not throw on arbitrary input', () => {
    const samples = ['%', '%%%', '[]]]=[[[', 'a[]]=1', '=&=&=', 'a[][][][]=1', '\u0000=\u0000', 'a[%ZZ]=1'];
    for (const raw of samples) expect(() => parseFormBody(raw, LIMITS)).not.toThrow();
  });
});

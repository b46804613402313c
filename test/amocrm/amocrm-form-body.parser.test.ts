import { amoFormList, parseAmoFormBody } from '../../src/webhooks/amocrm/amocrm-form-body.parser.js';
import { formFixture } from './form-fixture.js';

describe('parseAmoFormBody', () => {
  it('rebuilds the nested object of a documented webhook, every value a string', () => {
    const result = parseAmoFormBody(formFixture('status-lead.form.txt'), { maxLength: 10_000 });
    if (!result.ok) throw new Error(result.message);
    const leads = result.value.leads as Record<string, unknown>;
    const status = amoFormList((leads as never)['status']);
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({ id: '15318175', status_id: '67548619', old_status_id: '67548607', pipeline_id: '8572511', name: '' });
    expect(result.value.account).toEqual({ subdomain: 'test', id: '12345678', _links: { self: 'https://test.amocrm.ru' } });
    expect((status[0].custom_fields as never)['0']).toEqual({ id: '1246489', name: 'Select', values: { '0': { value: '2', enum: '908107' } } });
  });

  it('decodes + as space and percent escapes', () => {
    const result = parseAmoFormBody('a%5Bb%5D=hello+world%21&c=%D0%A2%D0%B5%D1%81%D1%82', { maxLength: 100 });
    expect(result).toEqual({ ok: true, value: { a: { b: 'hello world!' }, c: 'Тест' } });
  });

  it('appends on [] and keeps containers as objects', () => {
    const result = parseAmoFormBody('x[]=a&x[]=b', { maxLength: 100 });
    expect(result).toEqual({ ok: true, value: { x: { '0': 'a', '1': 'b' } } });
  });

  it('lists numeric entries in index order, not insertion order', () => {
    const result = parseAmoFormBody('l[10][id]=c&l[2][id]=b&l[0][id]=a&l[name]=skip', { maxLength: 100 });
    if (!result.ok) throw new Error(result.message);
    expect(amoFormList(result.value.l).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['TOO_LONG', 'a=1&b=2', { maxLength: 3 }],
    ['TOO_MANY_KEYS', 'a=1&b=2&c=3', { maxLength: 100, maxKeys: 2 }],
    ['TOO_DEEP', 'a[1][2][3]=x', { maxLength: 100, maxDepth: 2 }],
    ['FORBIDDEN_KEY', 'leads[__proto__][polluted]=1', { maxLength: 100 }],
    ['FORBIDDEN_KEY', 'constructor[prototype][x]=1', { maxLength: 100 }],
    ['FORBIDDEN_KEY', '__proto__=1', { maxLength: 100 }],
    ['MALFORMED', 'a[b=1', { maxLength: 100 }],
    ['MALFORMED', 'a]=1', { maxLength: 100 }],
    ['MALFORMED', '[a]=1', { maxLength: 100 }],
    ['MALFORMED', 'a=%E0%A4%A', { maxLength: 100 }],
    ['MALFORMED', 'a[b]=1&a[b][c]=2', { maxLength: 100 }],
    ['MALFORMED', 'a[b][c]=2&a[b]=1', { maxLength: 100 }],
  ] as const)('refuses with %s: %s', (code, body, limits) => {
    const result = parseAmoFormBody(body, limits);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the last value of a repeated scalar key, as PHP does', () => {
    expect(parseAmoFormBody('a=1&a=2', { maxLength: 100 })).toEqual({ ok: true, value: { a: '2' } });
  });
});

import fc from 'fast-check';
import { parseBitrix24Event } from '../../src/webhooks/bitrix24/bitrix24-event.parser.js';
import { parseBitrix24InstallForm } from '../../src/webhooks/bitrix24/bitrix24-install.parser.js';
import { parseAmoWebhook } from '../../src/webhooks/amocrm/amocrm-webhook.parser.js';
import { validateRulesConfig, bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/index.js';

// No input crashes a parser: every body yields a value or a reason, never an exception, and the
// prototype of plain objects is never touched.

const bracketKey = fc
  .array(fc.oneof(fc.constantFrom('data', 'auth', 'FIELDS', 'ID', '__proto__', 'constructor', 'prototype', 'leads', 'status', '0', ''), fc.string({ maxLength: 6 })), {
    minLength: 1,
    maxLength: 12,
  })
  .map(([head, ...rest]) => head + rest.map((k) => `[${k}]`).join(''));
const formBody = fc
  .array(fc.tuple(bracketKey, fc.string({ maxLength: 20 })), { maxLength: 40 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&'));
const anyBody = fc.oneof(formBody, fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('%', '%E0%A4%A', 'a[b[c]=1', '[]=1', '&&&', '='.repeat(50)));

describe('hostile input: webhook parsers', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('Bitrix24 event parser never throws and never pollutes prototypes', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const r = parseBitrix24Event(body);
        if (!r.ok) expect(typeof r.reason).toBe('string');
        else expect(r.event.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 2000 },
    );
    expect(parseBitrix24Event('__proto__[polluted]=1&event=ONCRMDEALUPDATE').ok).toBe(false);
  });

  it('Bitrix24 install parser never throws', () => {
    fc.assert(
      fc.property(anyBody, fc.dictionary(fc.constantFrom('DOMAIN', 'PROTOCOL', 'LANG', 'x'), fc.string({ maxLength: 30 })), (body, query) => {
        const r = parseBitrix24InstallForm(body, query);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('amoCRM webhook parser never throws', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const r = parseAmoWebhook(body);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['deeply nested', 'a' + '[x]'.repeat(500) + '=1'],
    ['too many keys', Array.from({ length: 5000 }, (_, i) => `k${i}=1`).join('&')],
    ['oversized', 'event=ONCRMDEALUPDATE&x=' + 'y'.repeat(300 * 1024)],
    ['truncated escape', 'event=ONCRMDEALUPDATE&auth[member_id]=%E0%A4'],
  ])('refuses a %s body with a reason', (_name, body) => {
    const b = parseBitrix24Event(body);
    expect(b.ok).toBe(false);
    const a = parseAmoWebhook(body, { maxLength: 256 * 1024 });
    expect(a.ok).toBe(false);
  });
});

describe('hostile input: the rules-config validator', () => {
  const pipelines = bitrix24DefaultPipelines();

  it('never throws, and names a path for every error', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 5, withObjectString: true }), (input) => {
        const r = validateRulesConfig(input, pipelines);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(typeof e.path).toBe('string');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on a valid config with one value anywhere replaced by junk', () => {
    const base = bitrix24DefaultRules();
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.anything({ maxDepth: 2 }), (path, junk) => {
        const copy = structuredClone(base) as unknown as Record<string | number, unknown>;
        let node: Record<string | number, unknown> = copy;
        for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
        node[path[path.length - 1]!] = junk;
        const r = validateRulesConfig(copy, pipelines);
        if (!r.ok) expect(r.errors[0]!.path.length).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1500 },
    );
  });
});

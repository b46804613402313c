import type { Runtime } from '../../src/app/runtime.js';
import { appLocale, renderAppPage, scriptSafeJson } from '../../src/ui/app-page.js';
import { appContentSecurityPolicy, toFrameOrigin } from '../../src/ui/frame-headers.js';
import { issueSession } from '../../src/ui/session.js';
import { uiFeature } from '../../src/ui/ui.feature.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJwaWQiOiJ4In0.c2lnbmF0dXJl';

function bootOf(html: string): any {
  const m = /<script type="application\/json" id="sg-boot">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no boot data');
  return JSON.parse(m[1]!);
}

describe('renderAppPage', () => {
  it('embeds the session, page, locale and the deal of a deal-tab placement as inert JSON', () => {
    const html = renderAppPage({ page: 'deal', session: TOKEN, locale: 'ua', frameAncestors: ['portal.bitrix24.ru'], placementOptions: { ID: 759 } });
    expect(bootOf(html)).toEqual({
      page: 'deal',
      session: TOKEN,
      locale: 'ru',
      hostOrigins: ['https://portal.bitrix24.ru'],
      dealId: '759',
      assetBase: '/app/assets',
    });
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('<script type="module" src="/app/assets/main.js">');
    // Nothing inline that runs: the page works under script-src 'self'.
    expect(html.match(/<script(?![^>]*type="application\/json")(?![^>]*src=)[^>]*>/g)).toBeNull();
  });

  it('cannot be broken out of by a hostile value', () => {
    const evil = '</script><script>alert(1)</script><!--\u2028';
    const html = renderAppPage({ page: 'deal', session: TOKEN, locale: 'en', frameAncestors: [], placementOptions: { dealId: evil } });
    expect(html).not.toContain('<script>alert');
    expect(bootOf(html).dealId).toBe(evil);
    expect(scriptSafeJson({ a: '<>&' })).toBe('{"a":"\\u003c\\u003e\\u0026"}');
  });

  it.each([
    [{ page: 'admin' }, /unknown app page/],
    [{ session: 'not a token' }, /session/],
    [{ frameAncestors: ['https://*.bitrix24.ru'] }, /origin/],
  ])('refuses %j', (over, error) => {
    expect(() => renderAppPage({ page: 'dashboard', session: TOKEN, locale: 'en', frameAncestors: [], ...(over as object) } as any)).toThrow(error);
  });

  it.each([
    ['ru', 'ru'],
    ['by', 'ru'],
    ['en', 'en'],
    ['pl', 'pl'],
    ['de', 'en'],
    ['', 'en'],
    [null, 'en'],
  ])('maps the host language %p to %p', (lang, locale) => {
    expect(appLocale(lang)).toBe(locale);
  });
});

describe('frame policy', () => {
  it('names the portal origins in frame-ancestors, normalized', () => {
    const csp = appContentSecurityPolicy(['portal.bitrix24.ru', 'https://portal.bitrix24.ru/crm/deal/', 'http://localhost:8080']);
    expect(csp).toContain('frame-ancestors https://portal.bitrix24.ru http://localhost:8080');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
  });

  it('allows no framing at all without an origin', () => {
    expect(appContentSecurityPolicy([])).toContain("frame-ancestors 'none'");
  });

  it.each(['*', 'https://*.amocrm.ru', "'self' https://evil.example", 'javascript:alert(1)', 'https://a.example; script-src *', 'https://user:pw@a.example'])(
    'refuses %p as an origin',
    (value) => {
      expect(() => toFrameOrigin(value)).toThrow();
    },
  );
});

describe('ui routes without the dev entry (production)', () => {
  let t: TestDatabase;
  let rt: Runtime;

  beforeAll(async () => {
    t = await createTestDatabase();
    rt = await startTestRuntime({ databaseUrl: t.url, features: [uiFeature()], roles: { web: true, worker: false } });
  });
  afterAll(async () => {
    await rt.stop();
    await t.drop();
  });

  it('does not open a page from a session in the URL', async () => {
    const session = issueSession({ portalId: '00000000-0000-0000-0000-000000000001', userId: '1', role: 'admin' }, rt.ctx.sessionSecret);
    for (const page of ['dashboard', 'deal', 'rules']) {
      expect((await fetch(`${rt.url}/app/dev/${page}?session=${session}`)).status).toBe(404);
      expect((await fetch(`${rt.url}/app/${page}?session=${session}`)).status).toBe(404);
    }
  });

  it('serves the page scripts and chart.js from our own origin', async () => {
    const main = await fetch(`${rt.url}/app/assets/main.js`);
    expect(main.status).toBe(200);
    expect(main.headers.get('content-type')).toMatch(/javascript/);
    const chart = await fetch(`${rt.url}/app/vendor/chart.js`);
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('Chart');
    expect((await fetch(`${rt.url}/app/assets/app.css`)).headers.get('content-type')).toMatch(/css/);
  });

  it('serves nothing outside the assets folder', async () => {
    for (const path of ['/app/assets/../session.ts', '/app/assets/%2e%2e/session.ts', '/app/assets/..%2fui.feature.ts']) {
      const res = await fetch(`${rt.url}${path}`);
      expect([400, 403, 404]).toContain(res.status);
    }
  });

  it('needs a session for its API', async () => {
    for (const path of ['/api/pipelines', '/api/users', '/api/install/status', '/api/deals/1/standing']) {
      expect((await fetch(`${rt.url}${path}`)).status).toBe(401);
    }
  });
});

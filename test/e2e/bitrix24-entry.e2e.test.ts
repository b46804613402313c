import { startBitrix24E2E, type Bitrix24E2E } from './bitrix24-harness.js';

function boot(html: string): { page: string; session: string; dealId: string | null; locale: string } {
  const m = /<script type="application\/json" id="sg-boot">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no boot data in the page');
  return JSON.parse(m[1]!);
}

describe('Bitrix24 entry points: app page and deal tab', () => {
  let e: Bitrix24E2E;
  beforeAll(async () => {
    e = await startBitrix24E2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  it('opens the dashboard for the admin, checked with the portal, framed only by the portal', async () => {
    const r = await e.sandbox.openApplication(`${e.rt.url}/bitrix24/app`, { userId: 1 });
    expect(r.status).toBe(200);
    const b = boot(r.body);
    expect(b.page).toBe('dashboard');
    const api = await fetch(`${e.rt.url}/api/violations`, { headers: { authorization: `Bearer ${b.session}` } });
    expect(api.status).toBe(200);
    const page = await fetch(`${e.rt.url}/bitrix24/app?DOMAIN=${encodeURIComponent(e.sandbox.portal.domain)}&PROTOCOL=0&LANG=ru`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...e.sandbox.issueInstallTokens({ userId: 3 }).body }).toString(),
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors ${new URL(e.sandbox.url).origin}`);
    expect(page.headers.get('set-cookie')).toBeNull();
    // A manager lands on the violations list, and may not change the rules.
    expect(boot(await page.text()).page).toBe('violations');
  });

  it('opens the deal tab on the deal Bitrix24 names in PLACEMENT_OPTIONS', async () => {
    const deal = e.sandbox.createDeal({ title: 'Tab deal', stageId: 'NEW', assignedById: 3 }, 3);
    const r = await e.sandbox.openApplication(`${e.rt.url}/bitrix24/placement/deal-tab`, {
      userId: 3,
      placement: 'CRM_DEAL_DETAIL_TAB',
      placementOptions: { ID: String(deal.id) },
    });
    expect(r.status).toBe(200);
    expect(boot(r.body)).toMatchObject({ page: 'deal', dealId: String(deal.id) });
  });

  it.each([
    ['a forged AUTH_ID', { AUTH_ID: 'forged-token' }, 401],
    ['an unknown member_id', { member_id: 'f'.repeat(32) }, 401],
    ['no AUTH_ID', { AUTH_ID: '' }, 400],
  ])('refuses %s', async (_name, override, status) => {
    const post = e.sandbox.issueInstallTokens({ userId: 1 });
    const fields: Record<string, string> = { ...post.body, ...override };
    if (fields.AUTH_ID === '') delete fields.AUTH_ID;
    const r = await fetch(`${e.rt.url}/bitrix24/app?DOMAIN=${encodeURIComponent(e.sandbox.portal.domain)}&PROTOCOL=0`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(r.status).toBe(status);
    expect(await r.text()).not.toContain('sg-boot');
  });
});

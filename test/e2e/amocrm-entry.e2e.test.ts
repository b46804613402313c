import { startAmocrmE2E, type AmocrmE2E } from './amocrm-harness.js';

function boot(html: string): { page: string; session: string; dealId: string | null } {
  const m = /<script type="application\/json" id="sg-boot">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no boot data in the page');
  return JSON.parse(m[1]!);
}

describe('amoCRM widget pages', () => {
  let e: AmocrmE2E;
  beforeAll(async () => {
    e = await startAmocrmE2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  const open = (path: string, token: string, body: Record<string, string> = {}) =>
    fetch(`${e.publicUrl}${path}`, { method: 'POST', headers: { 'x-auth-token': token, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

  it('opens the lead card for the lead amoCRM names, with a session checked from the disposable token', async () => {
    const r = await open('/amocrm/widget/lead-card', e.sandbox.widgetToken({ audience: e.publicUrl }), { leadId: '4242' });
    expect(r.status).toBe(200);
    const b = boot(await r.text());
    expect(b).toMatchObject({ page: 'deal', dealId: '4242' });
    expect(r.headers.get('content-security-policy')).toContain(`frame-ancestors ${new URL(e.sandbox.baseUrl).origin}`);
    const api = await fetch(`${e.publicUrl}/api/violations`, { headers: { authorization: `Bearer ${b.session}` } });
    expect(api.status).toBe(200);
  });

  it('refuses a token used twice, with another audience, or unsigned', async () => {
    const token = e.sandbox.widgetToken({ audience: e.publicUrl });
    expect((await open('/amocrm/widget/advanced', token)).status).toBe(200);
    const replay = await open('/amocrm/widget/advanced', token);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toBe('widget_token_replayed');
    expect((await open('/amocrm/widget/settings', e.sandbox.widgetToken({ audience: 'https://evil.example' }))).status).toBe(401);
    const [h, p] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    void h;
    expect((await open('/amocrm/widget/settings', none)).status).toBe(401);
  });
});

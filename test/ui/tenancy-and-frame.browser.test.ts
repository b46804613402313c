import jwt from 'jsonwebtoken';
import type { Request as PwRequest } from 'playwright-core';
import { startParent, startUiHarness, type UiHarness } from './support/ui-harness.js';
import { b2bFiveStageRules, NEGOTIATION_DEAL, NEGOTIATION_TITLE, seedPortalA, seedPortalB, type SeededPortal } from './support/ui-seed.js';

describe('portal isolation and frame security', () => {
  let h: UiHarness;
  let a: SeededPortal;
  let b: SeededPortal;
  let adminA: string;
  let adminB: string;

  beforeAll(async () => {
    h = await startUiHarness();
    const now = new Date();
    a = await seedPortalA(h.rt, now);
    b = await seedPortalB(h.rt, now);
    adminA = h.session(a.portal.id, 'admin');
    adminB = h.session(b.portal.id, 'admin', '900', 'Bruno Beta');
    expect((await h.api(adminA, '/api/rules', { method: 'PUT', body: JSON.stringify(b2bFiveStageRules()) })).status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe("a page of portal A opened with portal B's session", () => {
    it("refuses A's deal: the API answers 404 and the page shows none of it", async () => {
      for (const path of ['/api/deals/502', '/api/deals/502/standing']) expect((await h.api(adminB, path)).status).toBe(404);
      expect((await h.api(adminB, '/api/deals/502/goals', { method: 'POST', body: JSON.stringify({ code: 'qualified' }) })).status).toBe(404);

      const { tab, frame } = await h.open('deal', adminB, { dealId: '502' });
      expect(await frame.textContent('main')).toContain('not known to Stageguard');
      expect(await frame.textContent('body')).not.toMatch(/Deal 502|Pavel|Acme/);
      await tab.close();
    });

    it('shows its own deal where both portals use the same deal id', async () => {
      const { tab, frame } = await h.open('deal', adminB, { dealId: NEGOTIATION_DEAL });
      expect(await frame.textContent('h1')).toBe('Beta deal with a shared id');
      expect(await frame.textContent('body')).not.toContain(NEGOTIATION_TITLE);
      // B has no rules, so no goals: A's goals for the same stage ids must not leak in.
      expect(await frame.$$('[data-goal]')).toHaveLength(0);
      await tab.close();
    });

    it("gives no violations, audit, users, pipelines, rules or install state of A", async () => {
      expect((await h.api(adminB, '/api/violations')).body).toEqual([]);
      expect((await h.api(adminB, '/api/audit')).body.map((r: any) => r.details.domain)).toEqual(['beta.kommo.com']);
      expect((await h.api(adminB, '/api/users')).body.map((u: any) => u.name)).toEqual(['Bruno Beta']);
      expect((await h.api(adminB, '/api/pipelines')).body.map((p: any) => p.name)).toEqual(['Beta sales']);
      expect((await h.api(adminB, '/api/rules')).status).toBe(404);
      expect((await h.api(adminB, '/api/rules/versions')).body).toEqual([]);
      expect((await h.api(adminB, '/api/rules/versions/1')).status).toBe(404);
      expect((await h.api(adminB, '/api/rules/versions/1/restore', { method: 'POST' })).status).toBe(404);
      expect((await h.api(adminB, '/api/install/status')).body).toMatchObject({ state: 'pending', import: null });

      const { tab, frame } = await h.open('violations', adminB);
      expect(await frame.$$('#violations-table tr[data-kind]')).toHaveLength(0);
      const text = await frame.textContent('body');
      for (const leak of ['Pavel', 'Maria', 'alpha.kommo.com', '#501', '#509']) expect(text).not.toContain(leak);
      await tab.close();

      const rules = await h.open('rules', adminB);
      expect(await rules.frame.textContent('#rules-toolbar')).toContain('No rules yet');
      expect(await rules.frame.textContent('body')).not.toContain('needs_clear');
      await rules.tab.close();
    });

    it('refuses a session signed with another key, and one without a session', async () => {
      const forged = jwt.sign({ pid: a.portal.id, uid: '1', role: 'admin' }, 'not-our-secret', {
        algorithm: 'HS256',
        expiresIn: 60,
        issuer: 'stageguard',
        audience: 'stageguard-api',
      });
      expect((await h.api(forged, '/api/deals/501')).status).toBe(401);
      expect((await h.api(forged, '/api/pipelines')).status).toBe(401);
      expect((await fetch(`${h.rt.url}/api/users`)).status).toBe(401);
      expect((await fetch(`${h.rt.url}/app/dev/dashboard?session=${forged}`)).status).toBe(401);
    });
  });

  describe('frame', () => {
    it('serves pages with frame-ancestors set to the portal and a strict same-origin policy', async () => {
      const res = await fetch(`${h.rt.url}/app/dev/violations?session=${adminA}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain(`frame-ancestors ${h.parentOrigin}`);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('set-cookie')).toBeNull();
    });

    it('sends the session as a Bearer header on every API call, never a cookie', async () => {
      const seen: PwRequest[] = [];
      const tab = await h.context.newPage();
      tab.on('request', (r) => {
        if (r.url().includes('/api/')) seen.push(r);
      });
      const { frame } = await h.open('deal', adminA, { dealId: NEGOTIATION_DEAL, tab });
      await frame.waitForSelector('h1');
      expect(seen.length).toBeGreaterThanOrEqual(4);
      for (const r of seen) {
        const headers = await r.allHeaders();
        expect(headers.authorization).toBe(`Bearer ${adminA}`);
        expect(headers.cookie).toBeUndefined();
      }
      expect(await h.context.cookies()).toEqual([]);
      await tab.close();
    });

    it('will not show inside a page of any other origin', async () => {
      const hostile = await startParent();
      const context = await h.browser.newContext();
      try {
        const tab = await context.newPage();
        const src = `${h.rt.url}/app/dev/deal?session=${adminA}&dealId=${NEGOTIATION_DEAL}`;
        const blocked = tab.waitForEvent('console', (m) => /frame-ancestors|Refused to frame/i.test(m.text()));
        await tab.goto(`${hostile.origin}/host?src=${encodeURIComponent(src)}`);
        await blocked;
        const frame = await (await tab.waitForSelector('iframe#app')).contentFrame();
        expect(frame?.url() ?? '').not.toContain('127.0.0.1');
        expect(await frame?.$('#app')).toBeFalsy();
      } finally {
        await context.close();
        await new Promise<void>((resolve) => hostile.server.close(() => resolve()));
      }
    });
  });

  it('reports no page errors (CSP violations, exceptions)', () => {
    expect(h.pageErrors).toEqual([]);
  });
});

import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import type { Feature } from '../../../src/app/app-context.js';
import { coreFeature } from '../../../src/app/core.feature.js';
import type { Runtime } from '../../../src/app/runtime.js';
import { issueSession, type SessionRole } from '../../../src/ui/session.js';
import { uiFeature } from '../../../src/ui/ui.feature.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';
import { startTestRuntime } from '../../support/test-runtime.js';

export const ARTIFACTS = path.resolve('test-artifacts/ui');

/**
 * A stand-in for the CRM: a page on another origin (localhost, its own port) that embeds our page in
 * an iframe, as a Bitrix24 placement or an amoCRM widget does. Our service answers on 127.0.0.1.
 */
export async function startParent(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const src = url.searchParams.get('src') ?? 'about:blank';
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><head><title>CRM</title><style>
      body{margin:0;font:13px Arial;background:#f5f7f8} .crm{height:36px;line-height:36px;padding:0 16px;background:#2b3a4a;color:#fff}
      iframe{display:block;width:100%;height:860px;border:0}</style></head>
      <body><div class="crm">CRM · host page</div><iframe id="app" src="${esc(src)}"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { origin: `http://localhost:${port}`, server };
}

export interface UiHarness {
  db: TestDatabase;
  rt: Runtime;
  parentOrigin: string;
  browser: Browser;
  context: BrowserContext;
  /** Problems the pages reported: console errors, CSP violations, uncaught exceptions. */
  pageErrors: string[];
  session(portalId: string, role: SessionRole, userId?: string, userName?: string): string;
  /** GET /api/... as the given session. */
  api(token: string, apiPath: string, init?: RequestInit): Promise<{ status: number; body: any }>;
  /** Opens an app page inside the host's frame; resolves once the page says it is ready. */
  open(page: string, token: string, opts?: { dealId?: string; locale?: string; tab?: Page }): Promise<{ tab: Page; frame: Frame }>;
  /** Grows the frame to its content and saves the host page as test-artifacts/ui/<name>.png. */
  screenshot(tab: Page, frame: Frame, name: string): Promise<string>;
  close(): Promise<void>;
}

const noHost = () => {
  throw new Error('the UI tests make no host calls');
};

export async function startUiHarness(extraFeatures: Feature[] = []): Promise<UiHarness> {
  const parent = await startParent();
  const db = await createTestDatabase();
  const rt = await startTestRuntime({
    databaseUrl: db.url,
    // Web only: actions stay recorded and queued, and no worker tries to reach a host.
    roles: { web: true, worker: false },
    features: [coreFeature({ registry: noHost, lifecycles: noHost }), ...extraFeatures, uiFeature({ devEntry: { frameAncestors: [parent.origin] } })],
  });
  const browser = await chromium.launch({
    executablePath: process.env.SG_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: 'en-GB', timezoneId: 'Europe/Warsaw' });
  const pageErrors: string[] = [];
  context.on('console', (msg) => {
    // A 4xx from our API is an answer the page handles (a validation error, a deal of another portal);
    // Chromium still logs it. Anything else logged as an error is a real problem.
    if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) {
      pageErrors.push(`${msg.location().url}: ${msg.text()}`);
    }
  });
  context.on('weberror', (err) => pageErrors.push(String(err.error())));
  mkdirSync(ARTIFACTS, { recursive: true });

  const h: UiHarness = {
    db,
    rt,
    parentOrigin: parent.origin,
    browser,
    context,
    pageErrors,
    session: (portalId, role, userId = '100', userName = 'Olga Head') => issueSession({ portalId, userId, userName, role }, rt.ctx.sessionSecret, 600),
    async api(token, apiPath, init = {}) {
      const res = await fetch(`${rt.url}${apiPath}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async open(page, token, opts = {}) {
      const q = new URLSearchParams({ session: token, locale: opts.locale ?? 'en' });
      if (opts.dealId) q.set('dealId', opts.dealId);
      const src = `${rt.url}/app/dev/${page}?${q}`;
      const tab = opts.tab ?? (await context.newPage());
      await tab.goto(`${parent.origin}/host?src=${encodeURIComponent(src)}`);
      const frame = await frameOf(tab);
      await frame.waitForSelector(`#app[data-ready]`, { timeout: 15_000 });
      return { tab, frame };
    },
    async screenshot(tab, frame, name) {
      // The frame is another origin, drawn by another renderer process: a "full page" shot of the host
      // page does not paint it past the viewport. So the frame grows to its content and the viewport
      // to the host page, for the one shot.
      const height = await frame.evaluate(() => (globalThis as any).document.documentElement.scrollHeight as number);
      await tab.evaluate((hgt) => {
        (globalThis as any).document.getElementById('app').style.height = `${hgt}px`;
      }, height);
      const viewport = tab.viewportSize() ?? { width: 1280, height: 900 };
      await tab.setViewportSize({ width: viewport.width, height: height + 36 });
      await tab.waitForTimeout(200);
      const file = path.join(ARTIFACTS, `${name}.png`);
      await tab.screenshot({ path: file });
      await tab.setViewportSize(viewport);
      await tab.evaluate(() => {
        (globalThis as any).document.getElementById('app').style.height = '';
      });
      return file;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await rt.stop();
      await db.drop();
      await new Promise<void>((resolve) => parent.server.close(() => resolve()));
    },
  };
  return h;
}

/** The app's frame inside the host page, once it has navigated to our origin. */
export async function frameOf(tab: Page): Promise<Frame> {
  const handle = await tab.waitForSelector('iframe#app');
  for (let i = 0; i < 100; i++) {
    const frame = await handle.contentFrame();
    if (frame && frame.url().startsWith('http://127.0.0.1')) return frame;
    await tab.waitForTimeout(50);
  }
  throw new Error('the app frame never loaded');
}

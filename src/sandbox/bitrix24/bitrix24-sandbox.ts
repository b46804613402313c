// A Bitrix24 portal in one process, for end-to-end tests and the demo: the OAuth token endpoint, /rest/
// with the methods Stageguard uses, the per-portal leaky bucket, and events POSTed to bound handlers —
// all as documented (see ../../../shared/protocols/bitrix24.md and the b24restdocs pages cited per file),
// and no more forgiving than the real host. Everything lives in memory; one portal per instance.

import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { systemClock } from './clock.js';
import type { SandboxClock } from './clock.js';
import { CallStats } from './call-stats.js';
import type { CallStatsSnapshot } from './call-stats.js';
import { CrmService } from './crm-service.js';
import { EventDispatcher } from './event-dispatcher.js';
import type { DeliveryMode, DeliveryRecord, FlushOptions, PendingDelivery } from './event-dispatcher.js';
import { LeakyBucket } from './leaky-bucket.js';
import type { BucketConfig } from './leaky-bucket.js';
import { SandboxState } from './sandbox-state.js';
import type { PortalIdentity } from './sandbox-state.js';
import type { SandboxContext, SandboxOutage } from './sandbox-context.js';
import { seedPortal } from './seed.js';
import { TokenStore, randomToken } from './token-store.js';
import type { TokenPair } from './token-store.js';
import { createRestRouter } from './rest-router.js';
import { createOAuthRouter } from './oauth-router.js';
import { formatDateTime, parseDateTime } from './wire-format.js';
import { appAuth, installApp, installPost, openApplication, sendInstallEvent, uninstallApp, updateApp } from './app-lifecycle.js';
import type { InstallPost, OpenAppOptions } from './app-lifecycle.js';
import { SandboxControl } from './sandbox-control.js';

export interface Bitrix24SandboxOptions {
  /** The sandbox clock (a ManualClock in tests). Default: the system clock. */
  clock?: SandboxClock;
  /** Shorthand for `clock: { now }`. */
  now?: () => number;
  /** Access token lifetime; the host's is 3600 s. */
  accessTokenTtlSec?: number;
  /** `standard` → 2 req/s, burst 50, LICENSE en_pro100; `enterprise` → 5/250, en_ent250. */
  plan?: 'standard' | 'enterprise';
  /** Override the bucket regardless of plan. */
  bucket?: Partial<BucketConfig>;
  /** Scopes granted to the app. Default: crm, task, im, user, placement, lists. */
  scopes?: string[];
  memberId?: string;
  applicationToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** Portal host as it appears in DOMAIN / auth[domain]. Default: the sandbox's own host:port. */
  domain?: string;
  /** UTC offset of the portal in minutes. Default +180, so no code can get away with assuming UTC. */
  timezoneOffsetMinutes?: number;
  languageId?: string;
  appStatus?: PortalIdentity['status'];
  /** Pretend BX24.installFinish() already happened. Default false: no events until finishInstall(). */
  installFinished?: boolean;
  host?: string;
}

export class Bitrix24Sandbox extends SandboxControl {
  private server: Server | null = null;
  private readonly endpoint: { base: string };
  private readonly fixedDomain: string | undefined;
  private readonly host: string;

  constructor(options: Bitrix24SandboxOptions = {}) {
    const clock = options.clock ?? (options.now ? { now: options.now } : systemClock);
    const enterprise = options.plan === 'enterprise';
    const state = new SandboxState({
      memberId: options.memberId ?? randomBytes(16).toString('hex'),
      domain: options.domain ?? 'sandbox.invalid',
      applicationToken: options.applicationToken ?? randomToken(),
      clientId: options.clientId ?? `local.${randomBytes(7).toString('hex')}.${Math.floor(10_000_000 + Math.random() * 89_999_999)}`,
      clientSecret: options.clientSecret ?? randomBytes(25).toString('base64url'),
      scopes: options.scopes ?? ['crm', 'task', 'im', 'user', 'placement', 'lists'],
      status: options.appStatus ?? 'F',
      appCode: 'stageguard',
      appVersion: 1,
      languageId: options.languageId ?? 'en',
      license: enterprise ? 'en_ent250' : 'en_pro100',
      timezoneOffsetMinutes: options.timezoneOffsetMinutes ?? 180,
    });
    seedPortal(state, clock.now());
    const lifecycle = { installed: true, installFinished: options.installFinished ?? false };
    const tokens = new TokenStore(clock, options.accessTokenTtlSec ?? 3600);
    const bucket = new LeakyBucket(clock, {
      drainPerSec: options.bucket?.drainPerSec ?? (enterprise ? 5 : 2),
      limit: options.bucket?.limit ?? (enterprise ? 250 : 50),
    });
    const offset = state.portal.timezoneOffsetMinutes;
    const endpoint = { base: '' };
    const baseUrl = () => {
      if (!endpoint.base) throw new Error('Bitrix24Sandbox is not started');
      return endpoint.base;
    };
    const ctx = {
      state,
      clock,
      tokens,
      bucket,
      lifecycle,
      outage: null,
      stats: new CallStats(),
      baseUrl,
      restEndpoint: () => `${baseUrl()}/rest/`,
      formatDate: (ms: number) => formatDateTime(ms, offset),
      parseDate: (v: unknown) => parseDateTime(v, offset),
    } as Omit<SandboxContext, 'events' | 'crm'> as SandboxContext;
    ctx.events = new EventDispatcher({ state, clock, lifecycle, buildAuth: (request) => appAuth(ctx, request) });
    ctx.crm = new CrmService(ctx);
    super(ctx);
    this.endpoint = endpoint;
    this.fixedDomain = options.domain;
    this.host = options.host ?? '127.0.0.1';
  }

  async start(port = 0): Promise<{ url: string }> {
    if (this.server) return { url: this.url };
    const app = express();
    app.disable('x-powered-by');
    app.use('/oauth', createOAuthRouter(this.ctx));
    app.use('/rest', createRestRouter(this.ctx));
    app.use((_req, res) => res.status(404).json({ error: 'NOT_FOUND', error_description: 'Not found' }));
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, this.host, () => resolve(s));
      s.once('error', reject);
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.endpoint.base = `http://${this.host}:${address.port}`;
    if (!this.fixedDomain) this.ctx.state.portal.domain = `${this.host}:${address.port}`;
    return { url: this.endpoint.base };
  }

  async stop(): Promise<void> {
    await this.ctx.events.idle();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  /** `http://127.0.0.1:<port>`; the REST endpoint is `${url}/rest/`, the token endpoint `${url}/oauth/token/`. */
  get url(): string {
    return this.ctx.baseUrl();
  }

  get clock(): SandboxClock {
    return this.ctx.clock;
  }

  /** member_id, domain, application_token, client_id/client_secret, scopes … (live: update/uninstall change it). */
  get portal(): Readonly<PortalIdentity> {
    return this.ctx.state.portal;
  }

  // ---- OAuth ----------------------------------------------------------------------------------------

  /** What the install POST carries, with a fresh token pair for `userId` (default: the admin). */
  issueInstallTokens(options: OpenAppOptions = {}): InstallPost {
    return installPost(this.ctx, options);
  }

  /** A token pair for any seeded user, as if they had opened the app. */
  issueTokens(userId = 1): TokenPair {
    return this.ctx.tokens.issuePair(userId);
  }

  /** An authorization code (30 s) for grant_type=authorization_code. */
  issueAuthorizationCode(userId = 1): string {
    return this.ctx.tokens.issueCode(userId);
  }

  expireAccessTokens(): void {
    this.ctx.tokens.expireAccessTokens();
  }

  /** Access withdrawn: refresh → invalid_grant, REST → 401 NO_AUTH_FOUND. */
  revokeAll(): void {
    this.ctx.tokens.revokeAll();
  }

  setAccessTokenTtl(seconds: number): void {
    this.ctx.tokens.accessTtlSec = seconds;
  }

  // ---- App lifecycle --------------------------------------------------------------------------------

  /** POST the app page the way the portal frame does (install wizard, DEFAULT page or a placement). */
  openApplication(url: string, options: OpenAppOptions = {}): Promise<{ status: number; body: string; post: InstallPost }> {
    return openApplication(this.ctx, url, options);
  }

  /** ONAPPINSTALL to the "installation event handler URL" (with auth[access_token] and auth[refresh_token]). */
  sendInstallEvent(handlerUrl: string, userId = 1): Promise<DeliveryRecord> {
    return sendInstallEvent(this.ctx, handlerUrl, userId);
  }

  /** BX24.installFinish(): from now on events are delivered and app.info says INSTALLED: true. */
  finishInstall(): void {
    this.ctx.lifecycle.installFinished = true;
  }

  get installFinished(): boolean {
    return this.ctx.lifecycle.installFinished;
  }

  /** A new app version: new application_token, all bindings dropped, ONAPPUPDATE to its handlers. */
  updateApp(version = this.ctx.state.portal.appVersion + 1): void {
    updateApp(this.ctx, version);
  }

  /** (Re)install: after an uninstall, a new application_token; the wizard must finishInstall() again. */
  installApp(): InstallPost {
    return installApp(this.ctx);
  }

  /** ONAPPUNINSTALL (data[CLEAN]), then every token revoked and every binding gone. */
  uninstallApp(options: { clean?: boolean } = {}): void {
    uninstallApp(this.ctx, options.clean ?? false);
  }

  // ---- Events ---------------------------------------------------------------------------------------

  get deliveryMode(): DeliveryMode {
    return this.ctx.events.mode;
  }

  set deliveryMode(mode: DeliveryMode) {
    this.ctx.events.mode = mode;
  }

  /** Every delivery fails without reaching the handler, and is lost (there are no retries). */
  get deadEndpoint(): boolean {
    return this.ctx.events.deadEndpoint;
  }

  set deadEndpoint(dead: boolean) {
    this.ctx.events.deadEndpoint = dead;
  }

  set eventNameCase(value: 'upper' | 'camel') {
    this.ctx.events.eventNameCase = value;
  }

  flushEvents(options: FlushOptions = {}): Promise<DeliveryRecord[]> {
    return this.ctx.events.flush(options);
  }

  queuedEvents(): readonly PendingDelivery[] {
    return this.ctx.events.queued();
  }

  /** Resolves when every delivery already started has been made (or has failed). */
  waitForDeliveries(): Promise<void> {
    return this.ctx.events.idle();
  }

  deliveries(): readonly DeliveryRecord[] {
    return this.ctx.events.deliveries;
  }

  // ---- Limits and counters --------------------------------------------------------------------------

  setRateLimit(config: Partial<BucketConfig>): void {
    this.ctx.bucket.config = { ...this.ctx.bucket.config, ...config };
  }

  get rateLimit(): Readonly<BucketConfig> {
    return this.ctx.bucket.config;
  }

  bucketLevel(): number {
    return this.ctx.bucket.current();
  }

  fillBucket(requests: number): void {
    this.ctx.bucket.fill(requests);
  }

  /**
   * The method's accumulated execution time passed the operating limit: calls to it (batch commands
   * included) answer 429 OPERATION_TIME_LIMIT until `seconds` have passed on the sandbox clock.
   */
  /** Every REST call fails (500, 503, or no answer) until `outage(null)`. OAuth keeps working. */
  outage(mode: SandboxOutage | null): void {
    this.ctx.outage = mode;
  }

  blockMethod(method: string, seconds: number): void {
    this.ctx.state.operatingBlocks.set(method.toLowerCase(), this.ctx.clock.now() + seconds * 1000);
  }

  stats(): CallStatsSnapshot {
    return this.ctx.stats.snapshot();
  }

  resetStats(): void {
    this.ctx.stats.reset();
  }
}

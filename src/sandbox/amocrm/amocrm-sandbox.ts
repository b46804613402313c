import express from 'express';
import jwt from 'jsonwebtoken';
import { createHmac, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { activityRouter } from './sandbox-activity.router.js';
import { adminRouter } from './sandbox-admin.router.js';
import { amoSystemClock, unixOf, type AmoSandboxClock } from './sandbox-clock.js';
import { controlRouter } from './sandbox-control.router.js';
import { AmoSandboxCrm, type LeadInput } from './sandbox-crm.js';
import { AmoSandboxGate } from './sandbox-gate.js';
import { problem } from './sandbox-hal.js';
import { AmoSandboxIds } from './sandbox-ids.js';
import { leadsRouter } from './sandbox-leads.router.js';
import { AmoSandboxOAuth, type AmoSandboxTokenPair } from './sandbox-oauth.js';
import { SANDBOX_ADMIN_ID, seedAmoSandbox } from './sandbox-seed.js';
import { AmoSandboxState, type SbLead, type SbNote, type SbTask } from './sandbox-state.js';
import { AmoSandboxWebhooks, type AmoDelivery, type AmoWebhookMode } from './sandbox-webhooks.js';

export interface AmoCrmSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  accountId?: number;
  subdomain?: string;
  clock?: AmoSandboxClock;
  /** Requests per second before 429 (docs/limitations: 7 per integration). */
  rateLimitPerSec?: number;
  blockAfter429s?: number | null;
  refreshGrace?: 'none' | 'until-new-used';
  accessTokenTtlSec?: number;
  webhookMode?: AmoWebhookMode;
  /** amoCRM waits 2 s for a webhook answer (webhooks-general). */
  webhookTimeoutMs?: number;
  /** The integration's "disable hook" URL (oauth-20), called by disableIntegration(). */
  disableHookUrl?: string | null;
  /** Mount /_sandbox control routes (the demo drives the account over HTTP). */
  controlRoutes?: boolean;
}

/**
 * An in-memory amoCRM account speaking the documented wire formats (shared/protocols/amocrm.md):
 * OAuth with rotating refresh tokens, the API v4 subset Stageguard uses, 429 past the rate limit,
 * and webhooks in the documented form encoding. Tests and the demo drive it through the methods
 * below (or /_sandbox routes), never through its internals.
 */
export class AmoCrmSandbox {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly clock: AmoSandboxClock;
  readonly state: AmoSandboxState;
  readonly oauth: AmoSandboxOAuth;
  readonly gate: AmoSandboxGate;
  readonly webhooks: AmoSandboxWebhooks;
  readonly crm: AmoSandboxCrm;
  private readonly ids = new AmoSandboxIds({ lead: 30_000_001, task: 40_000_001, note: 50_000_001, field: 800_001, enum: 900_001, webhook: 1 });
  private server: Server | null = null;
  private url = '';

  constructor(private readonly options: AmoCrmSandboxOptions = {}) {
    this.clientId = options.clientId ?? '0b0123f4-5678-4abc-9def-0123456789ab';
    this.clientSecret = options.clientSecret ?? 'sandbox-client-secret';
    this.redirectUri = options.redirectUri ?? 'https://stageguard.test/amocrm/install';
    this.clock = options.clock ?? amoSystemClock;
    this.state = new AmoSandboxState(options.accountId ?? 31_000_001, options.subdomain ?? 'sandbox');
    seedAmoSandbox(this.state, unixOf(this.clock));
    this.oauth = new AmoSandboxOAuth(
      { clientId: this.clientId, clientSecret: this.clientSecret, redirectUri: this.redirectUri, refreshGrace: options.refreshGrace, accessTtlSec: options.accessTokenTtlSec },
      this.clock,
    );
    this.gate = new AmoSandboxGate(this.clock, this.oauth, { perSecond: options.rateLimitPerSec ?? 7, blockAfter429s: options.blockAfter429s ?? null });
    this.webhooks = new AmoSandboxWebhooks(this.state, this.clock, () => this.baseUrl, options.webhookTimeoutMs ?? 2000);
    this.webhooks.mode = options.webhookMode ?? 'immediate';
    this.crm = new AmoSandboxCrm(this.state, this.clock, this.ids, this.webhooks);
  }

  async start(port = 0): Promise<string> {
    const app = express();
    const base = () => this.baseUrl;
    app.disable('x-powered-by');
    app.use(this.gate.recorder());
    app.use(this.oauth.router());
    if (this.options.controlRoutes) app.use('/_sandbox', controlRouter(this));
    app.use('/api/v4', this.gate.guard());
    app.use(activityRouter(this.state, this.crm, base));
    app.use(adminRouter(this.state, this.clock, this.ids, base));
    app.use(leadsRouter(this.state, this.crm, base));
    app.use((req, res) => problem(res, 404, 'Not Found', `Cannot ${req.method} ${this.baseUrl}${req.path}`));
    // Bad JSON bodies answer like the host: 400 problem+json.
    app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      problem(res, err.status && err.status < 500 ? err.status : 400, 'Bad Request', err.type === 'entity.parse.failed' ? 'Request body is not valid JSON' : 'Bad request');
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.webhooks.idle();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  /** `http://127.0.0.1:port`: what the connector uses as the account base URL. */
  get baseUrl(): string {
    return this.url;
  }

  /** The install redirect's `referer` (host[:port], no scheme) — validate with allowInsecureLoopback. */
  get referer(): string {
    return this.url.replace(/^http:\/\//, '');
  }

  get accountId(): number {
    return this.state.accountId;
  }

  // --- install / auth -------------------------------------------------------------------------

  /** The redirect amoCRM sends after "Allow": `{redirect_uri}?code=…&state=…&referer=…&client_id=…` (oauth-20). */
  installRedirectUrl(state: string | null = null, userId = SANDBOX_ADMIN_ID): string {
    const params = new URLSearchParams({ code: this.oauth.issueCode(userId), ...(state ? { state } : {}), referer: this.referer, client_id: this.clientId });
    return `${this.redirectUri}?${params.toString()}`;
  }

  issueCode(userId = SANDBOX_ADMIN_ID): string {
    return this.oauth.issueCode(userId);
  }

  /** A token pair as if the install had already happened. */
  issueTokens(userId = SANDBOX_ADMIN_ID): AmoSandboxTokenPair {
    return this.oauth.issueTokens(userId);
  }

  /**
   * The admin disables the integration: tokens are revoked (API answers 401) and the disable hook
   * is called: GET {url}?client_uuid=…&account_id=…&signature=hex(HMAC-SHA256(secret, "client_id|account_id")).
   */
  async disableIntegration(signWith = this.clientSecret): Promise<{ status: number | null }> {
    this.oauth.revokeAll();
    if (!this.options.disableHookUrl) return { status: null };
    const signature = createHmac('sha256', signWith).update(`${this.clientId}|${this.accountId}`).digest('hex');
    const url = new URL(this.options.disableHookUrl);
    url.searchParams.set('client_uuid', this.clientId);
    url.searchParams.set('account_id', String(this.accountId));
    url.searchParams.set('signature', signature);
    try {
      const response = await fetch(url, { headers: { 'User-Agent': 'amoService-oAuth-Code-Sender/1.0' }, signal: AbortSignal.timeout(2000) });
      return { status: response.status };
    } catch {
      return { status: null };
    }
  }

  /** A widget's disposable token (one-time-tokens): HS256 with the client secret, 30 minutes. */
  widgetToken(options: { userId?: number; audience: string; jti?: string; lifetimeSec?: number }): string {
    const iat = unixOf(this.clock);
    return jwt.sign(
      {
        iss: this.baseUrl,
        aud: options.audience,
        jti: options.jti ?? randomUUID(),
        iat,
        nbf: iat,
        exp: iat + (options.lifetimeSec ?? 1800),
        account_id: this.accountId,
        user_id: options.userId ?? SANDBOX_ADMIN_ID,
        subdomain: this.state.subdomain,
        client_uuid: this.clientId,
      },
      this.clientSecret,
      { algorithm: 'HS256', noTimestamp: true },
    );
  }

  block(): void {
    this.gate.blocked = true;
  }

  unblock(): void {
    this.gate.blocked = false;
    this.gate.rateLimitHits = 0;
  }

  // --- the account, as users change it ----------------------------------------------------------

  createLead(input: LeadInput & { asUserId?: number } = {}): SbLead {
    return this.crm.createLead(input, input.asUserId ?? SANDBOX_ADMIN_ID);
  }

  moveLead(id: number, statusId: number, pipelineId?: number, asUserId = SANDBOX_ADMIN_ID): SbLead {
    return this.crm.updateLead(id, { status_id: statusId, ...(pipelineId === undefined ? {} : { pipeline_id: pipelineId }) }, asUserId);
  }

  updateLead(id: number, patch: Parameters<AmoSandboxCrm['updateLead']>[1], asUserId = SANDBOX_ADMIN_ID): SbLead {
    return this.crm.updateLead(id, patch, asUserId);
  }

  deleteLead(id: number, asUserId = SANDBOX_ADMIN_ID): void {
    this.crm.deleteLead(id, asUserId);
  }

  addTask(input: { leadId: number | null; text: string; responsibleUserId?: number; completeTill: number; taskTypeId?: number; asUserId?: number }): SbTask {
    const by = input.asUserId ?? SANDBOX_ADMIN_ID;
    return this.crm.addTask(
      {
        text: input.text,
        complete_till: input.completeTill,
        responsible_user_id: input.responsibleUserId ?? by,
        entity_type: input.leadId === null ? null : 'leads',
        entity_id: input.leadId,
        task_type_id: input.taskTypeId ?? 1,
        duration: 0,
        is_completed: false,
        result: null,
      },
      by,
    );
  }

  completeTask(id: number, resultText = '', asUserId = SANDBOX_ADMIN_ID): SbTask {
    return this.crm.updateTask(id, { is_completed: true, ...(resultText ? { result: { text: resultText } } : {}) }, asUserId);
  }

  /** A call logged on a lead the way telephony integrations do: a call_in / call_out note. */
  addCall(input: { leadId: number; direction: 'in' | 'out'; durationSec: number; userId?: number; phone?: string }): SbNote {
    return this.crm.addNote(
      'leads',
      input.leadId,
      input.direction === 'in' ? 'call_in' : 'call_out',
      { uniq: randomUUID(), duration: input.durationSec, source: 'sandbox-pbx', link: '', phone: input.phone ?? '+79990000000', call_result: '', call_status: 4 },
      input.userId ?? SANDBOX_ADMIN_ID,
    );
  }

  // --- what tests look at -----------------------------------------------------------------------

  lead(id: number): SbLead | undefined {
    return this.state.leads.get(id);
  }

  tasks(filter: { leadId?: number; responsibleUserId?: number } = {}): SbTask[] {
    return [...this.state.tasks.values()].filter(
      (t) => (filter.leadId === undefined || (t.entity_type === 'leads' && t.entity_id === filter.leadId)) && (filter.responsibleUserId === undefined || t.responsible_user_id === filter.responsibleUserId),
    );
  }

  notes(leadId?: number): SbNote[] {
    return [...this.state.notes.values()].filter((n) => leadId === undefined || (n.parent === 'leads' && n.entity_id === leadId));
  }

  callCount(filter: { method?: string; path?: string | RegExp; status?: number } = {}): number {
    return this.gate.callCount(filter);
  }

  get deliveries(): readonly AmoDelivery[] {
    return this.webhooks.deliveries;
  }

  setWebhookMode(mode: AmoWebhookMode): void {
    this.webhooks.mode = mode;
  }

  flushWebhooks(options: { duplicate?: boolean; reverse?: boolean } = {}): Promise<AmoDelivery[]> {
    return this.webhooks.flush(options);
  }

  /** Resolves once every immediate delivery under way has been answered (or timed out). */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }
}

import { ApiVersion, B24OAuth } from '@bitrix24/b24jssdk';
import type { AjaxResult, HandlerRefreshAuth, RestrictionParams, Result } from '@bitrix24/b24jssdk';
import { HostApiError } from '../host-api-error.js';
import { parseBitrix24Error } from './bitrix24-error.parser.js';
import { assertBitrix24Endpoint, oauthServerOf, restBase } from './bitrix24-endpoint.js';
import type { Bitrix24RateBudget, Bitrix24TokenStore, Bitrix24Tokens } from './bitrix24-ports.js';
import { DEFAULT_BITRIX24_RETRY_POLICY, decideBitrix24Retry } from './bitrix24-retry.policy.js';
import type { Bitrix24RetryPolicy } from './bitrix24-retry.policy.js';
import { sdkFailure } from './bitrix24-sdk-failure.js';
import { refreshBitrix24Token } from './bitrix24-token-refresh.js';

export interface Bitrix24ClientOptions {
  memberId: string;
  domain: string;
  /** The portal's REST base, e.g. `https://x.bitrix24.com/rest/`. */
  clientEndpoint: string;
  /** The OAuth server's REST base from the install data, e.g. `https://oauth.bitrix.info/rest/`. */
  serverEndpoint: string;
  clientId: string;
  clientSecret: string;
  tokens: Bitrix24TokenStore;
  budget: Bitrix24RateBudget;
  /** Plain-http loopback endpoints (the sandbox portal) are refused unless this is true. Default false. */
  allowInsecureLoopback?: boolean;
  /** Token endpoint origin; defaults to serverEndpoint without `/rest/`. For a custom OAuth server. */
  oauthServer?: string;
  /** Per HTTP request to the portal, for metrics and the "host calls per event" benchmark. */
  onCall?: (method: string, outcome: 'ok' | 'error') => void;
  /** Shorthand for retry.rateLimited.maxRetries (kept for existing callers). */
  maxThrottleRetries?: number;
  retry?: Partial<Bitrix24RetryPolicy>;
  /** A cloud request may run 60 s (limits.md); the SDK's default timeout is 30 s. */
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export type BatchCommand = { method: string; params: Record<string, unknown> };

export interface ListOptions {
  /** The id field in each returned row (`ID`, or `id` for crm.item / tasks). */
  idKey: string;
  /** The id field name for `order` and the `>` filter, when it differs from idKey (tasks: `ID`). */
  cursorIdKey?: string;
  /** The key under `result` that holds the rows (`items` for crm.item.list, `tasks`…). */
  customKeyForResult?: string;
}

/**
 * Far in the future on purpose: the SDK refreshes on its own when its clock says the token expired
 * (abstract-http.ts _ensureAuth). We refresh only when the portal answers expired_token, as the docs
 * ask (settings/oauth/auto-renewal.md: no refresh on a timer, "the application may be blocked").
 */
const SDK_EXPIRES_NEVER = 253_402_300_000; // 9999-12-31, unix seconds

/**
 * The official SDK (B24OAuth, actions.v2 call / batch / callList) with its own limiter and retries
 * switched off, so that:
 * - the per-portal budget shared by every process is taken before each HTTP request (an axios
 *   interceptor on the SDK's client, which also covers the SDK's own retry after a token refresh);
 * - throttling is waited out here by policy (bitrix24-retry.policy.ts), and a create is never
 *   repeated after an ambiguous failure (the SDK would: retryOnNetworkError defaults to true);
 * - a token refresh happens only on expired_token, through the token store: one per portal at a
 *   time across processes, the rotated pair stored before use. invalid_grant latches: every later
 *   call fails with AUTH_REVOKED without touching the network.
 */
export class Bitrix24Client {
  private sdkInstance: B24OAuth | null = null;
  /** The access token the SDK holds now: the one a 401 refers to. */
  private accessToken: string | null = null;
  private revoked: HostApiError | null = null;
  /** Last `time.operating_reset_at` per method, the documented first retry time after a 429. */
  private readonly operatingResetAt = new Map<string, unknown>();
  private readonly policy: Bitrix24RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly oauthServer: string;

  constructor(private readonly o: Bitrix24ClientOptions) {
    const insecure = o.allowInsecureLoopback === true;
    assertBitrix24Endpoint(o.clientEndpoint, 'Bitrix24 client_endpoint', insecure);
    this.oauthServer = o.oauthServer ?? oauthServerOf(o.serverEndpoint);
    assertBitrix24Endpoint(this.oauthServer, 'Bitrix24 OAuth server', insecure);
    const base = DEFAULT_BITRIX24_RETRY_POLICY;
    this.policy = {
      rateLimited: { ...base.rateLimited, ...o.retry?.rateLimited, ...(o.maxThrottleRetries !== undefined ? { maxRetries: o.maxThrottleRetries } : {}) },
      operatingLimit: { ...base.operatingLimit, ...o.retry?.operatingLimit },
      transient: { ...base.transient, ...o.retry?.transient },
    };
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = o.now ?? (() => new Date());
  }

  /** One method call; resolves to its `result`. `create` marks a non-idempotent call. */
  async call<T = unknown>(method: string, params: Record<string, unknown> = {}, opts: { create?: boolean } = {}): Promise<T> {
    return (await this.callPage<T>(method, params, opts)).result;
  }

  /** One call with the list paging facts: whether more rows follow (`next`) and `total`. */
  async callPage<T = unknown>(
    method: string,
    params: Record<string, unknown> = {},
    opts: { create?: boolean } = {},
  ): Promise<{ result: T; more: boolean; total: number }> {
    return this.withRetries(method, opts.create === true, async (sdk) => {
      const r = await sdk.actions.v2.call.make<T>({ method, params });
      const data = this.unwrap(method, r);
      return { result: data, more: r.isMore(), total: r.getTotal() };
    });
  }

  /**
   * Every row of a list method, paged by id without counting (`start: -1`, `>ID` filter:
   * settings/performance/huge-data.md) through the SDK's callList. Retried as a whole.
   */
  async callList<T = Record<string, unknown>>(method: string, params: Record<string, unknown>, list: ListOptions): Promise<T[]> {
    return this.withRetries(method, false, async (sdk) => {
      const r: Result<T[]> = await sdk.actions.v2.callList.make<T>({
        method,
        params,
        idKey: list.idKey,
        cursorIdKey: list.cursorIdKey,
        customKeyForResult: list.customKeyForResult,
      });
      if (!r.isSuccess) throw firstRaw(r.errors.values());
      return r.getData() ?? [];
    });
  }

  /**
   * Up to 50 commands in one request: one unit of the budget (limits.md). A throttled batch is
   * retried as a whole; a failed command comes back in `errors` for the caller to judge.
   */
  async batch(commands: Record<string, BatchCommand>): Promise<{ results: Record<string, unknown>; errors: Record<string, HostApiError> }> {
    const keys = Object.keys(commands);
    if (keys.length === 0) return { results: {}, errors: {} };
    if (keys.length > 50) throw new HostApiError('VALIDATION', `batch: ${keys.length} commands, the host takes at most 50 (batch.md)`);
    return this.withRetries('batch', false, async (sdk) => {
      const r = (await sdk.actions.v2.batch.make({
        calls: commands,
        options: { isHaltOnError: false, returnAjaxResult: true },
      })) as Result<Record<string, AjaxResult<unknown>>>;
      const data = r.getData() ?? {};
      const results: Record<string, unknown> = {};
      const errors: Record<string, HostApiError> = {};
      for (const key of keys) {
        const item = data[key];
        const result = item?.isSuccess ? item.getData()?.result : undefined;
        if (item?.isSuccess && result !== undefined) {
          results[key] = result;
          continue;
        }
        if (item && !item.isSuccess) {
          errors[key] = this.toHostError(firstRaw(item.errors.values()), { batchCommand: true });
          continue;
        }
        // Neither a result nor a coded error: the host put an error with an empty code in result_error
        // (legacy methods do: crm.activity.get answers "Activity is not found" with error ""), which the
        // SDK's parseErrorPayload does not count as an error. The answer it kept still has the text.
        const answer = (item as unknown as { _data?: { error?: unknown; error_description?: unknown } } | undefined)?._data;
        errors[key] =
          answer && (answer.error !== undefined || answer.error_description !== undefined)
            ? parseBitrix24Error({ kind: 'answer', status: null, body: { error: answer.error ?? '', error_description: answer.error_description ?? '' } }, this.now())
            : new HostApiError('UNKNOWN', `batch command ${key} (${commands[key]!.method}) returned no result`, null);
      }
      // The bucket refused the commands themselves: the whole batch goes again.
      const throttled = Object.values(errors).find((e) => e.code === 'RATE_LIMITED');
      if (throttled) throw throttled;
      return { results, errors };
    });
  }

  private unwrap<T>(method: string, r: AjaxResult<T>): T {
    if (!r.isSuccess) throw firstRaw(r.errors.values());
    const data = r.getData();
    const time = data?.time as { operating_reset_at?: unknown } | undefined;
    if (time?.operating_reset_at !== undefined) this.operatingResetAt.set(method, time.operating_reset_at);
    return data?.result as T;
  }

  private async withRetries<T>(method: string, create: boolean, fn: (sdk: B24OAuth) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.revoked) throw this.revoked;
      const sdk = await this.sdk();
      let error: HostApiError;
      try {
        return await fn(sdk);
      } catch (raw) {
        error = this.toHostError(raw, { method });
      }
      const decision = decideBitrix24Retry(this.policy, error, { attempt, create });
      if (!decision.retry) throw error;
      if (decision.blockPortal && this.o.budget.blockUntil) {
        // Every process waits, not only this one: the bucket is the portal's. take() then sleeps.
        await this.o.budget.blockUntil(new Date(this.now().getTime() + decision.waitMs));
      } else {
        await this.sleep(decision.waitMs);
      }
    }
  }

  private toHostError(raw: unknown, ctx: { method?: string; batchCommand?: boolean }): HostApiError {
    const f = sdkFailure(raw, { batchCommand: ctx.batchCommand });
    if (f.kind === 'decided') return f.error;
    if (f.kind === 'internal') throw f.error;
    const failure =
      f.failure.kind === 'answer' && ctx.method !== undefined ? { ...f.failure, operatingResetAt: this.operatingResetAt.get(ctx.method) } : f.failure;
    return parseBitrix24Error(failure, this.now());
  }

  private async sdk(): Promise<B24OAuth> {
    if (this.sdkInstance) return this.sdkInstance;
    const tokens = await this.o.tokens.load();
    this.accessToken = tokens.accessToken;
    const restrictionParams: Partial<RestrictionParams> = {
      // Permissive: our shared budget governs; the SDK's per-instance bucket cannot see other processes.
      rateLimit: { burstLimit: 1_000_000, drainRate: 1_000_000, adaptiveEnabled: false },
      operatingLimit: { windowMs: 600_000, limitMs: Number.MAX_SAFE_INTEGER, heavyPercent: 100 },
      adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 },
      // One attempt per call: our policy decides what repeats, and a repeated create could duplicate.
      maxRetries: 1,
      retryOnNetworkError: false,
    };
    const sdk = new B24OAuth(
      {
        applicationToken: '',
        userId: 0,
        memberId: this.o.memberId,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expires: SDK_EXPIRES_NEVER,
        expiresIn: 3600,
        scope: '',
        domain: this.o.domain,
        clientEndpoint: restBase(this.o.clientEndpoint),
        serverEndpoint: this.o.serverEndpoint,
        status: 'L',
        issuer: 'store',
      },
      { clientId: this.o.clientId, clientSecret: this.o.clientSecret },
      { restrictionParams },
    );
    sdk.offClientSideWarning();
    sdk.setCustomRefreshAuth(() => this.refresh());
    for (const version of [ApiVersion.v2, ApiVersion.v3]) {
      const http = sdk.getHttpClient(version).ajaxClient;
      http.defaults.timeout = this.o.requestTimeoutMs ?? 65_000;
      http.interceptors.request.use(async (config) => {
        await this.o.budget.take(1);
        return config;
      });
      http.interceptors.response.use(
        (response) => {
          this.o.onCall?.(methodOf(response.config?.url), 'ok');
          return response;
        },
        (error: unknown) => {
          this.o.onCall?.(methodOf((error as { config?: { url?: string } })?.config?.url), 'error');
          return Promise.reject(error);
        },
      );
    }
    this.sdkInstance = sdk;
    return sdk;
  }

  /** The SDK's custom refresh hook: called on a 401 expired_token / invalid_token, never on a timer. */
  private async refresh(): Promise<HandlerRefreshAuth> {
    const stale = this.accessToken ?? undefined;
    let fresh: Bitrix24Tokens;
    try {
      fresh = await this.o.tokens.refreshExclusive(async (current) => {
        // Another process refreshed while we waited for the lock: its pair is already stored.
        if (stale !== undefined && current.accessToken !== stale) return current;
        return refreshBitrix24Token(this.oauthServer, this.o.clientId, this.o.clientSecret, current.refreshToken, { now: this.now() });
      }, stale);
    } catch (err) {
      const error = err instanceof HostApiError ? err : new HostApiError('UNKNOWN', `token refresh failed: ${(err as Error)?.message ?? String(err)}`);
      if (error.code === 'AUTH_REVOKED') this.revoked = error;
      throw error;
    }
    this.accessToken = fresh.accessToken;
    return {
      access_token: fresh.accessToken,
      refresh_token: fresh.refreshToken,
      expires: String(SDK_EXPIRES_NEVER),
      expires_in: '3600',
      client_endpoint: restBase(this.o.clientEndpoint),
      server_endpoint: this.o.serverEndpoint,
      member_id: this.o.memberId,
      scope: '',
      status: 'L',
      domain: this.o.domain,
    };
  }
}

function firstRaw(errors: Iterable<unknown>): unknown {
  for (const e of errors) return e;
  return new HostApiError('UNKNOWN', 'the host reported a failure without an error');
}

/** `https://x/rest/crm.item.get?bx24_request_id=…` → `crm.item.get`. */
function methodOf(url: string | undefined): string {
  if (!url) return 'unknown';
  const path = url.split('?')[0] ?? '';
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || 'unknown';
}

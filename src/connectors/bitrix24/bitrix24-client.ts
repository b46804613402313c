import { B24OAuth } from '@bitrix24/b24jssdk';
import type { PortalTokens } from '../../portals/portal.js';
import { HostApiError } from '../host-api-error.js';
import { parseBitrix24Error } from './bitrix24-error.parser.js';
import { refreshBitrix24Token } from './bitrix24-token-refresh.js';

export interface Bitrix24TokenStore {
  load(): Promise<PortalTokens>;
  refreshExclusive(refresh: (current: PortalTokens) => Promise<PortalTokens>, staleAccessToken?: string): Promise<PortalTokens>;
}

export interface Bitrix24RateBudget {
  take(cost?: number): Promise<void>;
  blockUntil(until: Date): Promise<void>;
}

export interface Bitrix24ClientOptions {
  memberId: string;
  domain: string;
  clientEndpoint: string;
  serverEndpoint: string;
  clientId: string;
  clientSecret: string;
  tokens: Bitrix24TokenStore;
  budget: Bitrix24RateBudget;
  /** Counts calls for metrics and the "host calls per event" benchmark. */
  onCall?: (method: string, outcome: 'ok' | 'error') => void;
  /** Waits for throttling before giving the job back to the queue. */
  maxThrottleRetries?: number;
}

export type BatchCommand = { method: string; params: Record<string, unknown> };

/**
 * The official SDK (B24OAuth, actions.v2), with its own limiter and retries switched off: the
 * per-portal budget in Postgres governs every process, throttling is waited out here, and a create
 * is never retried after an ambiguous failure. Token refresh goes through the token store, so one
 * refresh per portal runs at a time across all processes and the rotated pair is stored first.
 */
export class Bitrix24Client {
  private sdk: B24OAuth | null = null;
  private accessToken: string | null = null;
  // The SDK wraps errors thrown by a custom refresh into its own; the original decides what happens.
  private refreshError: HostApiError | null = null;

  constructor(private readonly o: Bitrix24ClientOptions) {}

  async call<T = unknown>(method: string, params: Record<string, unknown> = {}, opts: { create?: boolean } = {}): Promise<T> {
    return this.withRetries(method, opts.create === true, async (sdk) => {
      const r = await sdk.actions.v2.call.make<T>({ method, params, requestId: `sg-${Date.now().toString(36)}` });
      if (!r.isSuccess) throw firstError(r.getErrors());
      return (r.getData() as { result: T }).result;
    });
  }

  /** Up to 50 commands in one request (one unit of the budget). Per-command errors come back as such. */
  async batch(commands: Record<string, BatchCommand>): Promise<{ results: Record<string, unknown>; errors: Record<string, HostApiError> }> {
    if (Object.keys(commands).length > 50) throw new Error('batch: at most 50 commands');
    return this.withRetries('batch', false, async (sdk) => {
      const r = await sdk.actions.v2.batch.make({ calls: commands, options: { isHaltOnError: false, returnAjaxResult: true }, requestId: `sg-${Date.now().toString(36)}` } as never);
      const data = r.getData() as Record<string, { isSuccess: boolean; getData(): { result: unknown }; getErrors(): Iterable<unknown> }> | undefined;
      const results: Record<string, unknown> = {};
      const errors: Record<string, HostApiError> = {};
      for (const key of Object.keys(commands)) {
        const item = data?.[key];
        if (item && item.isSuccess) results[key] = item.getData().result;
        else errors[key] = item ? firstError(item.getErrors()) : new HostApiError('UNKNOWN', `batch command ${key} returned nothing`);
      }
      // A throttled batch as a whole is retried; single failed commands are the caller's to judge.
      const throttled = Object.values(errors).find((e) => e.code === 'RATE_LIMITED');
      if (throttled) throw throttled;
      return { results, errors };
    });
  }

  private async withRetries<T>(method: string, create: boolean, fn: (sdk: B24OAuth) => Promise<T>): Promise<T> {
    const sdk = await this.client(create);
    for (let attempt = 0; ; attempt++) {
      await this.o.budget.take(1);
      try {
        const result = await fn(sdk);
        this.o.onCall?.(method, 'ok');
        return result;
      } catch (raw) {
        this.o.onCall?.(method, 'error');
        const err = this.refreshError ?? toHostError(raw);
        this.refreshError = null;
        // QUERY_LIMIT_EXCEEDED is refused before anything runs: safe to repeat even for a create.
        if (err.code === 'RATE_LIMITED' && attempt < (this.o.maxThrottleRetries ?? 5)) {
          await this.o.budget.blockUntil(new Date(Date.now() + (err.retryAfterSec ?? 1) * 1000));
          continue;
        }
        throw err;
      }
    }
  }

  private async client(create: boolean): Promise<B24OAuth> {
    if (this.sdk && !create) return this.sdk;
    const t = await this.o.tokens.load();
    this.accessToken = t.accessToken;
    const sdk = new B24OAuth(
      {
        applicationToken: '',
        userId: 0,
        memberId: this.o.memberId,
        accessToken: t.accessToken,
        refreshToken: t.refreshToken,
        expires: Math.floor(t.expiresAt.getTime() / 1000),
        expiresIn: Math.max(0, Math.floor((t.expiresAt.getTime() - Date.now()) / 1000)),
        scope: '',
        domain: this.o.domain,
        clientEndpoint: this.o.clientEndpoint,
        serverEndpoint: this.o.serverEndpoint,
        status: 'L',
        issuer: 'store',
      },
      { clientId: this.o.clientId, clientSecret: this.o.clientSecret },
      {
        restrictionParams: {
          rateLimit: { burstLimit: 1_000_000, drainRate: 1_000_000, adaptiveEnabled: false },
          adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 },
          // One attempt: throttling is handled above, and a retried create could duplicate.
          maxRetries: 1,
          retryOnNetworkError: false,
        } as never,
      },
    );
    sdk.offClientSideWarning();
    sdk.setCustomRefreshAuth(async () => {
      const stale = this.accessToken ?? undefined;
      let fresh: PortalTokens;
      try {
        fresh = await this.o.tokens.refreshExclusive(
          (cur) => refreshBitrix24Token(this.o.serverEndpoint, this.o.clientId, this.o.clientSecret, cur.refreshToken),
          stale,
        );
      } catch (err) {
        this.refreshError = toHostError(err);
        throw err;
      }
      this.accessToken = fresh.accessToken;
      return {
        access_token: fresh.accessToken,
        refresh_token: fresh.refreshToken,
        expires: Math.floor(fresh.expiresAt.getTime() / 1000),
        expires_in: Math.max(1, Math.floor((fresh.expiresAt.getTime() - Date.now()) / 1000)),
        client_endpoint: this.o.clientEndpoint,
        server_endpoint: this.o.serverEndpoint,
        member_id: this.o.memberId,
        scope: '',
        status: 'L',
        domain: this.o.domain,
      } as never;
    });
    if (!create) this.sdk = sdk;
    return sdk;
  }
}

function firstError(errors: Iterable<unknown>): HostApiError {
  for (const e of errors) return toHostError(e);
  return new HostApiError('UNKNOWN', 'the host reported a failure without an error');
}

function toHostError(raw: unknown): HostApiError {
  if (raw instanceof HostApiError) return raw;
  const e = raw as { code?: string; status?: number; message?: string; originalError?: unknown };
  if (e?.originalError instanceof HostApiError) return e.originalError;
  const code = e?.code ?? '';
  if (code === 'NETWORK_ERROR' || code === 'REQUEST_TIMEOUT' || code === 'ECONNRESET' || code === 'ECONNABORTED') {
    return parseBitrix24Error({ status: null, code, description: e.message ?? null, transport: true });
  }
  if (code.startsWith('JSSDK_')) return new HostApiError('UNKNOWN', e.message ?? code, e.status ?? null, code);
  return parseBitrix24Error({ status: e?.status ?? null, code: code || null, description: e?.message ?? null });
}

import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { HostApiError } from '../host-api-error.js';
import { parseAmoError } from './amocrm-error.parser.js';
import type { AmoOAuthClient } from './amocrm-oauth.js';
import type { AmoRateBudget, AmoTokenStore, AmoTokens } from './amocrm-ports.js';
import type { AmoCollection } from './amocrm-wire.types.js';

/**
 * What the client does by itself, as data. Everything else (5xx, timeouts, 404) is thrown and the
 * queue's policy decides (host-error-policy.ts): a 429 is waited out here because the host told us
 * exactly how long; a 401 gets one refresh because the access token lives only 24 h.
 */
export interface AmoRetryPolicy {
  /** 429s waited out inline per request before giving up with RATE_LIMITED. */
  maxRateLimitWaits: number;
  /** A longer retry_after is not slept through in a worker: RATE_LIMITED goes back to the queue. */
  maxInlineWaitSec: number;
  /** Waits when a 429 names no retry_after (the body may not even be JSON, §4). */
  backoffSec: number[];
  /** Refresh this long before the access token's expiry instead of collecting a 401 first. */
  refreshSkewSec: number;
}

export const AMO_RETRY_POLICY: AmoRetryPolicy = { maxRateLimitWaits: 5, maxInlineWaitSec: 60, backoffSec: [1, 2, 4, 8, 16], refreshSkewSec: 60 };

/**
 * `create` requests (a task, a note) are not idempotent on the host: after a response we never saw
 * (timeout, reset, 5xx), the object may exist. Such a failure is AMBIGUOUS and never retried here;
 * the action executor looks for the marker first.
 */
export type AmoRequestKind = 'read' | 'write' | 'create';

export interface AmoApiClientOptions {
  /** `https://{subdomain}.amocrm.ru` (from the install `referer`), or the sandbox's http://127.0.0.1:port. */
  baseUrl: string;
  /** Sent as X-Client-UUID, as the official SDK does (§1). */
  clientId: string;
  tokens: AmoTokenStore;
  budget: AmoRateBudget;
  oauth: Pick<AmoOAuthClient, 'refresh'>;
  http?: AxiosInstance;
  timeoutMs?: number;
  retry?: Partial<AmoRetryPolicy>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export interface AmoResponse<T> {
  status: number;
  /** null on 204 (amoCRM's "nothing"). */
  data: T | null;
}

export class AmoApiClient {
  private readonly http: AxiosInstance;
  private readonly policy: AmoRetryPolicy;
  private readonly origin: string;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: AmoApiClientOptions) {
    this.http = options.http ?? axios.create();
    this.policy = { ...AMO_RETRY_POLICY, ...options.retry };
    this.origin = new URL(options.baseUrl).origin;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get baseUrl(): string {
    return this.origin;
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, kind: AmoRequestKind, body?: unknown): Promise<AmoResponse<T>> {
    const url = this.resolve(pathOrUrl);
    let tokens = await this.currentTokens();
    let refreshed = false;
    let waits = 0;
    for (;;) {
      await this.options.budget.take();
      const response = await this.send(method, url, kind, tokens.accessToken, body);
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, data: response.status === 204 || response.data === '' ? null : (response.data as T) };
      }
      const err = parseAmoError({ status: response.status, body: response.data, headers: response.headers as Record<string, unknown>, now: this.now() });

      if (err.code === 'AUTH_EXPIRED') {
        // One forced refresh and one retry; a second 401 means the authorization itself is gone
        // (integration disabled, secret regenerated — oauth-20 "Revocation").
        if (refreshed) throw new HostApiError('AUTH_REVOKED', `${err.message} (after a token refresh)`, 401, 'UNAUTHORIZED_AFTER_REFRESH');
        tokens = await this.refresh(tokens.accessToken);
        refreshed = true;
        continue;
      }
      if (err.code === 'RATE_LIMITED') {
        const waitSec = err.retryAfterSec ?? this.policy.backoffSec[Math.min(waits, this.policy.backoffSec.length - 1)] ?? 1;
        await this.options.budget.blockUntil?.(new Date(this.now().getTime() + waitSec * 1000));
        if (waits >= this.policy.maxRateLimitWaits || waitSec > this.policy.maxInlineWaitSec) {
          throw new HostApiError('RATE_LIMITED', err.message, err.status, err.hostCode, waitSec);
        }
        waits += 1;
        await this.sleep(waitSec * 1000);
        continue;
      }
      if (err.hostCode === 'ACCOUNT_BLOCKED') {
        // Every further request would fail and may prolong the block: stop all workers (§4 design).
        await this.options.budget.blockUntil?.(new Date(this.now().getTime() + (err.retryAfterSec ?? 0) * 1000));
        throw err;
      }
      if (kind === 'create' && err.code === 'TEMPORARY') {
        throw new HostApiError('AMBIGUOUS', `${err.message} (a create may have happened)`, err.status, err.hostCode);
      }
      throw err;
    }
  }

  /** GET one entity; null when amoCRM says there is none (204 or 404). */
  async getOne<T>(path: string): Promise<T | null> {
    try {
      return (await this.request<T>('GET', path, 'read')).data;
    } catch (err) {
      if (err instanceof HostApiError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /** Follows `_links.next.href` until absent; each yield is one page's `_embedded[key]`. */
  async *pages<K extends string, T>(path: string, key: K): AsyncGenerator<T[]> {
    let next: string | null = path;
    const seen = new Set<string>();
    while (next !== null) {
      const url = this.resolve(next);
      if (seen.has(url)) return; // a `next` pointing back at a page already read would loop forever
      seen.add(url);
      const page = (await this.request<AmoCollection<K, T>>('GET', url, 'read')).data;
      if (page === null) return;
      yield page._embedded?.[key] ?? [];
      next = page._links?.next?.href ?? null;
    }
  }

  async collect<K extends string, T>(path: string, key: K): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.pages<K, T>(path, key)) all.push(...page);
    return all;
  }

  private async send(method: string, url: string, kind: AmoRequestKind, accessToken: string, body: unknown): Promise<AxiosResponse> {
    try {
      return await this.http.request({
        method,
        url,
        data: body,
        headers: {
          Authorization: `Bearer ${accessToken}`,
          Accept: 'application/json',
          'X-Client-UUID': this.options.clientId,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        timeout: this.options.timeoutMs ?? 15_000,
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const mapped = parseAmoError({ status: null, transportError: { code: e.code ?? null, message: e.message ?? null } });
      // A read or a PATCH that sets values can safely run again; only a create is really ambiguous.
      if (mapped.code === 'AMBIGUOUS' && kind !== 'create') throw new HostApiError('TEMPORARY', mapped.message, null, mapped.hostCode);
      throw mapped;
    }
  }

  private async currentTokens(): Promise<AmoTokens> {
    const tokens = await this.options.tokens.load();
    if (tokens === null) throw new HostApiError('AUTH_REVOKED', 'no amoCRM tokens for this account', null, 'NO_TOKENS');
    if (tokens.expiresAt.getTime() - this.policy.refreshSkewSec * 1000 <= this.now().getTime()) return this.refresh(tokens.accessToken);
    return tokens;
  }

  /**
   * Under the store's cross-process lock: if another worker already rotated the pair while we
   * waited, use theirs — refreshing again with a refresh token that was just replaced would fail
   * or, worse, orphan the pair it produced.
   */
  private refresh(staleAccessToken: string): Promise<AmoTokens> {
    return this.options.tokens.refreshExclusive(async (current) => {
      const fresh = current.expiresAt.getTime() - this.policy.refreshSkewSec * 1000 > this.now().getTime();
      if (current.accessToken !== staleAccessToken && fresh) return current;
      await this.options.budget.take();
      const grant = await this.options.oauth.refresh(this.origin, current.refreshToken);
      return { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: grant.expiresAt };
    });
  }

  private resolve(pathOrUrl: string): string {
    const url = new URL(pathOrUrl, this.origin);
    // `_links.next` is absolute; never send the bearer token anywhere but the account's own domain.
    if (url.origin !== this.origin) throw new HostApiError('UNKNOWN', `refusing to follow ${url.origin}: not the account domain`, null, 'FOREIGN_LINK');
    return url.toString();
  }
}

/** `[['filter[id][]', 1], ['limit', 250]]` → `filter%5Bid%5D%5B%5D=1&limit=250`; amoCRM reads PHP-style keys. */
export function amoQuery(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

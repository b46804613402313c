import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { Bitrix24Client } from '../../../src/connectors/bitrix24/bitrix24-client.js';
import type { Bitrix24ClientOptions } from '../../../src/connectors/bitrix24/bitrix24-client.js';
import type { Bitrix24RateBudget, Bitrix24TokenStore, Bitrix24Tokens } from '../../../src/connectors/bitrix24/bitrix24-ports.js';

export const PORTAL = 'https://some-domain.bitrix24.com';
export const OAUTH = 'https://oauth.bitrix.info';

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/bitrix24-connector', name), 'utf8')) as T;
}

/** Tokens in memory; refreshExclusive serializes like the Postgres store does and records each rotation. */
export class MemoryTokenStore implements Bitrix24TokenStore {
  saved: Bitrix24Tokens[] = [];
  refreshCalls = 0;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(public tokens: Bitrix24Tokens) {}

  async load(): Promise<Bitrix24Tokens> {
    return this.tokens;
  }

  refreshExclusive(refresh: (current: Bitrix24Tokens) => Promise<Bitrix24Tokens>): Promise<Bitrix24Tokens> {
    const run = this.lock.then(async () => {
      this.refreshCalls += 1;
      const next = await refresh(this.tokens);
      if (next !== this.tokens) {
        this.tokens = next;
        this.saved.push(next);
      }
      return next;
    });
    this.lock = run.catch(() => undefined);
    return run;
  }
}

export class CountingBudget implements Bitrix24RateBudget {
  taken = 0;
  blocks: Date[] = [];
  async take(cost = 1): Promise<void> {
    this.taken += cost;
  }
  async blockUntil(until: Date): Promise<void> {
    this.blocks.push(until);
  }
}

export const TOKENS: Bitrix24Tokens = {
  accessToken: 's6p6eclrvim6da22ft9ch94ekreb52lv',
  refreshToken: '4s386p3q0tr8dy89xvmt96234v3dljg8',
  expiresAt: new Date('2030-01-01T00:00:00Z'),
};

export interface Harness {
  client: Bitrix24Client;
  store: MemoryTokenStore;
  budget: CountingBudget;
  sleeps: number[];
}

export function harness(opts: Partial<Bitrix24ClientOptions> = {}, tokens: Bitrix24Tokens = TOKENS): Harness {
  const store = new MemoryTokenStore(tokens);
  const budget = new CountingBudget();
  const sleeps: number[] = [];
  const client = new Bitrix24Client({
    memberId: 'a223c6b3710f85df22e9377d6c4f7553',
    domain: 'some-domain.bitrix24.com',
    clientEndpoint: `${PORTAL}/rest/`,
    serverEndpoint: `${OAUTH}/rest/`,
    clientId: 'app.test',
    clientSecret: 'secret',
    tokens: store,
    budget,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => new Date('2025-09-09T13:31:12Z'),
    ...opts,
  });
  return { client, store, budget, sleeps };
}

/** The portal's REST endpoint; the SDK adds bx24_* telemetry to the query of every call. */
export function rest(origin = PORTAL) {
  return nock(origin);
}

export function restPath(method: string): RegExp {
  return new RegExp(`^/rest/${method.replace(/\./g, '\\.')}(\\?|$)`);
}

/** Every response carries a `time` block (api-reference/data-types.md#time). */
export const TIME = {
  start: 1757424671.509725,
  finish: 1757424672.203906,
  duration: 0.694180965423584,
  processing: 0.6726489067077637,
  date_start: '2025-09-09T16:31:11+03:00',
  date_finish: '2025-09-09T16:31:12+03:00',
  operating_reset_at: 1757425271,
  operating: 0.6726338863372803,
};

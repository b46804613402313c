import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { Bitrix24Client } from '../../../src/connectors/bitrix24/bitrix24-client.js';
import type { Bitrix24ClientOptions } from '../../../src/connectors/bitrix24/bitrix24-client.js';
import type { Bitrix24RateBudget, Bitrix24TokenStore, Bitrix24Tokens } from '../../../src/connectors/bitrix24/bitrix24-ports.js';
import { Bitrix24Connector } from '../../../src/connectors/bitrix24/bitrix24.connector.js';
import type { Bitrix24ConnectorOptions } from '../../../src/connectors/bitrix24/bitrix24.connector.js';
import { parseFormBody } from '../../../src/webhooks/bitrix24/form-body.parser.js';

export const PORTAL = 'https://some-domain.bitrix24.com';
export const OAUTH = 'https://oauth.bitrix.info';

export function fixture(name: string): any {
  return JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/bitrix24-connector', name), 'utf8'));
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

/**
 * A batch answer in the documented shape (settings/how-to-call-rest-api/batch.md). PHP serializes an
 * empty map as `[]`, so absent parts are sent that way.
 */
export function batchAnswer(
  results: Record<string, unknown>,
  errors: Record<string, { error: string; error_description: string }> = {},
  totals: Record<string, number> = {},
) {
  const empty = (o: Record<string, unknown>) => (Object.keys(o).length === 0 ? [] : o);
  return {
    result: {
      result: empty(results),
      result_error: empty(errors),
      result_total: empty(totals),
      result_next: [],
      result_time: empty(Object.fromEntries(Object.keys(results).map((k) => [k, { start: 1, finish: 1.1, duration: 0.1, processing: 0.1 }]))),
    },
    time: TIME,
  };
}

/** The `cmd` strings of a batch request, parsed back into method + params. */
export function parseBatchCmd(cmd: Record<string, string>): Record<string, { method: string; params: Record<string, unknown> }> {
  return Object.fromEntries(
    Object.entries(cmd).map(([key, line]) => {
      const [method, query = ''] = line.split('?');
      const parsed = parseFormBody(query, { maxLength: 100_000 });
      if (!parsed.ok) throw parsed.error;
      return [key, { method: method!, params: parsed.value }];
    }),
  );
}

export function connectorHarness(options: Partial<Bitrix24ConnectorOptions> = {}, clientOptions: Partial<Bitrix24ClientOptions> = {}) {
  const h = harness(clientOptions);
  const connector = new Bitrix24Connector(h.client, { goalFieldName: 'UF_CRM_STAGEGUARD_GOAL', goalEnum: { '3157': 'meeting_held' }, ...options });
  return { ...h, connector };
}

/** Records each JSON request body sent to a REST method, for assertions on the request shape. */
export function capture(method: string, reply: unknown | ((body: any) => unknown), status = 200, origin = PORTAL): any[] {
  const bodies: any[] = [];
  nock(origin)
    .post(restPath(method), (body) => {
      bodies.push(body);
      return true;
    })
    .reply(() => [status, typeof reply === 'function' ? (reply as (b: any) => unknown)(bodies[bodies.length - 1]) : reply]);
  return bodies;
}

/**
 * nock with unmatched requests failing; call once per test file. Jest loads a fresh nock per file
 * (ESM module registry), so without restore() this file's interceptor would keep answering the next
 * file's requests with 501.
 */
export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

import nock from 'nock';
import { AmoCrmConnector, type AmoCrmConnectorOptions } from '../../src/connectors/amocrm/amocrm.connector.js';
import { AmoOAuthClient } from '../../src/connectors/amocrm/amocrm-oauth.js';
import { InMemoryAmoTokenStore } from '../../src/connectors/amocrm/amocrm-ports.memory.js';
import type { AmoRateBudget } from '../../src/connectors/amocrm/amocrm-ports.js';

export const BASE = 'https://example.amocrm.ru';
export const NOW = new Date('2026-01-12T09:00:00Z');
export const CLIENT = { clientId: '01d01160-aaaa-bbbb-cccc-0123456789ab', clientSecret: 'top-secret', redirectUri: 'https://app.example.com/amocrm/install' };

export class CountingBudget implements AmoRateBudget {
  takes = 0;
  blocks: Date[] = [];
  async take(): Promise<void> {
    this.takes += 1;
  }
  async blockUntil(until: Date): Promise<void> {
    this.blocks.push(until);
  }
}

export function harness(overrides: Partial<AmoCrmConnectorOptions> = {}) {
  const store = new InMemoryAmoTokenStore({ accessToken: 'A1', refreshToken: 'R1', expiresAt: new Date(NOW.getTime() + 86_400_000) });
  const budget = new CountingBudget();
  const sleeps: number[] = [];
  const oauth = new AmoOAuthClient({ ...CLIENT, now: () => NOW });
  const connector = new AmoCrmConnector({
    baseUrl: BASE,
    clientId: CLIENT.clientId,
    tokens: store,
    budget,
    oauth,
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    goalField: { fieldId: 555001, codesByEnumId: { '9001': 'meeting_held' } },
    currency: 'RUB',
    ...overrides,
  });
  return { store, budget, sleeps, connector };
}

/** Decoded query pairs of a request URI, sorted, for comparing request shapes. */
export function queryOf(uri: string): [string, string][] {
  const search = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '';
  return [...new URLSearchParams(search).entries()].sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
}

export function sorted(pairs: [string, string][]): [string, string][] {
  return [...pairs].sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
}

/** nock scope on the account with the bearer token checked. */
export function api(token = 'A1'): nock.Scope {
  return nock(BASE, { reqheaders: { authorization: `Bearer ${token}`, 'x-client-uuid': CLIENT.clientId } });
}

export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  // Jest gives each test file its own nock instance, but they all patch the same http module:
  // without restore() this file's interceptor would keep answering the next file's requests.
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

// What method handlers, the routers and the control surface share. One portal per sandbox.

import type { SandboxClock } from './clock.js';
import type { CallStats } from './call-stats.js';
import type { CrmService } from './crm-service.js';
import type { EventDispatcher } from './event-dispatcher.js';
import type { LeakyBucket } from './leaky-bucket.js';
import type { SandboxState } from './sandbox-state.js';
import type { TokenStore } from './token-store.js';

export interface AppLifecycle {
  /** The app is installed on the portal (false after uninstall). */
  installed: boolean;
  /** BX24.installFinish() was called; until then no events are delivered (installation-finish.md). */
  installFinished: boolean;
}

export interface SandboxContext {
  state: SandboxState;
  clock: SandboxClock;
  tokens: TokenStore;
  bucket: LeakyBucket;
  stats: CallStats;
  events: EventDispatcher;
  crm: CrmService;
  lifecycle: AppLifecycle;
  /** A host-side outage for fault tests: every REST call fails this way until cleared. */
  outage: SandboxOutage | null;
  /** `http://127.0.0.1:port` once started. */
  baseUrl(): string;
  /** client_endpoint / SERVER_ENDPOINT: `{baseUrl}/rest/`; the token endpoint is `{baseUrl}/oauth/token/`. */
  restEndpoint(): string;
  formatDate(ms: number): string;
  parseDate(value: unknown): number | null;
}

/**
 * How the portal fails during an outage: 500 INTERNAL_SERVER_ERROR, 503 without a code (a proxy in
 * front of the portal), or no answer at all for `hangMs` before the connection is dropped.
 */
export type SandboxOutage = { kind: 'http500' } | { kind: 'http503' } | { kind: 'hang'; hangMs: number };

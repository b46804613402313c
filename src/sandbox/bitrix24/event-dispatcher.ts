// The queue server between the portal and the app's handlers (api-reference/events/index.md):
// one form-encoded POST per bound handler per event, built like PHP's http_build_query; NO retries —
// a failed delivery is recorded and dropped; nothing at all before the install is finished
// (settings/app-installation/installation-finish.md). Ordering and duplicates are undocumented, so
// tests can ask for them explicitly: manual mode queues deliveries and flushEvents() replays them
// duplicated and/or reversed. deadEndpoint loses every delivery without contacting the handler.

import type { SandboxClock } from './clock.js';
import type { AppLifecycle } from './sandbox-context.js';
import type { EventBindingRecord, SandboxState } from './sandbox-state.js';
import { buildPhpQuery } from './php-query.js';

export type DeliveryMode = 'immediate' | 'manual';

export type AuthKind = 'user' | 'automation' | 'install' | 'update' | 'uninstall';

export interface EventAuthRequest {
  kind: AuthKind;
  /** The user whose action raised the event (tokens are issued for them). */
  userId: number | null;
  /** `auth[scope]`: the scope the event belongs to. */
  scope: string;
}

export interface PendingDelivery {
  seq: number;
  event: string;
  data: Record<string, unknown>;
  handler: string;
  /** Absent for the install callback, which is not an event.bind handler. */
  handlerId: number | null;
  auth: Record<string, string | number>;
  raisedAt: number;
}

export type DeliveryStatus = 'delivered' | 'failed' | 'dropped';

export interface DeliveryRecord {
  seq: number;
  event: string;
  handler: string;
  handlerId: number | null;
  status: DeliveryStatus;
  /** Why it failed or was dropped: `install-not-finished`, `dead-endpoint`, `http 500`, a network error. */
  reason?: string;
  httpStatus?: number;
  /** The exact form-encoded body sent (or that would have been sent). */
  body: string;
  at: number;
}

export interface FlushOptions {
  /** Deliver every queued event this many times (default 1). */
  duplicate?: number;
  /** Deliver in reverse order of occurrence. */
  reverse?: boolean;
}

export interface DispatcherDeps {
  state: SandboxState;
  clock: SandboxClock;
  lifecycle: AppLifecycle;
  buildAuth(request: EventAuthRequest): Record<string, string | number>;
}

const DELIVERY_TIMEOUT_MS = 5000;

export class EventDispatcher {
  mode: DeliveryMode = 'immediate';
  deadEndpoint = false;
  /** The docs print some events in camelCase (onCrmActivityAdd); the wire is uppercase (events/index.md). */
  eventNameCase: 'upper' | 'camel' = 'upper';
  readonly deliveries: DeliveryRecord[] = [];
  private queue: PendingDelivery[] = [];
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(private readonly deps: DispatcherDeps) {}

  /** An event happened on the portal: one delivery per handler bound to it. */
  raise(event: string, data: Record<string, unknown>, auth: EventAuthRequest): void {
    const name = event.toUpperCase();
    const bindings = this.deps.state.eventBindings.filter((b) => b.event === name && b.offline === 0);
    for (const binding of bindings) this.enqueue(this.pending(name, data, binding.handler, binding, auth));
  }

  /** The install callback of an app without UI: sent straight to the configured URL. */
  deliverDirect(event: string, data: Record<string, unknown>, handler: string, auth: EventAuthRequest): Promise<DeliveryRecord> {
    const item = this.pending(event.toUpperCase(), data, handler, null, auth);
    return this.serialize(() => this.send(item));
  }

  queued(): readonly PendingDelivery[] {
    return this.queue;
  }

  /** Manual mode: deliver what is queued, in the chosen order and multiplicity, one after another. */
  flush(options: FlushOptions = {}): Promise<DeliveryRecord[]> {
    const items = options.reverse ? [...this.queue].reverse() : [...this.queue];
    this.queue = [];
    const copies = Math.max(1, options.duplicate ?? 1);
    return this.serialize(async () => {
      const records: DeliveryRecord[] = [];
      for (const item of items) for (let i = 0; i < copies; i++) records.push(await this.send(item));
      return records;
    });
  }

  /** Drop what manual mode queued without delivering it. */
  discardQueued(): number {
    const n = this.queue.length;
    this.queue = [];
    return n;
  }

  /** Resolves when every immediate delivery started so far has finished. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  private pending(
    event: string,
    data: Record<string, unknown>,
    handler: string,
    binding: EventBindingRecord | null,
    auth: EventAuthRequest,
  ): PendingDelivery {
    return {
      seq: ++this.seq,
      event,
      data,
      handler,
      handlerId: binding ? binding.id : null,
      // Tokens are minted when the event happens (they belong to the acting user), not when it is sent.
      auth: this.deps.buildAuth(auth),
      raisedAt: this.deps.clock.now(),
    };
  }

  private enqueue(item: PendingDelivery): void {
    if (!this.deps.lifecycle.installFinished) {
      this.record(item, 'dropped', this.body(item), { reason: 'install-not-finished' });
      return;
    }
    if (this.mode === 'manual') {
      this.queue.push(item);
      return;
    }
    void this.serialize(() => this.send(item));
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private body(item: PendingDelivery): string {
    const eventName = this.eventNameCase === 'upper' ? item.event : camelEventName(item.event);
    const payload: Record<string, unknown> = { event: eventName };
    if (item.handlerId !== null) payload.event_handler_id = String(item.handlerId);
    payload.data = item.data;
    // "date and time of the event sent from the queue": the moment of sending, in unix seconds.
    payload.ts = String(Math.floor(this.deps.clock.now() / 1000));
    payload.auth = item.auth;
    return buildPhpQuery(payload);
  }

  private async send(item: PendingDelivery): Promise<DeliveryRecord> {
    const body = this.body(item);
    if (this.deadEndpoint) return this.record(item, 'failed', body, { reason: 'dead-endpoint' });
    try {
      const response = await fetch(item.handler, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'Bitrix24 Webhook Engine' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        return this.record(item, 'delivered', body, { httpStatus: response.status });
      }
      return this.record(item, 'failed', body, { httpStatus: response.status, reason: `http ${response.status}` });
    } catch (error) {
      return this.record(item, 'failed', body, { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private record(
    item: PendingDelivery,
    status: DeliveryStatus,
    body: string,
    extra: { reason?: string; httpStatus?: number },
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      seq: item.seq,
      event: item.event,
      handler: item.handler,
      handlerId: item.handlerId,
      status,
      body,
      at: this.deps.clock.now(),
      ...extra,
    };
    this.deliveries.push(record);
    return record;
  }
}

/** ONCRMACTIVITYADD → onCrmActivityAdd, the spelling some doc examples use. */
function camelEventName(upper: string): string {
  const known: Record<string, string> = {
    ONCRMDEALADD: 'onCrmDealAdd',
    ONCRMDEALUPDATE: 'onCrmDealUpdate',
    ONCRMDEALDELETE: 'onCrmDealDelete',
    ONCRMDEALMOVETOCATEGORY: 'onCrmDealMoveToCategory',
    ONCRMACTIVITYADD: 'onCrmActivityAdd',
    ONCRMACTIVITYUPDATE: 'onCrmActivityUpdate',
    ONCRMACTIVITYDELETE: 'onCrmActivityDelete',
    ONCRMLEADADD: 'onCrmLeadAdd',
    ONCRMLEADUPDATE: 'onCrmLeadUpdate',
    ONAPPINSTALL: 'onAppInstall',
    ONAPPUPDATE: 'onAppUpdate',
    ONAPPUNINSTALL: 'onAppUninstall',
  };
  return known[upper] ?? upper;
}

import { randomUUID } from 'node:crypto';
import { unixOf, type AmoSandboxClock } from './sandbox-clock.js';
import type { AmoSandboxState, SbWebhook } from './sandbox-state.js';

// Account webhooks (developers.kommo.com/docs/webhooks-general, amocrm.ru …/webhooks-format):
// POST, application/x-www-form-urlencoded, PHP-style keys `{entity}[{action}][{i}][{field}]`, all
// values strings, several entities/actions batched in one request, `account[subdomain]`,
// `account[id]`, `account[_links][self]` appended. amoCRM waits 2 s; 100–299 is success.
// After >100 invalid responses in 2 hours (and the last one invalid) it disables the webhook.
// The real host retries a failed delivery (+5 min, +15 min, …); this sandbox does NOT: a failed
// delivery is dropped, so a receiver that depends on retries is caught.

export type AmoFormTree = { [key: string]: string | AmoFormTree };

export interface AmoHookItem {
  /** The webhook setting that subscribes to it: `status_lead`, `add_task`, `note_lead`… */
  setting: string;
  /** Wire entity key: `leads`, `contacts` (also companies), `task` (singular on the wire). */
  entity: string;
  action: string;
  fields: AmoFormTree;
}

/** immediate: sent as it happens · manual: queued until flush() · dead: every delivery fails. */
export type AmoWebhookMode = 'immediate' | 'manual' | 'dead';

export interface AmoDelivery {
  webhookId: number;
  destination: string;
  body: string;
  /** HTTP status, or null when nothing answered. */
  status: number | null;
  error: string | null;
  at: number;
}

interface Pending {
  webhookId: number;
  destination: string;
  body: string;
}

const AUTO_DISABLE_WINDOW_SEC = 2 * 3600;
const AUTO_DISABLE_FAILURES = 100;

export class AmoSandboxWebhooks {
  mode: AmoWebhookMode = 'immediate';
  readonly deliveries: AmoDelivery[] = [];
  private readonly queue: Pending[] = [];
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly state: AmoSandboxState,
    private readonly clock: AmoSandboxClock,
    private readonly accountUrl: () => string,
    private readonly timeoutMs = 2000,
  ) {}

  /** One mutation's hook items: each subscribed webhook gets them in ONE request. */
  emit(items: AmoHookItem[]): void {
    for (const webhook of this.state.webhooks.values()) {
      if (webhook.disabled) continue;
      const mine = items.filter((i) => webhook.settings.includes(i.setting));
      if (mine.length === 0) continue;
      const pending = { webhookId: webhook.id, destination: webhook.destination, body: this.encode(mine) };
      if (this.mode === 'manual') this.queue.push(pending);
      else this.track(this.deliver(pending));
    }
  }

  pending(): readonly Pending[] {
    return this.queue;
  }

  /** Sends what manual mode queued: optionally every body twice, optionally newest first. */
  async flush(options: { duplicate?: boolean; reverse?: boolean } = {}): Promise<AmoDelivery[]> {
    const batch = this.queue.splice(0, this.queue.length);
    const ordered = options.reverse ? batch.reverse() : batch;
    const from = this.deliveries.length;
    for (const item of ordered) {
      await this.deliver(item);
      if (options.duplicate) await this.deliver(item);
    }
    return this.deliveries.slice(from);
  }

  /** Resolves when every delivery under way has finished. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  encode(items: AmoHookItem[]): string {
    const pairs: [string, string][] = [];
    const index = new Map<string, number>();
    for (const item of items) {
      const slot = `${item.entity}[${item.action}]`;
      const i = index.get(slot) ?? 0;
      index.set(slot, i + 1);
      flatten(`${slot}[${i}]`, item.fields, pairs);
    }
    pairs.push(['account[subdomain]', this.state.subdomain], ['account[id]', String(this.state.accountId)], ['account[_links][self]', this.accountUrl()]);
    return pairs.map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join('&');
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async deliver(pending: Pending): Promise<void> {
    const at = unixOf(this.clock);
    let status: number | null = null;
    let error: string | null = null;
    if (this.mode === 'dead') {
      error = 'endpoint is dead';
    } else {
      try {
        const response = await fetch(pending.destination, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'amoCRM-Webhooks/3.0', 'X-Amocrm-Requestid': randomUUID() },
          body: pending.body,
          signal: AbortSignal.timeout(this.timeoutMs),
          redirect: 'manual',
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    this.deliveries.push({ ...pending, status, error, at });
    const webhook = this.state.webhooks.get(pending.webhookId);
    if (webhook && !(status !== null && status >= 100 && status <= 299)) this.recordFailure(webhook, at);
  }

  private recordFailure(webhook: SbWebhook, at: number): void {
    webhook.failures.push(at);
    webhook.failures = webhook.failures.filter((t) => t > at - AUTO_DISABLE_WINDOW_SEC);
    if (webhook.failures.length > AUTO_DISABLE_FAILURES) webhook.disabled = true;
  }
}

function flatten(prefix: string, value: string | AmoFormTree, out: [string, string][]): void {
  if (typeof value === 'string') {
    out.push([prefix, value]);
    return;
  }
  for (const [key, child] of Object.entries(value)) flatten(`${prefix}[${key}]`, child, out);
}

/** PHP urlencode: what amoCRM's senders produce (spaces as '+', brackets percent-encoded). */
function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

import { HostApiError } from '../host-api-error.js';
import { amoQuery, type AmoApiClient } from './amocrm-api.client.js';
import type { AmoGoalField } from './amocrm-lead.mapper.js';
import type { AmoCollection, AmoCustomField, AmoWebhook } from './amocrm-wire.types.js';

// Install-time work on an account: webhooks and the goal field. Each is idempotent, so a repeated
// install (or a retried install job) changes nothing twice.

/** The webhook actions Stageguard listens to (webhooks-api "available actions"). */
export const AMO_WEBHOOK_SETTINGS = ['add_lead', 'update_lead', 'status_lead', 'responsible_lead', 'delete_lead', 'restore_lead', 'note_lead', 'add_task', 'update_task', 'delete_task', 'note_contact', 'note_company'] as const;

/**
 * GET /api/v4/webhooks?filter[destination]= first: if our URL is there, enabled and subscribed to
 * at least `settings`, nothing is sent. Otherwise POST {destination, settings, sort}; the docs do
 * not say what a POST for an existing destination does — amoCRM's UI treats the destination as the
 * webhook's identity (DELETE is by destination, not id), so we rely on it replacing the settings
 * and re-enabling a webhook amoCRM disabled after failed deliveries. Admin rights needed.
 */
export async function registerAmoWebhook(api: AmoApiClient, destination: string, settings: readonly string[]): Promise<{ id: number; created: boolean }> {
  const existing = await findWebhook(api, destination);
  if (existing && !existing.disabled && settings.every((s) => existing.settings.includes(s))) return { id: existing.id, created: false };
  const wanted = [...new Set([...(existing?.settings ?? []), ...settings])];
  const { data } = await api.request<AmoWebhook>('POST', '/api/v4/webhooks', 'write', { destination, settings: wanted, sort: 10 });
  if (!data || typeof data.id !== 'number') throw new HostApiError('UNKNOWN', 'POST /api/v4/webhooks answered without the webhook', null, 'BAD_RESPONSE');
  return { id: data.id, created: true };
}

/** DELETE /api/v4/webhooks {destination} — by destination, not id. Already gone is fine. */
export async function unregisterAmoWebhook(api: AmoApiClient, destination: string): Promise<{ removed: boolean }> {
  if (!(await findWebhook(api, destination))) return { removed: false };
  try {
    await api.request('DELETE', '/api/v4/webhooks', 'write', { destination });
  } catch (err) {
    if (err instanceof HostApiError && err.code === 'NOT_FOUND') return { removed: false };
    throw err;
  }
  return { removed: true };
}

/** Every webhook destination on the account (admin only; 204 when there is none). */
export async function listAmoWebhookDestinations(api: AmoApiClient): Promise<string[]> {
  const { data } = await api.request<AmoCollection<'webhooks', AmoWebhook>>('GET', '/api/v4/webhooks', 'read');
  return (data?._embedded?.webhooks ?? []).map((w) => w.destination);
}

async function findWebhook(api: AmoApiClient, destination: string): Promise<AmoWebhook | null> {
  const { data } = await api.request<AmoCollection<'webhooks', AmoWebhook>>('GET', `/api/v4/webhooks?${amoQuery([['filter[destination]', destination]])}`, 'read');
  return (data?._embedded?.webhooks ?? []).find((w) => w.destination === destination) ?? null;
}

export interface AmoGoalOption {
  /** Our goal code ([A-Za-z0-9_-]). */
  code: string;
  /** What managers see in the select. */
  label: string;
}

/**
 * A lead `select` custom field named `name` with one enum per goal. Found by name and type; enums
 * missing from it are added with PATCH (which replaces the whole list, so existing enums are sent
 * back with their ids — dropping one would delete it and clear it on every lead).
 */
export async function ensureAmoGoalField(api: AmoApiClient, name: string, options: AmoGoalOption[]): Promise<Required<AmoGoalField>> {
  const fields = await api.collect<'custom_fields', AmoCustomField>(`/api/v4/leads/custom_fields?${amoQuery([['limit', 250]])}`, 'custom_fields');
  let field = fields.find((f) => f.name === name && f.type === 'select') ?? null;

  if (field === null) {
    const body = [{ name, type: 'select', sort: 500, enums: options.map((o, i) => ({ value: o.label, sort: (i + 1) * 10 })) }];
    const { data } = await api.request<AmoCollection<'custom_fields', AmoCustomField>>('POST', '/api/v4/leads/custom_fields', 'write', body);
    field = data?._embedded?.custom_fields?.[0] ?? null;
    if (field === null) throw new HostApiError('UNKNOWN', 'POST /api/v4/leads/custom_fields answered without the field', null, 'BAD_RESPONSE');
  } else {
    const enums = field.enums ?? [];
    const missing = options.filter((o) => !enums.some((e) => e.value === o.label));
    if (missing.length > 0) {
      const maxSort = enums.reduce((m, e) => Math.max(m, e.sort), 0);
      const body = {
        enums: [
          ...enums.map((e) => ({ id: e.id, value: e.value, sort: e.sort })),
          ...missing.map((o, i) => ({ value: o.label, sort: maxSort + (i + 1) * 10 })),
        ],
      };
      const { data } = await api.request<AmoCustomField>('PATCH', `/api/v4/leads/custom_fields/${field.id}`, 'write', body);
      field = { ...field, enums: data?.enums ?? null };
    }
  }
  // The docs do not promise enum ids in the POST/PATCH answer: read the field again when any is missing.
  const known = field.enums ?? [];
  if (!options.every((o) => known.some((e) => e.value === o.label))) {
    field = (await api.getOne<AmoCustomField>(`/api/v4/leads/custom_fields/${field.id}`)) ?? field;
  }

  const codesByEnumId: Record<string, string> = {};
  const enums = field.enums ?? [];
  for (const option of options) {
    const e = enums.find((x) => x.value === option.label);
    if (e) codesByEnumId[String(e.id)] = option.code;
  }
  return { fieldId: field.id, codesByEnumId };
}

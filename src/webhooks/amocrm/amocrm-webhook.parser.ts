import { createHash } from 'node:crypto';
import type { HostEvent } from '../bitrix24/host-event.js';
import {
  amoFormList,
  amoFormObject,
  amoFormString,
  isAmoFormObject,
  parseAmoFormBody,
  type AmoFormLimits,
  type AmoFormObject,
  type AmoFormValue,
} from './amocrm-form-body.parser.js';

export { verifyAmoWebhook, verifyAmoWebhookSecret } from './amocrm-webhook.verify.js';

/** Bodies past this are refused: a batch of 250 leads with custom fields stays well below it. */
export const AMO_WEBHOOK_MAX_BYTES = 256 * 1024;

/** A HostEvent plus the host's own name for what happened (`leads.status`), for the inbox row. */
export type AmoHostEvent = HostEvent & { hostEventName: string };

export type AmoWebhookParseResult =
  | { ok: true; accountId: string; subdomain: string | null; events: AmoHostEvent[] }
  | { ok: false; reason: string };

/**
 * Raw form body of an account webhook → one HostEvent per entity per action. Pure. One request may
 * carry several entities and actions at once (`leads[update][0]`, `leads[status][0]`, `task[add][0]`
 * …, shared/protocols/amocrm.md §2.2), so the answer is a list. Events are hints: each only says
 * which lead or activity to re-read; nothing else in the body is trusted.
 */
export function parseAmoWebhook(rawBody: string, limits: Partial<AmoFormLimits> = {}): AmoWebhookParseResult {
  const parsed = parseAmoFormBody(rawBody, { ...limits, maxLength: limits.maxLength ?? AMO_WEBHOOK_MAX_BYTES });
  if (!parsed.ok) return { ok: false, reason: `malformed body: ${parsed.message}` };
  return amoWebhookEventsFromForm(parsed.value);
}

export function amoWebhookEventsFromForm(form: AmoFormObject): AmoWebhookParseResult {
  // `account[id]` and `account[subdomain]` are appended to every delivery (webhooks-general).
  const account = amoFormObject(form.account);
  const accountId = amoFormString(account.id);
  if (accountId === undefined || !/^\d+$/.test(accountId)) return { ok: false, reason: 'missing or non-numeric "account[id]"' };
  const subdomain = amoFormString(account.subdomain) ?? null;

  const events: AmoHostEvent[] = [];
  for (const entity of Object.keys(form)) {
    if (entity === 'account') continue;
    const actions = amoFormObject(form[entity]);
    for (const action of Object.keys(actions)) {
      amoFormList(actions[action]).forEach((item) => {
        events.push(...entityEvents(accountId, entity, action, item));
      });
    }
  }
  return { ok: true, accountId, subdomain, events };
}

/** Documented call note types in webhooks: 10 incoming, 11 outgoing (webhooks-general, note_lead). */
const CALL_NOTE_TYPES = new Set(['10', '11']);

function entityEvents(accountId: string, entity: string, action: string, item: AmoFormObject): AmoHostEvent[] {
  const name = `${entity}.${action}`;
  const ignore = (entityId: string | null, reason: string): AmoHostEvent[] => [
    { kind: 'ignored', entityId, reason, accountId, dedupeKey: amoDedupeKey(accountId, entity, action, entityId ?? '', versionOf(item)), occurredAt: occurredAt(item), hostEventName: name },
  ];

  // Notes arrive under their parent entity, wrapped once more: `leads[note][0][note][id]`.
  const subject = action === 'note' && isAmoFormObject(item.note) ? item.note : item;
  const id = amoFormString(subject.id) ?? null;
  if (id === null || !/^\d+$/.test(id)) return ignore(null, `${name} without a numeric id`);
  const itemAccount = amoFormString(subject.account_id);
  if (itemAccount !== undefined && itemAccount !== accountId) return ignore(id, `${name} ${id} belongs to account ${itemAccount}`);

  const base = (kind: 'deal_changed' | 'deal_deleted' | 'activity_changed' | 'lead_added', entityId: string, tag = ''): AmoHostEvent => ({
    kind,
    entityId,
    accountId,
    dedupeKey: amoDedupeKey(accountId, entity, `${action}${tag}`, entityId, versionOf(subject)),
    occurredAt: occurredAt(subject),
    hostEventName: name,
  });

  switch (entity) {
    case 'leads':
      switch (action) {
        case 'add':
          // amoCRM's "lead" is the deal; a new one is also the incoming request the lead SLA times.
          return [base('deal_changed', id), base('lead_added', id, ':lead_added')];
        case 'update':
        case 'status':
        case 'responsible':
        case 'restore':
          return [base('deal_changed', id)];
        case 'delete':
          return [base('deal_deleted', id)];
        case 'note':
          return noteEvent(subject, 'leads', id, base, ignore);
        default:
          return ignore(id, `lead action "${action}" is not handled`);
      }
    case 'contacts': {
      // Contacts and companies share `contacts`, told apart by `type` (webhooks-general).
      const type = amoFormString(item.type) ?? amoFormString(subject.type) ?? 'contact';
      if (action === 'note') return noteEvent(subject, type === 'company' ? 'companies' : 'contacts', id, base, ignore);
      return ignore(id, `${type} ${action}: contacts and companies are not tracked`);
    }
    case 'task':
      // `task` is singular on the wire. A deleted task is re-read too: the read answers "gone".
      if (action === 'add' || action === 'update' || action === 'delete' || action === 'responsible') return [base('activity_changed', `task:${id}`)];
      return ignore(id, `task action "${action}" is not handled`);
    default:
      return ignore(id, `entity "${entity}" is not handled`);
  }
}

function noteEvent(
  note: AmoFormObject,
  parent: 'leads' | 'contacts' | 'companies',
  id: string,
  base: (kind: 'activity_changed', entityId: string) => AmoHostEvent,
  ignore: (entityId: string | null, reason: string) => AmoHostEvent[],
): AmoHostEvent[] {
  const type = amoFormString(note.note_type) ?? '';
  if (!CALL_NOTE_TYPES.has(type)) return ignore(id, `note type ${type || '(none)'} is not an activity`);
  return [base('activity_changed', amoNoteActivityId(parent, id))];
}

/** Notes live under their parent's endpoint (/api/v4/leads/notes/{id}), so the id carries the parent. */
export function amoNoteActivityId(parent: 'leads' | 'contacts' | 'companies', noteId: string): string {
  return `note:${parent}:${noteId}`;
}

/**
 * The inbox key. amoCRM retries a failed delivery with the same body, and may send the same change
 * twice; a second, different change in the same second has a different body. So the key is the
 * entity, the action, the id, the host's change time and a hash of every field the host sent
 * (shared/protocols/amocrm.md §2.3 "Handler recipe").
 */
export function amoDedupeKey(accountId: string, entity: string, action: string, entityId: string, version: string): string {
  return createHash('sha256').update(`amocrm|${accountId}|${entity}|${action}|${entityId}|${version}`).digest('hex');
}

function versionOf(item: AmoFormObject): string {
  const changedAt = amoFormString(item.updated_at) ?? amoFormString(item.last_modified) ?? amoFormString(item.timestamp_x) ?? '';
  return `${changedAt}|${createHash('sha256').update(stableJson(item)).digest('hex')}`;
}

function stableJson(value: AmoFormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(',')}}`;
}

/**
 * Leads carry unix `updated_at`/`last_modified`; tasks and notes carry local "YYYY-MM-DD HH:MM:SS"
 * strings in the account's timezone next to a unix `updated_at` (webhooks-general), so only unix
 * values are used.
 */
function occurredAt(item: AmoFormObject): string | null {
  for (const field of ['updated_at', 'last_modified', 'created_at', 'date_create']) {
    const value = amoFormString(item[field]);
    if (value !== undefined && /^\d{9,11}$/.test(value)) return new Date(Number(value) * 1000).toISOString();
  }
  return null;
}

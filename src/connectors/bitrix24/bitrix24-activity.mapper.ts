import type { Activity, ActivityKind } from '../../domain/crm.js';
import type { WireRow } from './bitrix24-wire.js';
import { wireIso, wireString } from './bitrix24-wire.js';

// crm.activity fields (crm-activity-fields.md, api-reference/crm/data-types.md#activity-enums).
// TYPE_ID: 1 meeting, 2 call, 3 task, 4 email, 6 provider-defined: the provider then says what it is.
const PROVIDER_KIND: Record<string, ActivityKind> = {
  VOXIMPLANT_CALL: 'call',
  CRM_CALL_TRACKER: 'call',
  CRM_EMAIL: 'email',
  IMOPENLINES_SESSION: 'chat',
  CRM_MEETING: 'meeting',
  CRM_TODO: 'task',
  TASKS: 'task',
  TASKS_TASK: 'task',
  CRM_DOCUMENT: 'offer',
  CRM_QUOTE: 'offer',
};
const TYPE_KIND: Record<string, ActivityKind> = { '1': 'meeting', '2': 'call', '3': 'task', '4': 'email' };

/** Deal ids from crm.activity.binding.list rows ({entityTypeId, entityId}; deals are type 2). */
export function dealIdsFromBindings(bindings: WireRow[]): string[] {
  return bindings.filter((b) => String(b.entityTypeId) === '2').map((b) => String(b.entityId));
}

/** Lead ids from the same rows (leads are type 1). */
export function leadIdsFromBindings(bindings: WireRow[]): string[] {
  return bindings.filter((b) => String(b.entityTypeId) === '1').map((b) => String(b.entityId));
}

export function isCallActivity(row: WireRow): boolean {
  return String(row.TYPE_ID) === '2' || PROVIDER_KIND[String(row.PROVIDER_ID ?? '')] === 'call';
}

/**
 * An activity row plus what the row itself cannot say: every deal it is bound to (an activity can be
 * bound to a contact first and a deal too: crm-activity-list.md, BINDINGS) and a call's talk time,
 * which is no activity field (telephony reports it: voximplant.statistic.get CALL_DURATION).
 */
export function mapActivity(row: WireRow, extra: { boundDealIds?: string[]; boundLeadIds?: string[]; durationSec?: number | null } = {}): Activity {
  const dealIds = new Set(extra.boundDealIds ?? []);
  if (String(row.OWNER_TYPE_ID) === '2' && wireString(row.OWNER_ID) !== null) dealIds.add(String(row.OWNER_ID));
  const leadIds = new Set(extra.boundLeadIds ?? []);
  if (String(row.OWNER_TYPE_ID) === '1' && wireString(row.OWNER_ID) !== null) leadIds.add(String(row.OWNER_ID));
  const direction = String(row.DIRECTION ?? '');
  return {
    id: String(row.ID),
    kind: PROVIDER_KIND[String(row.PROVIDER_ID ?? '')] ?? TYPE_KIND[String(row.TYPE_ID ?? '')] ?? 'other',
    // DIRECTION: 0 undefined, 1 incoming, 2 outgoing.
    direction: direction === '1' ? 'in' : direction === '2' ? 'out' : null,
    durationSec: extra.durationSec ?? null,
    completed: row.COMPLETED === 'Y' || row.COMPLETED === true,
    responsibleId: wireString(row.RESPONSIBLE_ID),
    dealIds: [...dealIds],
    ...(leadIds.size ? { leadIds: [...leadIds] } : {}),
    subject: String(row.SUBJECT ?? ''),
    createdAt: wireIso(row.CREATED) ?? new Date(0).toISOString(),
    startAt: wireIso(row.START_TIME),
    deadline: wireIso(row.DEADLINE),
  };
}

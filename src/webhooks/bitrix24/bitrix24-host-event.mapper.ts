import type { Bitrix24Event } from './bitrix24-event.types.js';
import type { HostEvent } from './host-event.js';
import { formPath, formString } from './form-fields.js';

type EntityKind = 'deal_changed' | 'deal_deleted' | 'activity_changed' | 'lead_added' | 'lead_changed';

/**
 * Events that carry only an entity id (docs: api-reference/crm/deals/events/index.md). Deal add and
 * update mean the same to us: re-read the deal and its stage history.
 */
const ENTITY_EVENTS: Record<string, EntityKind> = {
  ONCRMDEALADD: 'deal_changed',
  ONCRMDEALUPDATE: 'deal_changed',
  ONCRMDEALDELETE: 'deal_deleted',
  ONCRMACTIVITYADD: 'activity_changed',
  ONCRMACTIVITYUPDATE: 'activity_changed',
  // A Bitrix24 lead is its own entity (deals come from it): re-read it, for the first-response check.
  ONCRMLEADADD: 'lead_changed',
  ONCRMLEADUPDATE: 'lead_changed',
};

/** Bitrix24Event → HostEvent. Pure; unknown or incomplete events become `ignored` with a reason. */
export function toHostEvent(event: Bitrix24Event): HostEvent {
  const base = { accountId: event.memberId, dedupeKey: event.dedupeKey, occurredAt: tsToIso(event.ts) };
  const entityKind = ENTITY_EVENTS[event.name];
  if (entityKind !== undefined) {
    if (event.entityId === null) return { ...base, kind: 'ignored', entityId: null, reason: `${event.name} without data[FIELDS][ID]` };
    return { ...base, kind: entityKind, entityId: event.entityId };
  }
  switch (event.name) {
    case 'ONCRMDEALMOVETOCATEGORY':
      // A move to another funnel fires only this event, never ONCRMDEALUPDATE
      // (api-reference/crm/deals/events/index.md); FIELDS carries CATEGORY_ID and STAGE_ID.
      if (event.entityId === null) return { ...base, kind: 'ignored', entityId: null, reason: `${event.name} without data[FIELDS][ID]` };
      return {
        ...base,
        kind: 'deal_moved_category',
        entityId: event.entityId,
        pipelineId: formString(formPath(event.data, 'FIELDS', 'CATEGORY_ID')) ?? null,
        stageId: formString(formPath(event.data, 'FIELDS', 'STAGE_ID')) ?? null,
      };
    case 'ONAPPINSTALL':
      return { ...base, kind: 'app_installed', entityId: null, version: formString(event.data.VERSION) ?? null };
    case 'ONAPPUPDATE':
      // Carries the new application_token in auth (api-reference/common/events/on-app-update.md).
      return {
        ...base,
        kind: 'app_updated',
        entityId: null,
        version: formString(event.data.VERSION) ?? null,
        previousVersion: formString(event.data.PREVIOUS_VERSION) ?? null,
      };
    case 'ONAPPUNINSTALL':
      // CLEAN is 1 or 0 (api-reference/common/events/on-app-uninstall.md).
      return { ...base, kind: 'app_uninstalled', entityId: null, cleanData: formString(event.data.CLEAN) === '1' };
    default:
      return { ...base, kind: 'ignored', entityId: event.entityId, reason: `event ${event.name} is not handled` };
  }
}

function tsToIso(ts: string): string | null {
  if (!/^\d+$/.test(ts)) return null;
  const date = new Date(Number(ts) * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

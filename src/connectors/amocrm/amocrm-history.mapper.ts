import type { StageHistoryEntry } from '../../domain/crm.js';
import { amoIso } from './amocrm-lead.mapper.js';
import type { AmoEvent, AmoLead, AmoLeadStatusValue } from './amocrm-wire.types.js';

/**
 * A lead's stage history from the events API: every `lead_status_changed` event carries
 * value_before / value_after `[{"lead_status":{"id":…,"pipeline_id":…}}]` (crm_platform/events-and-notes).
 * amoCRM has no "created in stage X" row like Bitrix24's stage history, so one is made from the
 * lead itself: the stage before the first recorded move (or the current stage if it never moved),
 * at created_at. Its id is derived from the lead id, so it is stable across reads.
 */
export function amoStageHistory(lead: Pick<AmoLead, 'id' | 'status_id' | 'pipeline_id' | 'created_at' | 'created_by'> | null, events: AmoEvent[]): StageHistoryEntry[] {
  const moves = events
    .filter((e) => e.type === 'lead_status_changed' && (lead === null || e.entity_id === lead.id))
    .map((e) => ({ event: e, after: leadStatus(e.value_after), before: leadStatus(e.value_before) }))
    .filter((m): m is typeof m & { after: { id: number; pipeline_id: number } } => m.after !== null)
    .sort((a, b) => a.event.created_at - b.event.created_at || a.event.id.localeCompare(b.event.id));

  const entries: StageHistoryEntry[] = moves.map(({ event, after }) => ({
    id: event.id,
    dealId: String(event.entity_id),
    pipelineId: String(after.pipeline_id),
    stageId: String(after.id),
    at: amoIso(event.created_at) ?? new Date(0).toISOString(),
    byUserId: userId(event.created_by),
  }));

  if (lead !== null) {
    const initial = moves[0]?.before ?? { id: lead.status_id, pipeline_id: lead.pipeline_id };
    let createdMs = lead.created_at * 1000;
    // A move in the very second of creation must still sort after the creation (sync orders by
    // time, then id, and ids of different kinds do not compare): place creation 1 ms earlier.
    if (moves[0] && moves[0].event.created_at * 1000 <= createdMs) createdMs = moves[0].event.created_at * 1000 - 1;
    entries.unshift({
      id: amoCreationHistoryId(lead.id),
      dealId: String(lead.id),
      pipelineId: String(initial.pipeline_id),
      stageId: String(initial.id),
      at: new Date(createdMs).toISOString(),
      byUserId: userId(lead.created_by),
    });
  }
  return entries;
}

export function amoCreationHistoryId(leadId: number): string {
  return `created-${leadId}`;
}

function leadStatus(values: unknown[] | undefined): { id: number; pipeline_id: number } | null {
  for (const value of values ?? []) {
    const status = (value as AmoLeadStatusValue)?.lead_status;
    if (status && typeof status.id === 'number' && typeof status.pipeline_id === 'number') return status;
  }
  return null;
}

/** created_by 0 is amoCRM itself (robots, Digital Pipeline): no user to credit. */
function userId(id: number | undefined): string | null {
  return typeof id === 'number' && id > 0 ? String(id) : null;
}

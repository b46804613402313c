// A host-neutral event: what happened, to which entity, in which account. Each host's parser turns
// its own webhook into one of these; everything after the webhook edge speaks only this.
// Lives here until a second host needs it, then it moves next to the domain types.

interface HostEventBase {
  /** The installation the event belongs to: Bitrix24 member_id, amoCRM account id. */
  accountId: string;
  /** Unique per delivered event; the inbox de-duplicates on it. */
  dedupeKey: string;
  /** ISO date-time the host says the event was sent, when it says. */
  occurredAt: string | null;
}

export type HostEvent = HostEventBase &
  (
    | { kind: 'deal_changed' | 'deal_deleted' | 'activity_changed' | 'lead_added' | 'lead_changed'; entityId: string }
    | { kind: 'deal_moved_category'; entityId: string; pipelineId: string | null; stageId: string | null }
    | { kind: 'app_installed'; entityId: null; version: string | null }
    | { kind: 'app_updated'; entityId: null; version: string | null; previousVersion: string | null }
    /** `cleanData`: the user asked to delete the app's data (Bitrix24 CLEAN=1). */
    | { kind: 'app_uninstalled'; entityId: null; cleanData: boolean }
    | { kind: 'ignored'; entityId: string | null; reason: string }
  );

export type HostEventKind = HostEvent['kind'];

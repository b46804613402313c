// Host-neutral shapes. Everything after the edge (parsers, connectors) speaks these, never a host's wire format.

export type HostKind = 'bitrix24' | 'amocrm';

export type StageSemantics = 'process' | 'success' | 'failure';

export interface Stage {
  /** Host stage id; unique within its pipeline (amoCRM reuses 142/143 in every pipeline). */
  id: string;
  pipelineId: string;
  name: string;
  sort: number;
  semantics: StageSemantics;
}

export interface Pipeline {
  id: string;
  name: string;
  sort: number;
  isDefault: boolean;
  /** Ordered by sort. */
  stages: Stage[];
}

export interface Deal {
  id: string;
  pipelineId: string;
  stageId: string;
  title: string;
  responsibleId: string | null;
  amount: number | null;
  currency: string | null;
  /** ISO date-time or null. */
  closeDate: string | null;
  probability: number | null;
  companyId: string | null;
  contactId: string | null;
  /** ISO date-time. */
  createdAt: string;
  /** ISO date-time. */
  updatedAt: string;
  /** The stage-goal marker set by the manager in the card (the goal's code), if any. */
  goalMark: string | null;
  /** Every other field by its host name (custom fields included), for exit conditions and templates. */
  fields: Record<string, unknown>;
}

/** One row of the host's own stage history of a deal. */
export interface StageHistoryEntry {
  /** Host history row id, used to de-duplicate. */
  id: string;
  dealId: string;
  pipelineId: string;
  stageId: string;
  /** ISO date-time the deal entered stageId. */
  at: string;
  byUserId: string | null;
}

export interface StageTransition {
  dealId: string;
  pipelineId: string;
  fromPipelineId: string | null;
  fromStageId: string | null;
  toStageId: string;
  /** ISO date-time. */
  at: string;
  byUserId: string | null;
  /** Host history row id this transition was derived from. */
  hostHistoryId: string;
}

export type ActivityKind = 'call' | 'meeting' | 'email' | 'offer' | 'chat' | 'task' | 'other';

export interface Activity {
  id: string;
  kind: ActivityKind;
  direction: 'in' | 'out' | null;
  durationSec: number | null;
  completed: boolean;
  responsibleId: string | null;
  dealIds: string[];
  /** Leads it is bound to (Bitrix24 keeps leads apart from deals); absent where the host has none. */
  leadIds?: string[];
  subject: string;
  /** ISO date-time: when it was created on the host. */
  createdAt: string;
  /** ISO date-time: planned start (meetings, calls), null if none. */
  startAt: string | null;
  /** ISO date-time: deadline, null if none. */
  deadline: string | null;
}

/** A Bitrix24 lead: what the first-response check needs of it. */
export interface Lead {
  id: string;
  title: string;
  responsibleId: string | null;
  statusId: string | null;
  /** Neither converted nor junk (STATUS_SEMANTIC_ID "P"). */
  open: boolean;
  /** ISO date-time. */
  createdAt: string;
}

export interface HostUser {
  id: string;
  name: string;
  email: string | null;
  active: boolean;
  isAdmin: boolean;
}

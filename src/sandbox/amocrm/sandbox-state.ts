// The sandbox account's data, in the documented API v4 field names so serialising is a copy.
// One account per sandbox.

export interface SbCustomFieldValue {
  field_id: number;
  field_name: string;
  field_code: string | null;
  field_type: string;
  values: { value: string | number | boolean; enum_id?: number; enum_code?: string | null }[];
}

export interface SbLead {
  id: number;
  name: string;
  price: number;
  responsible_user_id: number;
  group_id: number;
  status_id: number;
  pipeline_id: number;
  loss_reason_id: number | null;
  source_id: number | null;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closest_task_at: number | null;
  is_deleted: boolean;
  custom_fields_values: SbCustomFieldValue[] | null;
  score: number | null;
  account_id: number;
  contacts: { id: number; is_main: boolean }[];
  companies: { id: number }[];
  tags: { id: number; name: string }[];
}

export interface SbStatus {
  id: number;
  name: string;
  sort: number;
  is_editable: boolean;
  pipeline_id: number;
  color: string;
  type: 0 | 1;
  account_id: number;
}

export interface SbPipeline {
  id: number;
  name: string;
  sort: number;
  is_main: boolean;
  is_unsorted_on: boolean;
  is_archive: boolean;
  account_id: number;
  statuses: SbStatus[];
}

export interface SbTask {
  id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  responsible_user_id: number;
  group_id: number;
  entity_id: number | null;
  entity_type: string | null;
  duration: number;
  is_completed: boolean;
  task_type_id: number;
  text: string;
  result: { text: string } | null;
  complete_till: number;
  account_id: number;
  request_id?: string;
}

export type SbNoteParent = 'leads' | 'contacts' | 'companies';

export interface SbNote {
  id: number;
  parent: SbNoteParent;
  entity_id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  responsible_user_id: number;
  group_id: number;
  note_type: string;
  params: Record<string, unknown>;
  account_id: number;
}

export interface SbEvent {
  id: string;
  type: string;
  entity_id: number;
  entity_type: string;
  created_by: number;
  created_at: number;
  value_after: unknown[];
  value_before: unknown[];
  account_id: number;
}

export interface SbUser {
  id: number;
  name: string;
  email: string;
  lang: string;
  is_admin: boolean;
  is_active: boolean;
}

export interface SbCustomField {
  id: number;
  entity_type: 'leads' | 'contacts' | 'companies';
  name: string;
  type: string;
  code: string | null;
  sort: number;
  is_api_only: boolean;
  enums: { id: number; value: string; sort: number }[] | null;
}

export interface SbClient {
  id: number;
  kind: 'contacts' | 'companies';
  name: string;
  responsible_user_id: number;
  created_at: number;
  updated_at: number;
  custom_fields_values: SbCustomFieldValue[] | null;
}

export interface SbWebhook {
  id: number;
  destination: string;
  created_by: number;
  created_at: number;
  updated_at: number;
  sort: number;
  disabled: boolean;
  settings: string[];
  /** Times of invalid responses, for the ">100 in 2 hours" auto-disable rule. */
  failures: number[];
}

export class AmoSandboxState {
  readonly leads = new Map<number, SbLead>();
  readonly pipelines: SbPipeline[] = [];
  readonly tasks = new Map<number, SbTask>();
  readonly notes = new Map<number, SbNote>();
  readonly events: SbEvent[] = [];
  readonly users = new Map<number, SbUser>();
  readonly customFields = new Map<number, SbCustomField>();
  readonly clients = new Map<string, SbClient>();
  readonly webhooks = new Map<number, SbWebhook>();

  constructor(
    readonly accountId: number,
    readonly subdomain: string,
  ) {}

  status(pipelineId: number, statusId: number): SbStatus | undefined {
    return this.pipelines.find((p) => p.id === pipelineId)?.statuses.find((s) => s.id === statusId);
  }

  mainPipeline(): SbPipeline {
    return this.pipelines.find((p) => p.is_main) ?? this.pipelines[0];
  }

  client(kind: 'contacts' | 'companies', id: number): SbClient | undefined {
    return this.clients.get(`${kind}:${id}`);
  }
}

// API v4 shapes as shared/protocols/amocrm.md §3 documents them: only the fields we read. Ids are
// numbers on the wire; our domain uses strings. Collections are HAL:
// {"_page":1,"_links":{"self":{…},"next":{"href":…}},"_embedded":{"<entity>":[…]}}, and an empty
// collection is 204 with no body.

export interface AmoLink {
  href: string;
}

export interface AmoCollection<K extends string, T> {
  _page?: number;
  _total_items?: number;
  _links?: { self?: AmoLink; next?: AmoLink; prev?: AmoLink };
  _embedded?: { [key in K]?: T[] };
}

export interface AmoCustomFieldValue {
  field_id: number;
  field_name?: string | null;
  field_code?: string | null;
  field_type?: string;
  values: { value?: unknown; enum_id?: number | null; enum_code?: string | null }[] | null;
}

export interface AmoLead {
  id: number;
  name: string;
  price: number | null;
  responsible_user_id: number | null;
  group_id?: number;
  status_id: number;
  pipeline_id: number;
  loss_reason_id?: number | null;
  source_id?: number | null;
  created_by?: number;
  updated_by?: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closest_task_at?: number | null;
  is_deleted?: boolean;
  custom_fields_values: AmoCustomFieldValue[] | null;
  score?: number | null;
  account_id?: number;
  _embedded?: {
    tags?: { id: number; name: string }[];
    companies?: { id: number }[];
    contacts?: { id: number; is_main?: boolean }[];
  };
}

export interface AmoStatus {
  id: number;
  name: string;
  sort: number;
  is_editable?: boolean;
  pipeline_id: number;
  color?: string;
  /** 1 = unsorted ("Неразобранное"), 0 = regular. */
  type: number;
  account_id?: number;
}

export interface AmoPipeline {
  id: number;
  name: string;
  sort: number;
  is_main: boolean;
  is_unsorted_on?: boolean;
  is_archive?: boolean;
  account_id?: number;
  _embedded?: { statuses?: AmoStatus[] };
}

export interface AmoLeadStatusValue {
  lead_status?: { id: number; pipeline_id: number };
}

export interface AmoEvent {
  id: string;
  type: string;
  entity_id: number;
  entity_type: string;
  created_by: number;
  created_at: number;
  value_before?: AmoLeadStatusValue[] | unknown[];
  value_after?: AmoLeadStatusValue[] | unknown[];
  account_id?: number;
}

export interface AmoTask {
  id: number;
  created_by?: number;
  updated_by?: number;
  created_at: number;
  updated_at: number;
  responsible_user_id: number;
  group_id?: number;
  entity_id: number | null;
  entity_type: string | null;
  duration?: number | null;
  is_completed: boolean;
  task_type_id: number;
  text: string;
  result?: { text?: string } | unknown[] | null;
  complete_till: number;
  account_id?: number;
}

export interface AmoNote {
  id: number;
  entity_id: number;
  created_by?: number;
  updated_by?: number;
  created_at: number;
  updated_at: number;
  responsible_user_id?: number;
  group_id?: number;
  note_type: string;
  params?: Record<string, unknown> | null;
  account_id?: number;
}

export interface AmoUser {
  id: number;
  name: string;
  email?: string | null;
  lang?: string;
  rights?: { is_admin?: boolean; is_free?: boolean; is_active?: boolean; group_id?: number | null; role_id?: number | null };
}

export interface AmoCustomField {
  id: number;
  name: string;
  type: string;
  code?: string | null;
  sort?: number;
  is_api_only?: boolean;
  enums?: { id: number; value: string; sort: number }[] | null;
  entity_type?: string;
}

export interface AmoWebhook {
  id: number;
  destination: string;
  created_at?: number;
  updated_at?: number;
  created_by?: number;
  sort?: number;
  disabled: boolean;
  settings: string[];
}

/** GET /api/v4/account (AccountModel in the official SDK): the fields install needs. */
export interface AmoAccount {
  id: number;
  name?: string;
  subdomain: string;
  currency?: string | null;
  current_user_id?: number;
  country?: string | null;
}

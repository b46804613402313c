import { amoLocalDate } from './sandbox-clock.js';
import type { SbCustomFieldValue, SbLead, SbNote, SbTask } from './sandbox-state.js';
import type { AmoFormTree } from './sandbox-webhooks.js';

// Field sets of webhook items, in the order and naming of the webhooks-general examples
// (shared/protocols/amocrm.md §2.2). Leads use unix times; tasks and notes mix local
// "YYYY-MM-DD HH:MM:SS" strings with unix `created_at`/`updated_at`; custom fields use the v2
// shape `custom_fields[i][id|name|values][j][value|enum]`.

export function leadHookFields(lead: SbLead, old: { statusId?: number; pipelineId?: number; responsibleUserId?: number } = {}): AmoFormTree {
  const fields: AmoFormTree = { id: String(lead.id), name: lead.name, status_id: String(lead.status_id) };
  if (old.statusId !== undefined) fields.old_status_id = String(old.statusId);
  fields.price = String(lead.price);
  fields.responsible_user_id = String(lead.responsible_user_id);
  if (old.responsibleUserId !== undefined) fields.old_responsible_user_id = String(old.responsibleUserId);
  Object.assign(fields, {
    last_modified: String(lead.updated_at),
    modified_user_id: String(lead.updated_by),
    created_user_id: String(lead.created_by),
    date_create: String(lead.created_at),
    pipeline_id: String(lead.pipeline_id),
  });
  // Not in the account-webhook doc example, seen on real cross-pipeline moves ([WILD]).
  if (old.pipelineId !== undefined && old.pipelineId !== lead.pipeline_id) fields.old_pipeline_id = String(old.pipelineId);
  fields.account_id = String(lead.account_id);
  if (lead.custom_fields_values?.length) fields.custom_fields = customFieldsV2(lead.custom_fields_values);
  fields.created_at = String(lead.created_at);
  fields.updated_at = String(lead.updated_at);
  return fields;
}

function customFieldsV2(values: SbCustomFieldValue[]): AmoFormTree {
  const out: AmoFormTree = {};
  values.forEach((cf, i) => {
    const vals: AmoFormTree = {};
    cf.values.forEach((v, j) => {
      vals[String(j)] = v.enum_id !== undefined ? { value: String(v.value), enum: String(v.enum_id) } : { value: String(v.value) };
    });
    out[String(i)] = { id: String(cf.field_id), name: cf.field_name, values: vals };
  });
  return out;
}

/** element_type: 1 contact, 2 lead, 3 company, 12 customer (webhooks-general, add_task). */
const ELEMENT_TYPES: Record<string, string> = { contacts: '1', leads: '2', companies: '3', customers: '12' };

export function taskHookFields(task: SbTask, update: { closedNow?: boolean; oldText?: string } = {}): AmoFormTree {
  const fields: AmoFormTree = {
    id: String(task.id),
    element_id: task.entity_id === null ? '0' : String(task.entity_id),
    element_type: task.entity_type === null ? '0' : (ELEMENT_TYPES[task.entity_type] ?? '0'),
    task_type: String(task.task_type_id),
    date_create: amoLocalDate(task.created_at),
    text: task.text,
    status: task.is_completed ? '1' : '0',
    account_id: String(task.account_id),
    created_user_id: String(task.created_by),
    last_modified: amoLocalDate(task.updated_at),
    responsible_user_id: String(task.responsible_user_id),
    complete_till: amoLocalDate(task.complete_till),
    created_at: String(task.created_at),
    updated_at: String(task.updated_at),
    complete_before: String(task.complete_till),
  };
  if (update.closedNow) fields.action_close = '1';
  if (update.oldText !== undefined && update.oldText !== task.text) fields.old_text = update.oldText;
  if (task.result) fields.result = { text: task.result.text };
  return fields;
}

/** Numeric note types of webhooks: 4 common, 10/11 call in/out (webhooks-general), 25 service message. */
export const NOTE_TYPE_CODES: Record<string, string> = { common: '4', call_in: '10', call_out: '11', service_message: '25' };

export function noteHookFields(note: SbNote): AmoFormTree {
  // Call notes carry their details as JSON text in hooks (webhooks-general note_type 10/11).
  const text =
    note.note_type === 'call_in' || note.note_type === 'call_out'
      ? JSON.stringify({ UNIQ: note.params.uniq, DURATION: note.params.duration, SRC: note.params.source, LINK: note.params.link ?? '', PHONE: note.params.phone })
      : String(note.params.text ?? '');
  return {
    note: {
      text,
      attachement: '',
      date_create: amoLocalDate(note.created_at),
      note_type: NOTE_TYPE_CODES[note.note_type] ?? '4',
      element_type: ELEMENT_TYPES[note.parent] ?? '2',
      element_id: String(note.entity_id),
      timestamp_x: amoLocalDate(note.updated_at),
      account_id: String(note.account_id),
      metadata: JSON.stringify({ event_source: { id: note.created_by, type: 1 } }),
      created_by: String(note.created_by),
      modified_by: String(note.updated_by),
      main_user_id: String(note.responsible_user_id),
      id: String(note.id),
      created_at: String(note.created_at),
      updated_at: String(note.updated_at),
    },
    ...(note.parent === 'leads' ? {} : { type: note.parent === 'companies' ? 'company' : 'contact' }),
  };
}

import { unixOf, type AmoSandboxClock } from './sandbox-clock.js';
import { AmoSandboxValidationError, applyCustomFieldPatch } from './sandbox-custom-fields.js';
import { leadHookFields, noteHookFields, taskHookFields } from './sandbox-hook-fields.js';
import type { AmoSandboxIds } from './sandbox-ids.js';
import type { AmoSandboxState, SbLead, SbNote, SbNoteParent, SbTask } from './sandbox-state.js';
import type { AmoHookItem, AmoSandboxWebhooks } from './sandbox-webhooks.js';

// Every change to the account goes through here, from the API and from the control surface alike,
// so both record the same events (events API) and send the same webhooks. A stage change records
// `lead_status_changed` with value_before/value_after `[{"lead_status":{"id","pipeline_id"}}]`
// (events-and-notes) and sends both `status_lead` and `update_lead` items (one request per webhook).

export interface LeadInput {
  name?: string;
  price?: number;
  pipelineId?: number;
  statusId?: number;
  responsibleUserId?: number;
  customFieldsValues?: unknown;
  contactIds?: number[];
  companyIds?: number[];
}

export interface LeadPatch {
  name?: unknown;
  price?: unknown;
  status_id?: unknown;
  pipeline_id?: unknown;
  responsible_user_id?: unknown;
  custom_fields_values?: unknown;
}

export class AmoSandboxCrm {
  constructor(
    private readonly state: AmoSandboxState,
    private readonly clock: AmoSandboxClock,
    private readonly ids: AmoSandboxIds,
    private readonly hooks: AmoSandboxWebhooks,
  ) {}

  createLead(input: LeadInput, byUserId: number): SbLead {
    const now = unixOf(this.clock);
    const pipeline = input.pipelineId === undefined ? this.state.mainPipeline() : this.state.pipelines.find((p) => p.id === input.pipelineId);
    if (!pipeline) throw invalid('pipeline_id', 'NotSupportedChoice');
    // Without a status a lead lands in the pipeline's first regular stage.
    const statusId = input.statusId ?? pipeline.statuses.find((s) => s.type === 0)!.id;
    if (!this.state.status(pipeline.id, statusId)) throw invalid('status_id', 'NotSupportedChoice');
    const responsible = input.responsibleUserId ?? byUserId;
    if (!this.state.users.has(responsible)) throw invalid('responsible_user_id', 'NotSupportedChoice');
    const lead: SbLead = {
      id: this.ids.take('lead'),
      name: input.name ?? '',
      price: input.price ?? 0,
      responsible_user_id: responsible,
      group_id: 0,
      status_id: statusId,
      pipeline_id: pipeline.id,
      loss_reason_id: null,
      source_id: null,
      created_by: byUserId,
      updated_by: byUserId,
      created_at: now,
      updated_at: now,
      closed_at: statusId === 142 || statusId === 143 ? now : null,
      closest_task_at: null,
      is_deleted: false,
      custom_fields_values: null,
      score: null,
      account_id: this.state.accountId,
      contacts: (input.contactIds ?? []).map((id, i) => ({ id, is_main: i === 0 })),
      companies: (input.companyIds ?? []).map((id) => ({ id })),
      tags: [],
    };
    if (input.customFieldsValues !== undefined) lead.custom_fields_values = applyCustomFieldPatch(this.state, 'leads', null, input.customFieldsValues);
    this.state.leads.set(lead.id, lead);
    this.event('lead_added', 'lead', lead.id, byUserId, [], []);
    this.hooks.emit([{ setting: 'add_lead', entity: 'leads', action: 'add', fields: leadHookFields(lead) }]);
    return lead;
  }

  updateLead(id: number, patch: LeadPatch, byUserId: number): SbLead {
    const lead = this.state.leads.get(id);
    if (!lead) throw new AmoSandboxNotFound(`lead ${id}`);
    const old = { ...lead };
    const next = { ...lead };
    if (patch.name !== undefined) next.name = String(patch.name);
    if (patch.price !== undefined) {
      if (typeof patch.price !== 'number') throw invalid('price', 'InvalidType');
      next.price = patch.price;
    }
    if (patch.pipeline_id !== undefined) {
      if (typeof patch.pipeline_id !== 'number' || !this.state.pipelines.some((p) => p.id === patch.pipeline_id)) throw invalid('pipeline_id', 'NotSupportedChoice');
      next.pipeline_id = patch.pipeline_id;
    }
    if (patch.status_id !== undefined) {
      if (typeof patch.status_id !== 'number') throw invalid('status_id', 'InvalidType');
      next.status_id = patch.status_id;
    } else if (next.pipeline_id !== old.pipeline_id) {
      next.status_id = this.state.pipelines.find((p) => p.id === next.pipeline_id)!.statuses.find((s) => s.type === 0)!.id;
    }
    // 142/143 exist in every pipeline, everything else only in its own.
    if (!this.state.status(next.pipeline_id, next.status_id)) throw invalid('status_id', 'NotSupportedChoice');
    if (patch.responsible_user_id !== undefined) {
      if (typeof patch.responsible_user_id !== 'number' || !this.state.users.has(patch.responsible_user_id)) throw invalid('responsible_user_id', 'NotSupportedChoice');
      next.responsible_user_id = patch.responsible_user_id;
    }
    if (patch.custom_fields_values !== undefined) next.custom_fields_values = applyCustomFieldPatch(this.state, 'leads', lead.custom_fields_values, patch.custom_fields_values);

    const now = unixOf(this.clock);
    next.updated_at = now;
    next.updated_by = byUserId;
    const moved = next.status_id !== old.status_id || next.pipeline_id !== old.pipeline_id;
    if (moved) next.closed_at = next.status_id === 142 || next.status_id === 143 ? now : null;
    this.state.leads.set(id, next);

    const items: AmoHookItem[] = [];
    if (moved) {
      this.event('lead_status_changed', 'lead', id, byUserId, [{ lead_status: { id: old.status_id, pipeline_id: old.pipeline_id } }], [{ lead_status: { id: next.status_id, pipeline_id: next.pipeline_id } }]);
      items.push({ setting: 'status_lead', entity: 'leads', action: 'status', fields: leadHookFields(next, { statusId: old.status_id, pipelineId: old.pipeline_id }) });
    }
    if (next.responsible_user_id !== old.responsible_user_id) {
      this.event('entity_responsible_changed', 'lead', id, byUserId, [{ responsible_user: { id: old.responsible_user_id } }], [{ responsible_user: { id: next.responsible_user_id } }]);
      items.push({ setting: 'responsible_lead', entity: 'leads', action: 'responsible', fields: leadHookFields(next, { responsibleUserId: old.responsible_user_id }) });
    }
    if (patch.custom_fields_values !== undefined) {
      for (const cf of next.custom_fields_values ?? []) {
        this.event('custom_field_value_changed', 'lead', id, byUserId, [], [{ custom_field_value: { field_id: cf.field_id, text: cf.values.map((v) => String(v.value)).join(', ') } }]);
      }
    }
    items.push({ setting: 'update_lead', entity: 'leads', action: 'update', fields: leadHookFields(next, moved ? { statusId: old.status_id, pipelineId: old.pipeline_id } : {}) });
    this.hooks.emit(items);
    return next;
  }

  deleteLead(id: number, byUserId: number): void {
    const lead = this.state.leads.get(id);
    if (!lead) throw new AmoSandboxNotFound(`lead ${id}`);
    this.state.leads.delete(id);
    this.event('lead_deleted', 'lead', id, byUserId, [], []);
    this.hooks.emit([{ setting: 'delete_lead', entity: 'leads', action: 'delete', fields: { id: String(id), status_id: String(lead.status_id), pipeline_id: String(lead.pipeline_id) } }]);
  }

  addTask(input: Omit<SbTask, 'id' | 'created_at' | 'updated_at' | 'created_by' | 'updated_by' | 'account_id' | 'group_id'>, byUserId: number): SbTask {
    const now = unixOf(this.clock);
    const task: SbTask = { ...input, id: this.ids.take('task'), created_by: byUserId, updated_by: byUserId, created_at: now, updated_at: now, group_id: 0, account_id: this.state.accountId };
    this.state.tasks.set(task.id, task);
    if (task.entity_type === 'leads' && task.entity_id !== null) this.event('task_added', 'lead', task.entity_id, byUserId, [], [{ task: { id: task.id } }]);
    this.hooks.emit([{ setting: 'add_task', entity: 'task', action: 'add', fields: taskHookFields(task) }]);
    return task;
  }

  updateTask(id: number, patch: Partial<Pick<SbTask, 'text' | 'complete_till' | 'is_completed' | 'responsible_user_id' | 'result'>>, byUserId: number): SbTask {
    const task = this.state.tasks.get(id);
    if (!task) throw new AmoSandboxNotFound(`task ${id}`);
    const closedNow = patch.is_completed === true && !task.is_completed;
    const next: SbTask = { ...task, ...patch, updated_at: unixOf(this.clock), updated_by: byUserId };
    this.state.tasks.set(id, next);
    if (closedNow && next.entity_type === 'leads' && next.entity_id !== null) this.event('task_completed', 'lead', next.entity_id, byUserId, [], [{ task: { id } }]);
    this.hooks.emit([{ setting: 'update_task', entity: 'task', action: 'update', fields: taskHookFields(next, { closedNow, oldText: task.text }) }]);
    return next;
  }

  addNote(parent: SbNoteParent, entityId: number, noteType: string, params: Record<string, unknown>, byUserId: number): SbNote {
    if (parent === 'leads' ? !this.state.leads.has(entityId) : !this.state.client(parent, entityId)) throw new AmoSandboxNotFound(`${parent} ${entityId}`);
    const now = unixOf(this.clock);
    const note: SbNote = {
      id: this.ids.take('note'),
      parent,
      entity_id: entityId,
      created_by: byUserId,
      updated_by: byUserId,
      created_at: now,
      updated_at: now,
      responsible_user_id: byUserId,
      group_id: 0,
      note_type: noteType,
      params,
      account_id: this.state.accountId,
    };
    this.state.notes.set(note.id, note);
    const entityType = parent === 'leads' ? 'lead' : parent === 'companies' ? 'company' : 'contact';
    if (noteType === 'call_in' || noteType === 'call_out') {
      this.event(noteType === 'call_in' ? 'incoming_call' : 'outgoing_call', entityType, entityId, byUserId, [], [{ note: { id: note.id } }]);
    }
    const setting = parent === 'leads' ? 'note_lead' : parent === 'companies' ? 'note_company' : 'note_contact';
    this.hooks.emit([{ setting, entity: parent === 'leads' ? 'leads' : 'contacts', action: 'note', fields: noteHookFields(note) }]);
    return note;
  }

  private event(type: string, entityType: string, entityId: number, byUserId: number, before: unknown[], after: unknown[]): void {
    this.state.events.push({
      id: this.ids.eventId(this.clock.now()),
      type,
      entity_id: entityId,
      entity_type: entityType,
      created_by: byUserId,
      created_at: unixOf(this.clock),
      value_before: before,
      value_after: after,
      account_id: this.state.accountId,
    });
  }
}

export class AmoSandboxNotFound extends Error {}

function invalid(path: string, code: string): AmoSandboxValidationError {
  return new AmoSandboxValidationError([{ code, path, detail: code === 'InvalidType' ? 'This value has the wrong type.' : 'The value you selected is not a valid choice.' }]);
}

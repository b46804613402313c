import type { Activity, Deal, HostUser, Pipeline, StageHistoryEntry } from '../../domain/crm.js';
import type { CrmConnector } from '../crm-connector.js';
import { HostApiError } from '../host-api-error.js';
import { AMO_ACTIVITY_NOTE_TYPES, amoNoteToActivity, amoTaskToActivity, parseAmoActivityId } from './amocrm-activity.mapper.js';
import { AmoApiClient, amoQuery, type AmoApiClientOptions } from './amocrm-api.client.js';
import { amoStageHistory } from './amocrm-history.mapper.js';
import { readAmoAccount, type AmoAccountInfo } from './amocrm-account.js';
import {
  AMO_WEBHOOK_SETTINGS,
  ensureAmoGoalField,
  listAmoWebhookDestinations,
  registerAmoWebhook,
  unregisterAmoWebhook,
  type AmoGoalOption,
} from './amocrm-install.operations.js';
import { amoLeadToDeal, type AmoGoalField } from './amocrm-lead.mapper.js';
import { hasMarker, notifyMarker, withMarker } from './amocrm-marker.js';
import { amoPipelineToPipeline, amoUserToHostUser } from './amocrm-pipeline.mapper.js';
import type { AmoCollection, AmoEvent, AmoLead, AmoNote, AmoPipeline, AmoTask, AmoUser } from './amocrm-wire.types.js';

export interface AmoCrmConnectorOptions extends AmoApiClientOptions {
  /** The goal select field made at install (ensureGoalField); without it goal marks read as null. */
  goalField?: AmoGoalField | null;
  /** The account currency; amoCRM leads carry none. */
  currency?: string | null;
  /** Notification tasks fall due this long after they are sent. */
  notifyDueInSec?: number;
}

/** `limit` maxima: 250 for most lists, 100 for events (docs/limitations, events-and-notes). */
const PAGE = 250;
const EVENTS_PAGE = 100;
/** Leads per filter[id][] request, kept small for URL length. */
const LEADS_PER_FILTER = 50;
/** Leads per events filter[entity_id][]: the docs give no maximum; 10 keeps URLs short and pages few. */
const EVENT_ENTITIES_PER_FILTER = 10;
/** Task type 1, "Связаться / Follow-up": present on every account (tasks-api). */
const FOLLOW_UP_TASK_TYPE = 1;

/**
 * CrmConnector for amoCRM / Kommo over API v4 (axios). Requests go through AmoApiClient: the
 * per-account budget before each, one token refresh on 401, 429s waited out, errors as HostApiError.
 */
export class AmoCrmConnector implements CrmConnector {
  readonly host = 'amocrm' as const;
  private readonly api: AmoApiClient;
  private readonly now: () => Date;

  constructor(private readonly options: AmoCrmConnectorOptions) {
    this.api = new AmoApiClient(options);
    this.now = options.now ?? (() => new Date());
  }

  async listPipelines(): Promise<Pipeline[]> {
    const pipelines = await this.api.collect<'pipelines', AmoPipeline>('/api/v4/leads/pipelines', 'pipelines');
    return pipelines.map(amoPipelineToPipeline).sort((a, b) => a.sort - b.sort);
  }

  /** Needs an admin's token: /api/v4/users is admin-only (users-api), a 403 otherwise. */
  async listUsers(): Promise<HostUser[]> {
    const users = await this.api.collect<'users', AmoUser>(`/api/v4/users?${amoQuery([['limit', PAGE]])}`, 'users');
    return users.map(amoUserToHostUser);
  }

  async getDealWithHistory(dealId: string): Promise<{ deal: Deal; history: StageHistoryEntry[] } | null> {
    const lead = await this.api.getOne<AmoLead>(`/api/v4/leads/${leadId(dealId)}?${amoQuery([['with', 'contacts']])}`);
    if (lead === null || lead.is_deleted === true) return null;
    const events = await this.statusEvents([lead.id]);
    return { deal: this.toDeal(lead), history: amoStageHistory(lead, events) };
  }

  /**
   * Many leads in few calls: the leads by filter[id][] (50 a request), then their stage changes from
   * the events API in chunks. A burst of events for 25 leads costs 4 requests instead of 50.
   * Deleted leads are simply absent from the answer.
   */
  async getDealsWithHistory(dealIds: string[]): Promise<Map<string, { deal: Deal; history: StageHistoryEntry[] }>> {
    const ids = [...new Set(dealIds.map(leadId))];
    const leads: AmoLead[] = [];
    for (const chunk of chunks(ids, LEADS_PER_FILTER)) {
      const query = amoQuery([...chunk.map((id): [string, number] => ['filter[id][]', id]), ['with', 'contacts'], ['limit', PAGE]]);
      leads.push(...(await this.api.collect<'leads', AmoLead>(`/api/v4/leads?${query}`, 'leads')));
    }
    const live = leads.filter((l) => l.is_deleted !== true && ids.includes(l.id));
    const events = live.length ? await this.statusEvents(live.map((l) => l.id)) : [];
    const found = new Map<string, { deal: Deal; history: StageHistoryEntry[] }>();
    for (const lead of live) {
      found.set(String(lead.id), { deal: this.toDeal(lead), history: amoStageHistory(lead, events.filter((e) => e.entity_id === lead.id)) });
    }
    return found;
  }

  async getActivity(activityId: string): Promise<Activity | null> {
    const ref = parseAmoActivityId(activityId);
    if (ref === null) return null;
    if (ref.type === 'task') {
      const task = await this.api.getOne<AmoTask>(`/api/v4/tasks/${ref.id}`);
      return task ? amoTaskToActivity(task) : null;
    }
    const note = await this.api.getOne<AmoNote>(`/api/v4/${ref.parent}/notes/${ref.id}`);
    return note ? amoNoteToActivity(note, ref.parent) : null;
  }

  /** One page per call, ordered by id; the cursor is an opaque page number. */
  async listDealsModifiedSince(since: Date, afterId?: string): Promise<{ deals: Deal[]; nextAfterId: string | null }> {
    const page = afterId ? Number(/^p(\d+)$/.exec(afterId)?.[1] ?? 1) : 1;
    const query = amoQuery([
      ['filter[updated_at][from]', unix(since)],
      ['order[id]', 'asc'],
      ['with', 'contacts'],
      ['limit', PAGE],
      ['page', page],
    ]);
    const { data } = await this.api.request<AmoCollection<'leads', AmoLead>>('GET', `/api/v4/leads?${query}`, 'read');
    const leads = data?._embedded?.leads ?? [];
    return { deals: leads.map((l) => this.toDeal(l)), nextAfterId: data?._links?.next ? `p${page + 1}` : null };
  }

  /**
   * Tasks first, then activity notes of leads, contacts and companies (calls are often logged on the
   * contact by telephony). Cursor: `{phase}:{page}`, opaque to the caller.
   */
  async listActivitiesModifiedSince(since: Date, afterId?: string): Promise<{ activities: Activity[]; nextAfterId: string | null }> {
    const phases = ['tasks', 'leads', 'contacts', 'companies'] as const;
    const match = /^(tasks|leads|contacts|companies):(\d+)$/.exec(afterId ?? '');
    const phase = (match?.[1] ?? 'tasks') as (typeof phases)[number];
    const page = Number(match?.[2] ?? 1);
    const nextPhase = phases[phases.indexOf(phase) + 1];
    const base: [string, string | number][] = [['filter[updated_at][from]', unix(since)], ['order[id]', 'asc'], ['limit', PAGE], ['page', page]];

    let activities: Activity[];
    let hasNext: boolean;
    if (phase === 'tasks') {
      const { data } = await this.api.request<AmoCollection<'tasks', AmoTask>>('GET', `/api/v4/tasks?${amoQuery(base)}`, 'read');
      activities = (data?._embedded?.tasks ?? []).map(amoTaskToActivity).filter((a): a is Activity => a !== null);
      hasNext = Boolean(data?._links?.next);
    } else {
      const types = AMO_ACTIVITY_NOTE_TYPES.map((t): [string, string] => ['filter[note_type][]', t]);
      const { data } = await this.api.request<AmoCollection<'notes', AmoNote>>('GET', `/api/v4/${phase}/notes?${amoQuery([...types, ...base])}`, 'read');
      activities = (data?._embedded?.notes ?? []).map((n) => amoNoteToActivity(n, phase)).filter((a): a is Activity => a !== null);
      hasNext = Boolean(data?._links?.next);
    }
    const nextAfterId = hasNext ? `${phase}:${page + 1}` : nextPhase ? `${nextPhase}:1` : null;
    return { activities, nextAfterId };
  }

  async listStageHistory(dealIds: string[]): Promise<StageHistoryEntry[]> {
    const ids = [...new Set(dealIds.map(leadId))];
    const leads = new Map<number, AmoLead>();
    for (const chunk of chunks(ids, LEADS_PER_FILTER)) {
      const query = amoQuery([...chunk.map((id): [string, number] => ['filter[id][]', id]), ['limit', PAGE]]);
      for (const lead of await this.api.collect<'leads', AmoLead>(`/api/v4/leads?${query}`, 'leads')) leads.set(lead.id, lead);
    }
    const events = await this.statusEvents(ids);
    return ids.flatMap((id) => amoStageHistory(leads.get(id) ?? null, events.filter((e) => e.entity_id === id)));
  }

  /** PATCH /api/v4/leads/{id}: a move is status_id, plus pipeline_id when it changes pipeline (leads-api). */
  async moveDeal(dealId: string, pipelineId: string, stageId: string): Promise<void> {
    await this.api.request('PATCH', `/api/v4/leads/${leadId(dealId)}`, 'write', { status_id: Number(stageId), pipeline_id: Number(pipelineId) });
  }

  async setResponsible(dealId: string, userId: string): Promise<void> {
    await this.api.request('PATCH', `/api/v4/leads/${leadId(dealId)}`, 'write', { responsible_user_id: Number(userId) });
  }

  /** `values: null` empties a custom field on amoCRM. */
  async clearGoalMark(dealId: string): Promise<void> {
    const goal = this.options.goalField;
    if (!goal) throw new HostApiError('VALIDATION', 'no goal field is configured for this account', null, 'NO_GOAL_FIELD');
    await this.api.request('PATCH', `/api/v4/leads/${leadId(dealId)}`, 'write', { custom_fields_values: [{ field_id: goal.fieldId, values: null }] });
  }

  /**
   * `field` is the custom field's numeric id, or its code (amoCRM accepts field_code in
   * custom_fields_values). The value goes as `value`, which amoCRM also matches against a select's options.
   */
  async setClientField(entity: 'company' | 'contact', entityId: string, field: string, value: string): Promise<void> {
    const path = entity === 'company' ? 'companies' : 'contacts';
    const key = /^\d+$/.test(field) ? { field_id: Number(field) } : { field_code: field };
    await this.api.request('PATCH', `/api/v4/${path}/${numericId(entityId)}`, 'write', { custom_fields_values: [{ ...key, values: [{ value }] }] });
  }

  /** amoCRM tasks have one `text`: title, description and marker go into it. */
  async createTask(task: { dealId: string; title: string; description: string; responsibleId: string; deadline: string; marker: string }): Promise<{ id: string }> {
    const text = withMarker([task.title, task.description].filter((s) => s.trim() !== '').join('\n'), task.marker);
    const body = [{
      text,
      complete_till: unix(new Date(task.deadline)),
      entity_type: 'leads',
      entity_id: leadId(task.dealId),
      responsible_user_id: Number(task.responsibleId),
      task_type_id: FOLLOW_UP_TASK_TYPE,
      request_id: task.marker,
    }];
    const { data } = await this.api.request<AmoCollection<'tasks', { id: number }>>('POST', '/api/v4/tasks', 'create', body);
    return { id: String(createdId(data?._embedded?.tasks, 'task')) };
  }

  async findTaskByMarker(marker: string, dealId: string): Promise<{ id: string } | null> {
    const query = amoQuery([['filter[entity_type]', 'leads'], ['filter[entity_id][]', leadId(dealId)], ['limit', PAGE]]);
    for await (const tasks of this.api.pages<'tasks', AmoTask>(`/api/v4/tasks?${query}`, 'tasks')) {
      const found = tasks.find((t) => hasMarker(t.text, marker));
      if (found) return { id: String(found.id) };
    }
    return null;
  }

  /**
   * A `common` note on the lead. is_need_to_trigger_digital_pipeline=false keeps our note from
   * firing the account's Salesbot/DP triggers (NoteModel in the official SDK).
   */
  async addComment(dealId: string, text: string, marker: string): Promise<{ id: string }> {
    const body = [{ note_type: 'common', params: { text: withMarker(text, marker) }, request_id: marker, is_need_to_trigger_digital_pipeline: false }];
    const { data } = await this.api.request<AmoCollection<'notes', { id: number }>>('POST', `/api/v4/leads/${leadId(dealId)}/notes`, 'create', body);
    return { id: String(createdId(data?._embedded?.notes, 'note')) };
  }

  async findCommentByMarker(marker: string, dealId: string): Promise<{ id: string } | null> {
    const query = amoQuery([['filter[note_type][]', 'common'], ['limit', PAGE]]);
    for await (const notes of this.api.pages<'notes', AmoNote>(`/api/v4/leads/${leadId(dealId)}/notes?${query}`, 'notes')) {
      const found = notes.find((n) => hasMarker(n.params?.text, marker));
      if (found) return { id: String(found.id) };
    }
    return null;
  }

  /**
   * amoCRM has no API to notify a user (no counterpart of Bitrix24 im.notify). The documented thing
   * closest to it is a task for that user: it lands in their task list and amoCRM's own
   * notification centre tells them about it. A note needs a lead; the chats API needs a chat channel
   * registered with amoCRM. The task has no lead, and its tag marker makes a repeat update the open
   * task instead of adding another. These tasks are never read back as activity (amocrm-marker.ts).
   */
  async notify(userId: string, message: string, tag: string): Promise<void> {
    const marker = notifyMarker(tag);
    const text = withMarker(message, marker);
    const completeTill = unix(this.now()) + (this.options.notifyDueInSec ?? 3600);
    const query = amoQuery([['filter[responsible_user_id][]', Number(userId)], ['filter[is_completed]', 0], ['limit', PAGE]]);
    for await (const tasks of this.api.pages<'tasks', AmoTask>(`/api/v4/tasks?${query}`, 'tasks')) {
      const open = tasks.find((t) => hasMarker(t.text, marker));
      if (open) {
        await this.api.request('PATCH', `/api/v4/tasks/${open.id}`, 'write', { text, complete_till: completeTill });
        return;
      }
    }
    const body = [{ text, complete_till: completeTill, responsible_user_id: Number(userId), task_type_id: FOLLOW_UP_TASK_TYPE, request_id: marker }];
    await this.api.request('POST', '/api/v4/tasks', 'create', body);
  }

  // Install-time operations (HostLifecycle uses them; not part of CrmConnector).

  registerWebhooks(url: string, events: readonly string[] = AMO_WEBHOOK_SETTINGS): Promise<{ id: number; created: boolean }> {
    return registerAmoWebhook(this.api, url, events);
  }

  unregisterWebhooks(url: string): Promise<{ removed: boolean }> {
    return unregisterAmoWebhook(this.api, url);
  }

  listWebhookDestinations(): Promise<string[]> {
    return listAmoWebhookDestinations(this.api);
  }

  account(): Promise<AmoAccountInfo> {
    return readAmoAccount(this.api);
  }

  ensureGoalField(name: string, options: AmoGoalOption[]): Promise<Required<AmoGoalField>> {
    return ensureAmoGoalField(this.api, name, options);
  }

  private toDeal(lead: AmoLead): Deal {
    return amoLeadToDeal(lead, { currency: this.options.currency ?? null, goalField: this.options.goalField ?? null });
  }

  /** GET /api/v4/events filtered to lead_status_changed of these leads, every page. */
  private async statusEvents(leadIds: number[]): Promise<AmoEvent[]> {
    const events: AmoEvent[] = [];
    for (const chunk of chunks(leadIds, EVENT_ENTITIES_PER_FILTER)) {
      const query = amoQuery([
        ['filter[entity][]', 'lead'],
        ...chunk.map((id): [string, number] => ['filter[entity_id][]', id]),
        ['filter[type][]', 'lead_status_changed'],
        ['limit', EVENTS_PAGE],
      ]);
      events.push(...(await this.api.collect<'events', AmoEvent>(`/api/v4/events?${query}`, 'events')));
    }
    return events;
  }
}

function leadId(dealId: string): number {
  return numericId(dealId);
}

/** Ids go into URL paths: only digits pass, so a crafted id cannot reach another endpoint. */
function numericId(id: string): number {
  if (!/^\d{1,15}$/.test(id)) throw new HostApiError('VALIDATION', `"${id.slice(0, 40)}" is not an amoCRM id`, null, 'BAD_ID');
  return Number(id);
}

function unix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function createdId(items: { id: number }[] | undefined, what: string): number {
  const id = items?.[0]?.id;
  // The create went through but we cannot name it: the marker lookup will find it.
  if (typeof id !== 'number') throw new HostApiError('AMBIGUOUS', `amoCRM created a ${what} but did not return its id`, null, 'NO_ID');
  return id;
}

// Deal, lead and activity changes, made the way the portal makes them whoever asks — a REST call or a
// person in the UI (the control API). Each change records host-side history and raises the documented
// event: a stage change inside a funnel is ONCRMDEALUPDATE; a funnel change is ONLY
// ONCRMDEALMOVETOCATEGORY (api-reference/crm/deals/events/index.md) with TYPE_ID 5 in stage history.

import type { SandboxContext } from './sandbox-context.js';
import type { ActivityRecord, DealRecord, StatusRecord } from './sandbox-state.js';
import { semanticLetter } from './sandbox-state.js';
import { RestError } from './rest-error.js';
import type { EventAuthRequest } from './event-dispatcher.js';

export interface Actor {
  userId: number;
  /** A robot, workflow or agent did it: events then carry no tokens (api-reference/events/index.md). */
  viaAutomation?: boolean;
}

export interface DealPatch {
  title?: string;
  stageId?: string;
  categoryId?: number;
  assignedById?: number;
  opportunity?: number;
  currencyId?: string;
  isManualOpportunity?: boolean;
  probability?: number | null;
  companyId?: number;
  contactId?: number;
  contactIds?: number[];
  typeId?: string;
  sourceId?: string;
  sourceDescription?: string;
  comments?: string;
  opened?: boolean;
  begindate?: number | null;
  closedate?: number | null;
  originatorId?: string | null;
  originId?: string | null;
  observers?: number[];
  /** Custom fields by original name (UF_CRM_…). */
  uf?: Record<string, unknown>;
}

export interface ActivityInput {
  ownerTypeId?: number;
  ownerId: number;
  typeId: number;
  providerId?: string;
  providerTypeId?: string;
  subject?: string;
  description?: string;
  direction?: 0 | 1 | 2;
  responsibleId?: number;
  startTime?: number;
  endTime?: number;
  completed?: boolean;
  priority?: 1 | 2 | 3;
  /** Further CRM bindings beyond the owner (e.g. the deal when the owner is a contact). */
  extraBindings?: Array<{ ownerTypeId: number; ownerId: number }>;
  /** For calls: the talk time, reported by voximplant.statistic.get. */
  callDurationSec?: number;
  originId?: string | null;
  originatorId?: string | null;
}

export const invalidField = (label: string) =>
  new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${label}"`);

export const itemNotFound = () => new RestError(400, 'NOT_FOUND', 'Element not found');

export class CrmService {
  constructor(private readonly ctx: SandboxContext) {}

  createDeal(patch: DealPatch, actor: Actor): DealRecord {
    const { state } = this.ctx;
    const now = this.ctx.clock.now();
    const categoryId = patch.categoryId ?? 0;
    if (!state.categories.some((c) => c.id === categoryId)) throw invalidField('Pipeline');
    const stage = patch.stageId === undefined ? state.stagesOf(categoryId)[0] : this.stageIn(patch.stageId, categoryId);
    const deal: DealRecord = {
      id: state.nextId('deal', 101),
      title: patch.title ?? '',
      categoryId,
      stageId: stage.statusId,
      assignedById: patch.assignedById ?? actor.userId,
      opportunity: patch.opportunity ?? 0,
      currencyId: patch.currencyId ?? 'USD',
      isManualOpportunity: patch.isManualOpportunity ?? false,
      probability: patch.probability ?? null,
      companyId: patch.companyId ?? 0,
      contactId: patch.contactId ?? patch.contactIds?.[0] ?? 0,
      contactIds: patch.contactIds ?? (patch.contactId ? [patch.contactId] : []),
      typeId: patch.typeId ?? 'SALE',
      sourceId: patch.sourceId ?? '',
      sourceDescription: patch.sourceDescription ?? '',
      comments: patch.comments ?? '',
      opened: patch.opened ?? true,
      begindate: patch.begindate ?? startOfDay(now, state.portal.timezoneOffsetMinutes),
      closedate: patch.closedate ?? startOfDay(now + 7 * 86_400_000, state.portal.timezoneOffsetMinutes),
      createdTime: now,
      createdBy: actor.userId,
      updatedTime: now,
      updatedBy: actor.userId,
      movedTime: now,
      movedBy: actor.userId,
      lastActivityTime: now,
      lastActivityBy: actor.userId,
      originatorId: patch.originatorId ?? null,
      originId: patch.originId ?? null,
      observers: patch.observers ?? [],
      uf: {},
    };
    if (!state.user(deal.assignedById)) throw invalidField('Responsible person');
    for (const field of state.userFields) deal.uf[field.fieldName] = field.multiple ? [] : null;
    Object.assign(deal.uf, patch.uf ?? {});
    state.deals.set(deal.id, deal);
    this.history(deal, 1, stage, now);
    this.raise('ONCRMDEALADD', { FIELDS: { ID: String(deal.id) } }, actor);
    return deal;
  }

  updateDeal(id: number, patch: DealPatch, actor: Actor): DealRecord {
    const { state } = this.ctx;
    const deal = state.deals.get(id);
    if (!deal) throw itemNotFound();
    const now = this.ctx.clock.now();
    const targetCategory = patch.categoryId ?? deal.categoryId;
    if (!state.categories.some((c) => c.id === targetCategory)) throw invalidField('Pipeline');
    let stage: StatusRecord | undefined;
    if (patch.stageId !== undefined) stage = this.stageIn(patch.stageId, targetCategory);
    else if (targetCategory !== deal.categoryId) stage = state.stagesOf(targetCategory)[0];
    if (patch.assignedById !== undefined && !state.user(patch.assignedById)) throw invalidField('Responsible person');

    const categoryChanged = targetCategory !== deal.categoryId;
    const stageChanged = stage !== undefined && stage.statusId !== deal.stageId;
    const { uf, stageId: _s, categoryId: _c, ...plain } = patch;
    for (const [key, value] of Object.entries(plain)) if (value !== undefined) Object.assign(deal, { [key]: value });
    if (uf) Object.assign(deal.uf, uf);
    if (patch.contactIds && patch.contactId === undefined) deal.contactId = patch.contactIds[0] ?? 0;
    deal.updatedTime = now;
    deal.updatedBy = actor.userId;
    if (stage && (categoryChanged || stageChanged)) {
      deal.categoryId = targetCategory;
      deal.stageId = stage.statusId;
      deal.movedTime = now;
      deal.movedBy = actor.userId;
      const semantic = semanticLetter(stage);
      this.history(deal, categoryChanged ? 5 : semantic === 'P' ? 2 : 3, stage, now);
    }
    if (categoryChanged) {
      this.raise(
        'ONCRMDEALMOVETOCATEGORY',
        { FIELDS: { ID: String(deal.id), CATEGORY_ID: String(deal.categoryId), STAGE_ID: deal.stageId } },
        actor,
      );
    } else {
      this.raise('ONCRMDEALUPDATE', { FIELDS: { ID: String(deal.id) } }, actor);
    }
    return deal;
  }

  deleteDeal(id: number, actor: Actor): void {
    if (!this.ctx.state.deals.delete(id)) throw itemNotFound();
    this.raise('ONCRMDEALDELETE', { FIELDS: { ID: String(id) } }, actor);
  }

  createLead(fields: Record<string, unknown>, actor: Actor): number {
    const { state } = this.ctx;
    const now = this.ctx.clock.now();
    const id = state.nextId('lead', 301);
    const status = state.statuses.find((s) => s.entityId === 'STATUS' && s.statusId === (fields.STATUS_ID ?? 'NEW'));
    if (!status) throw invalidField('Stage');
    state.putCrmEntity({
      id,
      entityTypeId: 1,
      fields: {
        TITLE: '',
        ASSIGNED_BY_ID: actor.userId,
        SOURCE_ID: 'WEB',
        OPPORTUNITY: 0,
        CURRENCY_ID: 'USD',
        ...fields,
        ID: id,
        STATUS_ID: status.statusId,
        STATUS_SEMANTIC_ID: semanticLetter(status),
        DATE_CREATE: this.ctx.formatDate(now),
        DATE_MODIFY: this.ctx.formatDate(now),
        CREATED_BY_ID: actor.userId,
        MODIFY_BY_ID: actor.userId,
      },
    });
    state.stageHistory.push({
      id: state.nextId('stageHistory', 1001),
      entityTypeId: 1,
      typeId: 1,
      ownerId: id,
      createdTime: now,
      categoryId: 0,
      stageSemanticId: semanticLetter(status),
      stageId: status.statusId,
    });
    this.raise('ONCRMLEADADD', { FIELDS: { ID: String(id) } }, actor);
    return id;
  }

  /** A lead's card saved (status, responsible, title…): ONCRMLEADUPDATE, as the portal raises it. */
  updateLead(id: number, fields: Record<string, unknown>, actor: Actor): void {
    const { state } = this.ctx;
    const record = state.crmEntity(1, id);
    if (!record) throw itemNotFound();
    const next: Record<string, unknown> = { ...record.fields, ...fields, DATE_MODIFY: this.ctx.formatDate(this.ctx.clock.now()), MODIFY_BY_ID: actor.userId };
    if (fields.STATUS_ID !== undefined) {
      const status = state.statuses.find((s) => s.entityId === 'STATUS' && s.statusId === fields.STATUS_ID);
      if (!status) throw invalidField('Stage');
      next.STATUS_SEMANTIC_ID = semanticLetter(status);
    }
    state.putCrmEntity({ ...record, fields: next });
    this.raise('ONCRMLEADUPDATE', { FIELDS: { ID: String(id) } }, actor);
  }

  addActivity(input: ActivityInput, actor: Actor): ActivityRecord {
    const { state } = this.ctx;
    const now = this.ctx.clock.now();
    const ownerTypeId = input.ownerTypeId ?? 2;
    if (ownerTypeId === 2 && !state.deals.has(input.ownerId)) throw itemNotFound();
    const start = input.startTime ?? now;
    const end = input.endTime ?? start + (input.callDurationSec ?? 0) * 1000;
    const completed = input.completed ?? false;
    const isCall = input.typeId === 2;
    const activity: ActivityRecord = {
      id: state.nextId('activity', 501),
      ownerTypeId,
      ownerId: input.ownerId,
      typeId: input.typeId,
      providerId: input.providerId ?? defaultProvider(input.typeId).providerId,
      providerTypeId: input.providerTypeId ?? defaultProvider(input.typeId).providerTypeId,
      subject: input.subject ?? '',
      description: input.description ?? '',
      created: now,
      lastUpdated: now,
      startTime: start,
      endTime: end,
      // crm-activity-fields.md: DEADLINE is START_TIME for calls and meetings, END_TIME for the rest.
      deadline: input.typeId === 1 || isCall ? start : end,
      completed,
      status: completed ? 2 : 1,
      responsibleId: input.responsibleId ?? actor.userId,
      priority: input.priority ?? 2,
      direction: input.direction ?? 0,
      authorId: actor.userId,
      editorId: actor.userId,
      originatorId: input.originatorId ?? null,
      originId: input.originId ?? null,
      bindings: [{ ownerTypeId, ownerId: input.ownerId }, ...(input.extraBindings ?? [])],
      callDurationSec: isCall ? (input.callDurationSec ?? Math.round((end - start) / 1000)) : null,
    };
    state.activities.set(activity.id, activity);
    for (const b of activity.bindings) {
      const deal = b.ownerTypeId === 2 ? state.deals.get(b.ownerId) : undefined;
      if (deal) {
        deal.lastActivityTime = now;
        deal.lastActivityBy = actor.userId;
      }
    }
    this.raise('ONCRMACTIVITYADD', { FIELDS: { ID: String(activity.id) } }, actor);
    return activity;
  }

  updateActivity(id: number, patch: Partial<Pick<ActivityRecord, 'completed' | 'subject' | 'description' | 'endTime' | 'responsibleId'>>, actor: Actor): ActivityRecord {
    const activity = this.ctx.state.activities.get(id);
    if (!activity) throw new RestError(400, '', 'Activity is not found');
    Object.assign(activity, patch);
    if (patch.completed !== undefined) activity.status = patch.completed ? 2 : 1;
    activity.lastUpdated = this.ctx.clock.now();
    activity.editorId = actor.userId;
    this.raise('ONCRMACTIVITYUPDATE', { FIELDS: { ID: String(activity.id) } }, actor);
    return activity;
  }

  updateCompanyOrContact(entityTypeId: 3 | 4, id: number, fields: Record<string, unknown>, actor: Actor): void {
    const record = this.ctx.state.crmEntity(entityTypeId, id);
    if (!record) throw new RestError(400, '', entityTypeId === 4 ? 'Company is not found' : 'Contact is not found');
    for (const [key, value] of Object.entries(fields)) if (key !== 'ID') record.fields[key] = value;
    record.fields.DATE_MODIFY = this.ctx.formatDate(this.ctx.clock.now());
    record.fields.MODIFY_BY_ID = actor.userId;
    this.raise(entityTypeId === 4 ? 'ONCRMCOMPANYUPDATE' : 'ONCRMCONTACTUPDATE', { FIELDS: { ID: String(id) } }, actor);
  }

  /** The stage must exist and belong to the funnel the deal ends up in. */
  private stageIn(stageId: string, categoryId: number): StatusRecord {
    const stage = this.ctx.state.stagesOf(categoryId).find((s) => s.statusId === stageId);
    if (!stage) throw invalidField('Stage');
    return stage;
  }

  private history(deal: DealRecord, typeId: 1 | 2 | 3 | 5, stage: StatusRecord, at: number): void {
    const { state } = this.ctx;
    state.stageHistory.push({
      id: state.nextId('stageHistory', 1001),
      entityTypeId: 2,
      typeId,
      ownerId: deal.id,
      createdTime: at,
      categoryId: deal.categoryId,
      stageSemanticId: semanticLetter(stage),
      stageId: stage.statusId,
    });
  }

  private raise(event: string, data: Record<string, unknown>, actor: Actor): void {
    const auth: EventAuthRequest = { kind: actor.viaAutomation ? 'automation' : 'user', userId: actor.userId, scope: 'crm' };
    this.ctx.events.raise(event, data, auth);
  }
}

function startOfDay(ms: number, offsetMinutes: number): number {
  const local = ms + offsetMinutes * 60_000;
  return local - (local % 86_400_000) - offsetMinutes * 60_000;
}

function defaultProvider(typeId: number): { providerId: string; providerTypeId: string } {
  switch (typeId) {
    case 1:
      return { providerId: 'CRM_MEETING', providerTypeId: 'MEETING' };
    case 2:
      return { providerId: 'VOXIMPLANT_CALL', providerTypeId: 'CALL' };
    case 3:
      return { providerId: 'CRM_TASKS_TASK', providerTypeId: 'TASK' };
    case 4:
      return { providerId: 'CRM_EMAIL', providerTypeId: 'EMAIL' };
    default:
      return { providerId: 'CRM_TODO', providerTypeId: 'TODO' };
  }
}

// The programmatic side of the sandbox: people working in the portal UI (create, move, edit and delete
// deals, log calls and meetings, close tasks) and read access to everything the app wrote. UI actions go
// through the same CrmService as REST calls, so they leave the same history and raise the same events.

import type { SandboxContext } from './sandbox-context.js';
import type { Actor, ActivityInput, DealPatch } from './crm-service.js';
import { dealToItem } from './crm-item.mapper.js';
import type {
  ActivityRecord,
  CategoryRecord,
  CommentRecord,
  DealRecord,
  EventBindingRecord,
  ListElementRecord,
  ListFieldRecord,
  ListRecord,
  NotificationRecord,
  PlacementBindingRecord,
  SandboxUser,
  StageHistoryRecord,
  StatusRecord,
  TaskRecord,
  UserFieldRecord,
} from './sandbox-state.js';

/** A user id (acting in the UI; events carry that user's token) or a full actor (e.g. a robot). */
export type ActAs = number | Actor;

type DateInput = Date | string | number | null;

export interface DealInput extends Omit<DealPatch, 'begindate' | 'closedate'> {
  begindate?: DateInput;
  closedate?: DateInput;
}

export interface ActivityControlInput extends Omit<ActivityInput, 'startTime' | 'endTime'> {
  startTime?: DateInput;
  endTime?: DateInput;
}

export class SandboxControl {
  constructor(protected readonly ctx: SandboxContext) {}

  // ---- People in the UI -----------------------------------------------------------------------------

  createDeal(input: DealInput = {}, asUser: ActAs = 1): DealRecord {
    return this.ctx.crm.createDeal(this.dealPatch(input), actor(asUser));
  }

  updateDeal(id: number, input: DealInput, asUser: ActAs = 1): DealRecord {
    return this.ctx.crm.updateDeal(id, this.dealPatch(input), actor(asUser));
  }

  /** Drag the deal to a stage; a stage of another funnel moves it there (ONCRMDEALMOVETOCATEGORY). */
  moveDeal(id: number, stageId: string, asUser: ActAs = 1): DealRecord {
    const stage = this.ctx.state.dealStage(stageId);
    if (!stage) throw new Error(`Unknown deal stage ${stageId}`);
    return this.ctx.crm.updateDeal(id, { stageId, categoryId: stage.categoryId ?? 0 }, actor(asUser));
  }

  deleteDeal(id: number, asUser: ActAs = 1): void {
    this.ctx.crm.deleteDeal(id, actor(asUser));
  }

  createLead(fields: Record<string, unknown> = {}, asUser: ActAs = 1): number {
    return this.ctx.crm.createLead(fields, actor(asUser));
  }

  /** Save the lead's card, e.g. { STATUS_ID: 'JUNK' } to close it. */
  updateLead(id: number, fields: Record<string, unknown>, asUser: ActAs = 1): void {
    this.ctx.crm.updateLead(id, fields, actor(asUser));
  }

  addActivity(input: ActivityControlInput, asUser: ActAs = 1): ActivityRecord {
    const { startTime, endTime, ...rest } = input;
    return this.ctx.crm.addActivity(
      { ...rest, startTime: this.time(startTime) ?? undefined, endTime: this.time(endTime) ?? undefined },
      actor(asUser),
    );
  }

  completeActivity(id: number, asUser: ActAs = 1): ActivityRecord {
    return this.ctx.crm.updateActivity(id, { completed: true }, actor(asUser));
  }

  updateCompany(id: number, fields: Record<string, unknown>, asUser: ActAs = 1): void {
    this.ctx.crm.updateCompanyOrContact(4, id, fields, actor(asUser));
  }

  completeTask(id: number): TaskRecord {
    const task = this.ctx.state.tasks.get(id);
    if (!task) throw new Error(`Unknown task ${id}`);
    task.status = 5;
    task.closedDate = this.ctx.clock.now();
    task.changedDate = task.closedDate;
    return task;
  }

  // ---- What the portal holds ------------------------------------------------------------------------

  users(): readonly SandboxUser[] {
    return this.ctx.state.users;
  }

  categories(): readonly CategoryRecord[] {
    return this.ctx.state.categories;
  }

  stages(categoryId = 0): readonly StatusRecord[] {
    return this.ctx.state.stagesOf(categoryId);
  }

  deal(id: number): DealRecord | undefined {
    return this.ctx.state.deals.get(id);
  }

  deals(): DealRecord[] {
    return [...this.ctx.state.deals.values()];
  }

  /** The deal as crm.item.get would return it (camelCase, custom fields by their camelCase names). */
  dealItem(id: number): Record<string, unknown> | undefined {
    const deal = this.ctx.state.deals.get(id);
    return deal && dealToItem(deal, this.ctx.state, this.ctx.formatDate, { originalUf: false });
  }

  stageHistory(dealId?: number): StageHistoryRecord[] {
    return this.ctx.state.stageHistory.filter((h) => h.entityTypeId === 2 && (dealId === undefined || h.ownerId === dealId));
  }

  activities(dealId?: number): ActivityRecord[] {
    return [...this.ctx.state.activities.values()].filter(
      (a) => dealId === undefined || a.bindings.some((b) => b.ownerTypeId === 2 && b.ownerId === dealId),
    );
  }

  tasks(): TaskRecord[] {
    return [...this.ctx.state.tasks.values()];
  }

  comments(dealId?: number): CommentRecord[] {
    return this.ctx.state.comments.filter((c) => dealId === undefined || (c.entityType === 'deal' && c.entityId === dealId));
  }

  /** Live notifications (a repeated TAG has removed the older ones). */
  notifications(userId?: number): NotificationRecord[] {
    return this.ctx.state.notifications.filter((n) => userId === undefined || n.userId === userId);
  }

  /** Notifications removed because a newer one came with the same TAG. */
  replacedNotifications(): readonly NotificationRecord[] {
    return this.ctx.state.replacedNotifications;
  }

  userFields(): readonly UserFieldRecord[] {
    return this.ctx.state.userFields;
  }

  lists(): readonly ListRecord[] {
    return this.ctx.state.lists;
  }

  listFields(): readonly ListFieldRecord[] {
    return this.ctx.state.listFields;
  }

  listElements(iblockId?: number): ListElementRecord[] {
    return this.ctx.state.listElements.filter((e) => iblockId === undefined || e.iblockId === iblockId);
  }

  eventBindings(): readonly EventBindingRecord[] {
    return this.ctx.state.eventBindings;
  }

  placements(): readonly PlacementBindingRecord[] {
    return this.ctx.state.placements;
  }

  private time(value: DateInput | undefined): number | null | undefined {
    if (value === undefined) return undefined;
    if (value === null) return null;
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'number') return value;
    const parsed = this.ctx.parseDate(value);
    if (parsed === null) throw new Error(`Not a date: ${value}`);
    return parsed;
  }

  private dealPatch(input: DealInput): DealPatch {
    const { begindate, closedate, ...rest } = input;
    const patch: DealPatch = { ...rest };
    const b = this.time(begindate);
    const c = this.time(closedate);
    if (b !== undefined) patch.begindate = b;
    if (c !== undefined) patch.closedate = c;
    return patch;
  }
}

function actor(asUser: ActAs): Actor {
  return typeof asUser === 'number' ? { userId: asUser } : asUser;
}

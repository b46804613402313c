import type { Activity, Deal, HostUser, Lead, Pipeline, StageHistoryEntry } from '../../domain/crm.js';
import { LEAD_SELECT, mapLead } from './bitrix24-lead.mapper.js';
import type { MetricsRecord, MetricsRecordSchema } from '../../domain/metrics-record.js';
import type { CrmConnector } from '../crm-connector.js';
import { HostApiError } from '../host-api-error.js';
import { Bitrix24ActivityReader } from './bitrix24-activity.reader.js';
import type { Bitrix24Client, BatchCommand } from './bitrix24-client.js';
import { mapDeal, mapHistory } from './bitrix24-deal.mapper.js';
import { dealBinding, hasCommentMarker, withCommentMarker } from './bitrix24-marker.js';
import { dealStageEntityId, mapPipelines } from './bitrix24-pipeline.mapper.js';
import { ensureMetricsList, writeMetricsElement, type Bitrix24MetricsList } from './bitrix24-metrics-list.js';
import { bindEvents, bindPlacements, ensureGoalField, readAppInfo } from './bitrix24-setup.operations.js';
import type { Bitrix24AppInfo, PlacementBinding } from './bitrix24-setup.operations.js';
import { mapUser } from './bitrix24-user.mapper.js';
import type { WireRow } from './bitrix24-wire.js';
import { wireRows } from './bitrix24-wire.js';

/** crm.item entityTypeId of deals (api-reference/crm/data-types.md#object_type). */
const DEAL = 2;
/** List pages are 50 rows, always (list-methods-pecularities.md). */
const PAGE = 50;

export interface Bitrix24ConnectorOptions {
  /** Original name of the goal enumeration field (UF_CRM_…), once created; null before. */
  goalFieldName: string | null;
  /** Enumeration item id → goal code, as ensureGoalField returned it. */
  goalEnum: Record<string, string>;
  /** The metrics list made at install (ensureMetricsList); null when it could not be made. */
  metricsList?: Bitrix24MetricsList | null;
}

/**
 * CrmConnector for Bitrix24. Deals through crm.item.* with entityTypeId 2 (crm.deal.* is frozen:
 * crm-deal-list.md), custom fields under their original names (useOriginalUfNames=Y); stage history
 * through crm.stagehistory.list; pipelines through crm.category.list + crm.status.list. Reads that
 * belong together go in one batch (one request of the budget).
 */
export class Bitrix24Connector implements CrmConnector {
  readonly host = 'bitrix24' as const;
  private readonly activities: Bitrix24ActivityReader;

  constructor(
    private readonly client: Bitrix24Client,
    private readonly o: Bitrix24ConnectorOptions,
  ) {
    this.activities = new Bitrix24ActivityReader(client);
  }

  // ---- reads ------------------------------------------------------------------------------------

  async listPipelines(): Promise<Pipeline[]> {
    const categories: WireRow[] = [];
    for (let start = 0; ; start += PAGE) {
      const page = await this.client.callPage<{ categories?: unknown }>('crm.category.list', { entityTypeId: DEAL, start });
      const rows = wireRows(page.result?.categories);
      categories.push(...rows);
      if (!page.more || rows.length === 0) break;
    }
    const statuses: Record<string, WireRow[]> = {};
    for (let i = 0; i < categories.length; i += 50) {
      const chunk = categories.slice(i, i + 50);
      const commands = Object.fromEntries(
        chunk.map((c) => [`c${String(c.id)}`, { method: 'crm.status.list', params: { filter: { ENTITY_ID: dealStageEntityId(String(c.id)) }, order: { SORT: 'ASC' } } }]),
      );
      const { results, errors } = await this.client.batch(commands);
      throwFirst(errors);
      for (const c of chunk) statuses[String(c.id)] = wireRows(results[`c${String(c.id)}`]);
    }
    return mapPipelines(categories, statuses);
  }

  async listUsers(): Promise<HostUser[]> {
    const users: HostUser[] = [];
    for (let start = 0; ; start += PAGE) {
      const page = await this.client.callPage<unknown>('user.get', { sort: 'ID', order: 'ASC', start });
      const rows = wireRows(page.result);
      users.push(...rows.map(mapUser));
      if (!page.more || rows.length < PAGE) return users;
    }
  }

  /** The deal and its stage history in one batch; null when the deal is gone. */
  async getDealWithHistory(dealId: string): Promise<{ deal: Deal; history: StageHistoryEntry[] } | null> {
    return (await this.getDealsWithHistory([dealId])).get(dealId) ?? null;
  }

  /** Up to 25 deals per batch: two commands each, 50 at most (batch.md). Deals missing from the map are gone. */
  async getDealsWithHistory(dealIds: string[]): Promise<Map<string, { deal: Deal; history: StageHistoryEntry[] }>> {
    const out = new Map<string, { deal: Deal; history: StageHistoryEntry[] }>();
    const ids = [...new Set(dealIds)];
    for (let i = 0; i < ids.length; i += 25) {
      const chunk = ids.slice(i, i + 25);
      const commands: Record<string, BatchCommand> = {};
      chunk.forEach((id, k) => {
        commands[`deal${k}`] = { method: 'crm.item.get', params: { entityTypeId: DEAL, id, useOriginalUfNames: 'Y' } };
        commands[`history${k}`] = { method: 'crm.stagehistory.list', params: historyParams([id], '0') };
      });
      const { results, errors } = await this.client.batch(commands);
      for (const [k, id] of chunk.entries()) {
        const dealError = errors[`deal${k}`];
        if (dealError?.code === 'NOT_FOUND') continue;
        if (dealError) throw dealError;
        if (errors[`history${k}`]) throw errors[`history${k}`];
        const item = (results[`deal${k}`] as { item?: WireRow } | undefined)?.item;
        if (!item) throw new HostApiError('UNKNOWN', `crm.item.get ${id} answered without an item`);
        let rows = wireRows((results[`history${k}`] as { items?: unknown } | undefined)?.items);
        // A long history does not fit one page: read on by id.
        if (rows.length >= PAGE) rows = [...rows, ...(await this.historyRowsAfter([id], String(rows[rows.length - 1]!.ID)))];
        out.set(id, { deal: mapDeal(item, this.goal()), history: mapHistory(rows, item) });
      }
    }
    return out;
  }

  /** The activity, its deal bindings and (for a call) its talk time, in one batch; null when it is gone. */
  getActivity(activityId: string): Promise<Activity | null> {
    return this.activities.get(activityId);
  }

  async getTaskStates(taskIds: string[]): Promise<Map<string, { completed: boolean; deadline: string | null }>> {
    const out = new Map<string, { completed: boolean; deadline: string | null }>();
    for (let i = 0; i < taskIds.length; i += PAGE) {
      const r = await this.client.call<{ tasks?: unknown }>('tasks.task.list', { filter: { ID: taskIds.slice(i, i + PAGE) }, select: ['ID', 'STATUS', 'DEADLINE'] });
      for (const t of wireRows(r?.tasks)) {
        const deadline = t.deadline ?? t.DEADLINE;
        // STATUS 5 = completed (tasks-task-list.md: REAL_STATUS).
        out.set(String(t.id ?? t.ID), { completed: String(t.status ?? t.STATUS) === '5', deadline: deadline ? new Date(String(deadline)).toISOString() : null });
      }
    }
    return out;
  }

  /** One page (50) of deals modified at or after `since`, by id, without counting (start=-1: huge-data.md). */
  async listDealsModifiedSince(since: Date, afterId?: string): Promise<{ deals: Deal[]; nextAfterId: string | null }> {
    const r = await this.client.call<{ items?: unknown }>('crm.item.list', {
      entityTypeId: DEAL,
      select: ['*'],
      filter: { '>=updatedTime': since.toISOString(), '>id': afterId ?? 0 },
      order: { id: 'ASC' },
      start: -1,
      useOriginalUfNames: 'Y',
    });
    const deals = wireRows(r?.items).map((item) => mapDeal(item, this.goal()));
    return { deals, nextAfterId: deals.length === PAGE ? deals[deals.length - 1]!.id : null };
  }

  listActivitiesModifiedSince(since: Date, afterId?: string): Promise<{ activities: Activity[]; nextAfterId: string | null }> {
    return this.activities.listModifiedSince(since, afterId);
  }

  /** Every history row of these deals, through the SDK's callList (paged by ID, no count). */
  async listStageHistory(dealIds: string[]): Promise<StageHistoryEntry[]> {
    const out: StageHistoryEntry[] = [];
    const ids = [...new Set(dealIds)];
    for (let i = 0; i < ids.length; i += PAGE) {
      const chunk = ids.slice(i, i + PAGE);
      const rows = await this.client.callList<WireRow>(
        'crm.stagehistory.list',
        { entityTypeId: DEAL, filter: { '@OWNER_ID': chunk } },
        { idKey: 'ID', customKeyForResult: 'items' },
      );
      out.push(...mapHistory(rows));
    }
    return out;
  }

  private async historyRowsAfter(dealIds: string[], afterId: string): Promise<WireRow[]> {
    const out: WireRow[] = [];
    for (let after = afterId; ; ) {
      const rows = wireRows((await this.client.call<{ items?: unknown }>('crm.stagehistory.list', historyParams(dealIds, after)))?.items);
      out.push(...rows);
      if (rows.length < PAGE) return out;
      after = String(rows[rows.length - 1]!.ID);
    }
  }

  // ---- writes -----------------------------------------------------------------------------------

  /** crm.item.update with categoryId: crm.deal.update cannot change the funnel (crm-deal-update.md). */
  async moveDeal(dealId: string, pipelineId: string, stageId: string): Promise<void> {
    await this.client.call('crm.item.update', { entityTypeId: DEAL, id: Number(dealId), fields: { categoryId: Number(pipelineId), stageId } });
  }

  async setResponsible(dealId: string, userId: string): Promise<void> {
    await this.client.call('crm.item.update', { entityTypeId: DEAL, id: Number(dealId), fields: { assignedById: Number(userId) } });
  }

  async clearGoalMark(dealId: string): Promise<void> {
    if (this.o.goalFieldName === null) return;
    await this.client.call('crm.item.update', {
      entityTypeId: DEAL,
      id: Number(dealId),
      fields: { [this.o.goalFieldName]: '' },
      useOriginalUfNames: 'Y',
    });
  }

  /**
   * crm.company.update / crm.contact.update, deprecated but working: rules name client fields the way
   * the portal's field settings show them (COMPANY_TYPE, UF_CRM_…), and crm.item.update would
   * silently ignore such names ("An incorrect field in fields will be ignored": crm-item-update.md).
   */
  async setClientField(entity: 'company' | 'contact', entityId: string, field: string, value: string): Promise<void> {
    await this.client.call(entity === 'company' ? 'crm.company.update' : 'crm.contact.update', { id: Number(entityId), fields: { [field]: value } });
  }

  async createTask(task: { dealId: string; title: string; description: string; responsibleId: string; deadline: string; marker: string }): Promise<{ id: string }> {
    const r = await this.client.call<{ task?: { id?: unknown } }>(
      'tasks.task.add',
      {
        fields: {
          TITLE: task.title,
          DESCRIPTION: task.description,
          RESPONSIBLE_ID: Number(task.responsibleId),
          DEADLINE: task.deadline,
          UF_CRM_TASK: [dealBinding(task.dealId)],
          XML_ID: task.marker,
        },
      },
      { create: true },
    );
    if (r?.task?.id === undefined) throw new HostApiError('UNKNOWN', 'tasks.task.add answered without a task id');
    return { id: String(r.task.id) };
  }

  async findTaskByMarker(marker: string, dealId: string): Promise<{ id: string } | null> {
    for (let start = 0; ; start += PAGE) {
      const page = await this.client.callPage<{ tasks?: unknown }>('tasks.task.list', {
        filter: { UF_CRM_TASK: dealBinding(dealId) },
        select: ['ID', 'XML_ID'],
        order: { ID: 'desc' },
        start,
      });
      const rows = wireRows(page.result?.tasks);
      const found = rows.find((t) => (t.xmlId ?? t.XML_ID) === marker);
      if (found) return { id: String(found.id ?? found.ID) };
      if (!page.more || rows.length < PAGE) return null;
    }
  }

  async addComment(dealId: string, text: string, marker: string): Promise<{ id: string }> {
    const id = await this.client.call<unknown>(
      'crm.timeline.comment.add',
      // The key must be lowercase `fields` since crm 23.100.0 (crm-timeline-comment-add.md).
      { fields: { ENTITY_ID: Number(dealId), ENTITY_TYPE: 'deal', COMMENT: withCommentMarker(text, marker) } },
      { create: true },
    );
    if (id === null || id === undefined || id === false) throw new HostApiError('UNKNOWN', 'crm.timeline.comment.add answered without an id');
    return { id: String(id) };
  }

  async findCommentByMarker(marker: string, dealId: string): Promise<{ id: string } | null> {
    // Newest first: a comment we are looking for was made recently.
    for (let start = 0; ; start += PAGE) {
      const page = await this.client.callPage<unknown>('crm.timeline.comment.list', {
        filter: { ENTITY_ID: Number(dealId), ENTITY_TYPE: 'deal' },
        select: ['ID', 'COMMENT'],
        order: { ID: 'DESC' },
        start,
      });
      const rows = wireRows(page.result);
      const found = rows.find((row) => hasCommentMarker(row.COMMENT, marker));
      if (found) return { id: String(found.ID) };
      if (!page.more || rows.length < PAGE) return null;
    }
  }

  /** A repeat with the same TAG replaces the earlier notification (im-notify-system-add.md). */
  async notify(userId: string, message: string, tag: string): Promise<void> {
    await this.client.call('im.notify.system.add', { USER_ID: Number(userId), MESSAGE: message, TAG: tag });
  }

  /** Leads by id through crm.lead.list, 50 per request (one page); missing ids are gone. */
  async getLeads(ids: string[]): Promise<Map<string, Lead>> {
    const out = new Map<string, Lead>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += PAGE) {
      const chunk = unique.slice(i, i + PAGE);
      const rows = wireRows(await this.client.call('crm.lead.list', { filter: { '@ID': chunk.map(Number) }, select: LEAD_SELECT }));
      for (const row of rows) out.set(String(row.ID), mapLead(row));
    }
    return out;
  }

  /** Leads changed at or after `since`, by id; what reconcile reads when a lead event was lost. */
  async listLeadsModifiedSince(since: Date, afterId?: string): Promise<{ leads: Lead[]; nextAfterId: string | null }> {
    const rows = wireRows(
      await this.client.call('crm.lead.list', { filter: { '>=DATE_MODIFY': since.toISOString(), '>ID': Number(afterId ?? 0) }, order: { ID: 'ASC' }, select: LEAD_SELECT }),
    );
    const leads = rows.map(mapLead);
    return { leads, nextAfterId: leads.length === PAGE ? leads[leads.length - 1]!.id : null };
  }

  // ---- install time -----------------------------------------------------------------------------

  appInfo(): Promise<Bitrix24AppInfo> {
    return readAppInfo(this.client);
  }

  bindEvents(handlerUrl: string, events: string[]): Promise<void> {
    return bindEvents(this.client, handlerUrl, events);
  }

  bindPlacements(placements: PlacementBinding[]): Promise<void> {
    return bindPlacements(this.client, placements);
  }

  ensureGoalField(fieldName: string, label: string, items: { code: string; title: string }[]): Promise<Record<string, string>> {
    return ensureGoalField(this.client, fieldName, label, items);
  }

  ensureMetricsList(schema: MetricsRecordSchema): Promise<Bitrix24MetricsList> {
    return ensureMetricsList(this.client, schema);
  }

  async writeMetricsRecord(record: MetricsRecord): Promise<{ id: string | null }> {
    // Not made at install (no admin rights then, or an install from before it existed): the next set-up makes it.
    if (!this.o.metricsList) throw new HostApiError('VALIDATION', 'the metrics list is not set up on this portal: reinstall or update the app');
    return writeMetricsElement(this.client, this.o.metricsList, record);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private goal() {
    return { fieldName: this.o.goalFieldName, enumToCode: this.o.goalEnum };
  }

}

function historyParams(dealIds: string[], afterId: string): Record<string, unknown> {
  return {
    entityTypeId: DEAL,
    filter: dealIds.length === 1 ? { OWNER_ID: dealIds[0], '>ID': afterId } : { '@OWNER_ID': dealIds, '>ID': afterId },
    order: { ID: 'ASC' },
    start: -1,
  };
}

function throwFirst(errors: Record<string, HostApiError>): void {
  const first = Object.values(errors)[0];
  if (first) throw first;
}

import type { Activity, Deal, HostUser, Pipeline, StageHistoryEntry } from '../../domain/crm.js';
import type { Bitrix24SetupOps } from '../../portals/bitrix24-lifecycle.js';
import type { CrmConnector } from '../crm-connector.js';
import { HostApiError } from '../host-api-error.js';
import type { Bitrix24Client } from './bitrix24-client.js';
import { mapActivity, mapDeal, mapHistory, mapPipelines, mapUser, ufToCamel } from './bitrix24-mappers.js';

const DEAL = 2;
const PAGE = 50;

export interface Bitrix24ConnectorOptions {
  /** UF_CRM_… name of the goal enumeration field, once created. */
  goalFieldName: string | null;
  /** Host enumeration item id → goal code. */
  goalEnum: Record<string, string>;
}

/**
 * CrmConnector for Bitrix24. Deals through crm.item.* (entityTypeId 2: the crm.deal.* methods are
 * frozen), stage history through crm.stagehistory.list, pipelines through crm.category.list and
 * crm.status.list. Reads are batched; creates carry a marker so a retry can find what it made.
 */
export class Bitrix24Connector implements CrmConnector, Bitrix24SetupOps {
  readonly host = 'bitrix24' as const;

  constructor(
    private readonly client: Bitrix24Client,
    private readonly o: Bitrix24ConnectorOptions,
  ) {}

  private deal(item: Record<string, unknown>): Deal {
    return mapDeal(item, { fieldName: this.o.goalFieldName, enumToCode: this.o.goalEnum });
  }

  async listPipelines(): Promise<Pipeline[]> {
    const { categories } = await this.client.call<{ categories: Record<string, unknown>[] }>('crm.category.list', { entityTypeId: DEAL });
    const commands = Object.fromEntries(
      categories.map((c) => [`c${c.id}`, { method: 'crm.status.list', params: { filter: { ENTITY_ID: String(c.id) === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${c.id}` }, order: { SORT: 'ASC' } } }]),
    );
    const { results, errors } = await this.client.batch(commands);
    const firstError = Object.values(errors)[0];
    if (firstError) throw firstError;
    const byCategory: Record<string, Record<string, unknown>[]> = {};
    for (const c of categories) byCategory[String(c.id)] = (results[`c${c.id}`] as Record<string, unknown>[]) ?? [];
    return mapPipelines(categories, byCategory);
  }

  async listUsers(): Promise<HostUser[]> {
    const users: HostUser[] = [];
    let start = 0;
    for (;;) {
      const page = await this.client.call<Record<string, unknown>[]>('user.get', { start });
      users.push(...page.map(mapUser));
      if (page.length < PAGE) return users;
      start += PAGE;
    }
  }

  async getDealWithHistory(dealId: string): Promise<{ deal: Deal; history: StageHistoryEntry[] } | null> {
    const { results, errors } = await this.client.batch({
      deal: { method: 'crm.item.get', params: { entityTypeId: DEAL, id: dealId, useOriginalUfNames: 'N' } },
      history: { method: 'crm.stagehistory.list', params: { entityTypeId: DEAL, filter: { OWNER_ID: dealId }, order: { ID: 'ASC' }, start: -1 } },
    });
    if (errors.deal?.code === 'NOT_FOUND') return null;
    if (errors.deal) throw errors.deal;
    if (errors.history) throw errors.history;
    const item = (results.deal as { item: Record<string, unknown> }).item;
    let history = ((results.history as { items: Record<string, unknown>[] }).items ?? []).map(mapHistory);
    // A long history does not fit one page: read the rest by id.
    if (history.length >= PAGE) history = [...history, ...(await this.historyAfter([dealId], history[history.length - 1]!.id))];
    return { deal: this.deal(item), history };
  }

  async getDealsWithHistory(dealIds: string[]): Promise<Map<string, { deal: Deal; history: StageHistoryEntry[] }>> {
    const out = new Map<string, { deal: Deal; history: StageHistoryEntry[] }>();
    // Two commands per deal, at most 50 per batch.
    for (let i = 0; i < dealIds.length; i += 25) {
      const chunk = dealIds.slice(i, i + 25);
      const commands: Record<string, { method: string; params: Record<string, unknown> }> = {};
      chunk.forEach((id, k) => {
        commands[`d${k}`] = { method: 'crm.item.get', params: { entityTypeId: DEAL, id, useOriginalUfNames: 'N' } };
        commands[`h${k}`] = { method: 'crm.stagehistory.list', params: { entityTypeId: DEAL, filter: { OWNER_ID: id }, order: { ID: 'ASC' }, start: -1 } };
      });
      const { results, errors } = await this.client.batch(commands);
      for (const [k, id] of chunk.entries()) {
        const dealErr = errors[`d${k}`];
        if (dealErr?.code === 'NOT_FOUND') continue;
        if (dealErr) throw dealErr;
        if (errors[`h${k}`]) throw errors[`h${k}`];
        let history = ((results[`h${k}`] as { items: Record<string, unknown>[] }).items ?? []).map(mapHistory);
        if (history.length >= PAGE) history = [...history, ...(await this.historyAfter([id], history[history.length - 1]!.id))];
        out.set(id, { deal: this.deal((results[`d${k}`] as { item: Record<string, unknown> }).item), history });
      }
    }
    return out;
  }

  async getActivity(activityId: string): Promise<Activity | null> {
    const { results, errors } = await this.client.batch({
      a: { method: 'crm.activity.get', params: { id: activityId } },
    });
    if (errors.a?.code === 'NOT_FOUND') return null;
    if (errors.a) throw errors.a;
    const row = results.a as Record<string, unknown> | null;
    if (!row) return null;
    return mapActivity(row, await this.callDuration(row));
  }

  /** Call length is not an activity field; telephony statistics have it (CALL_DURATION). */
  private async callDuration(row: Record<string, unknown>): Promise<number | null> {
    if (String(row.TYPE_ID) !== '2') return null;
    try {
      const stats = await this.client.call<Record<string, unknown>[]>('voximplant.statistic.get', { FILTER: { CRM_ACTIVITY_ID: row.ID } });
      const d = stats?.[0]?.CALL_DURATION;
      return d === undefined || d === null ? null : Number(d);
    } catch (err) {
      // Without the telephony scope the duration stays unknown; the call itself still counts.
      if (err instanceof HostApiError && (err.code === 'AUTH_REVOKED' || err.code === 'VALIDATION' || err.code === 'NOT_FOUND')) return null;
      throw err;
    }
  }

  async listDealsModifiedSince(since: Date, afterId?: string): Promise<{ deals: Deal[]; nextAfterId: string | null }> {
    const filter: Record<string, unknown> = { '>=updatedTime': since.toISOString() };
    if (afterId) filter['>id'] = afterId;
    const { items } = await this.client.call<{ items: Record<string, unknown>[] }>('crm.item.list', {
      entityTypeId: DEAL,
      filter,
      order: { id: 'ASC' },
      start: -1,
      useOriginalUfNames: 'N',
    });
    const deals = items.map((i) => this.deal(i));
    return { deals, nextAfterId: deals.length === PAGE ? deals[deals.length - 1]!.id : null };
  }

  async listActivitiesModifiedSince(since: Date, afterId?: string): Promise<{ activities: Activity[]; nextAfterId: string | null }> {
    const filter: Record<string, unknown> = { '>=LAST_UPDATED': since.toISOString() };
    if (afterId) filter['>ID'] = afterId;
    const rows = await this.client.call<Record<string, unknown>[]>('crm.activity.list', { filter, order: { ID: 'ASC' }, select: ['*', 'BINDINGS'], start: -1 });
    const activities: Activity[] = [];
    for (const r of rows) activities.push(mapActivity(r, await this.callDuration(r)));
    return { activities, nextAfterId: rows.length === PAGE ? String(rows[rows.length - 1]!.ID) : null };
  }

  async listStageHistory(dealIds: string[]): Promise<StageHistoryEntry[]> {
    if (!dealIds.length) return [];
    return this.historyAfter(dealIds, '0');
  }

  private async historyAfter(dealIds: string[], afterId: string): Promise<StageHistoryEntry[]> {
    const out: StageHistoryEntry[] = [];
    let after = afterId;
    for (;;) {
      const { items } = await this.client.call<{ items: Record<string, unknown>[] }>('crm.stagehistory.list', {
        entityTypeId: DEAL,
        filter: { OWNER_ID: dealIds, '>ID': after },
        order: { ID: 'ASC' },
        start: -1,
      });
      out.push(...items.map(mapHistory));
      if (items.length < PAGE) return out;
      after = String(items[items.length - 1]!.ID);
    }
  }

  async moveDeal(dealId: string, pipelineId: string, stageId: string): Promise<void> {
    await this.client.call('crm.item.update', { entityTypeId: DEAL, id: dealId, fields: { categoryId: Number(pipelineId), stageId } });
  }

  async setResponsible(dealId: string, userId: string): Promise<void> {
    await this.client.call('crm.item.update', { entityTypeId: DEAL, id: dealId, fields: { assignedById: Number(userId) } });
  }

  async clearGoalMark(dealId: string): Promise<void> {
    if (!this.o.goalFieldName) return;
    await this.client.call('crm.item.update', { entityTypeId: DEAL, id: dealId, fields: { [ufToCamel(this.o.goalFieldName)]: '' } });
  }

  async setClientField(entity: 'company' | 'contact', entityId: string, field: string, value: string): Promise<void> {
    await this.client.call(entity === 'company' ? 'crm.company.update' : 'crm.contact.update', { id: entityId, fields: { [field]: value } });
  }

  async createTask(task: { dealId: string; title: string; description: string; responsibleId: string; deadline: string; marker: string }): Promise<{ id: string }> {
    const r = await this.client.call<{ task: { id: string | number } }>(
      'tasks.task.add',
      {
        fields: {
          TITLE: task.title,
          DESCRIPTION: task.description,
          RESPONSIBLE_ID: Number(task.responsibleId),
          DEADLINE: task.deadline,
          UF_CRM_TASK: [`D_${task.dealId}`],
          // XML_ID cannot be filtered on (tasks.task.list); the tag can.
          XML_ID: task.marker,
          TAGS: [task.marker],
        },
      },
      { create: true },
    );
    return { id: String(r.task.id) };
  }

  async findTaskByMarker(marker: string): Promise<{ id: string } | null> {
    const r = await this.client.call<{ tasks: { id: string | number }[] }>('tasks.task.list', { filter: { TAG: marker }, select: ['ID'] });
    return r.tasks?.[0] ? { id: String(r.tasks[0].id) } : null;
  }

  async getTaskStates(taskIds: string[]): Promise<Map<string, { completed: boolean; deadline: string | null }>> {
    const out = new Map<string, { completed: boolean; deadline: string | null }>();
    for (let i = 0; i < taskIds.length; i += PAGE) {
      const r = await this.client.call<{ tasks: Record<string, unknown>[] }>('tasks.task.list', {
        filter: { ID: taskIds.slice(i, i + PAGE) },
        select: ['ID', 'STATUS', 'DEADLINE'],
      });
      for (const t of r.tasks ?? []) {
        const deadline = t.deadline ?? t.DEADLINE;
        // STATUS 5 = completed (tasks/fields.md).
        out.set(String(t.id ?? t.ID), { completed: String(t.status ?? t.STATUS) === '5', deadline: deadline ? new Date(String(deadline)).toISOString() : null });
      }
    }
    return out;
  }

  async addComment(dealId: string, text: string, marker: string): Promise<{ id: string }> {
    const id = await this.client.call<number>(
      'crm.timeline.comment.add',
      { fields: { ENTITY_ID: Number(dealId), ENTITY_TYPE: 'deal', COMMENT: `${text}\n[${marker}]` } },
      { create: true },
    );
    return { id: String(id) };
  }

  async findCommentByMarker(marker: string, dealId: string): Promise<{ id: string } | null> {
    const rows = await this.client.call<{ ID: string; COMMENT: string }[]>('crm.timeline.comment.list', {
      filter: { ENTITY_ID: Number(dealId), ENTITY_TYPE: 'deal' },
      select: ['ID', 'COMMENT'],
    });
    const found = rows.find((r) => typeof r.COMMENT === 'string' && r.COMMENT.includes(`[${marker}]`));
    return found ? { id: String(found.ID) } : null;
  }

  async notify(userId: string, message: string, tag: string): Promise<void> {
    await this.client.call('im.notify.system.add', { USER_ID: Number(userId), MESSAGE: message, TAG: tag });
  }

  // ---- install-time operations -------------------------------------------------------------

  async appInfo(): Promise<{ licenseFamily: string | null; license: string | null }> {
    const r = await this.client.call<Record<string, unknown>>('app.info');
    return { licenseFamily: (r.LICENSE_FAMILY as string) ?? null, license: (r.LICENSE as string) ?? null };
  }

  async bindEvents(handlerUrl: string, events: string[]): Promise<void> {
    const bound = await this.client.call<{ event: string; handler: string }[]>('event.get');
    const have = new Set(bound.filter((b) => b.handler === handlerUrl).map((b) => b.event.toUpperCase()));
    const missing = events.filter((e) => !have.has(e.toUpperCase()));
    if (!missing.length) return;
    const { errors } = await this.client.batch(Object.fromEntries(missing.map((e) => [e, { method: 'event.bind', params: { event: e, handler: handlerUrl } }])));
    for (const [event, err] of Object.entries(errors)) {
      // A duplicate binding is what we wanted anyway (event-bind.md: ERROR_HANDLER_ALREADY_EXIST).
      if (err.hostCode === 'ERROR_HANDLER_ALREADY_EXIST' || /already exist/i.test(err.message)) continue;
      throw new HostApiError(err.code, `event.bind ${event}: ${err.message}`, err.status, err.hostCode);
    }
  }

  async bindPlacements(placements: { placement: string; handlerUrl: string; title: string; description: string }[]): Promise<void> {
    const bound = await this.client.call<{ placement: string; handler: string }[]>('placement.get');
    const have = new Set(bound.map((b) => `${b.placement}|${b.handler}`));
    const missing = placements.filter((p) => !have.has(`${p.placement}|${p.handlerUrl}`));
    if (!missing.length) return;
    const { errors } = await this.client.batch(
      Object.fromEntries(
        missing.map((p, i) => [`p${i}`, { method: 'placement.bind', params: { PLACEMENT: p.placement, HANDLER: p.handlerUrl, TITLE: p.title, DESCRIPTION: p.description } }]),
      ),
    );
    for (const err of Object.values(errors)) {
      if (/already bind|already exist/i.test(err.message)) continue;
      throw err;
    }
  }

  async ensureGoalField(fieldName: string, label: string, items: { code: string; title: string }[]): Promise<Record<string, string>> {
    const full = `UF_CRM_${fieldName}`;
    const find = async () =>
      (await this.client.call<Record<string, unknown>[]>('crm.deal.userfield.list', { filter: { FIELD_NAME: full } }))?.find((f) => f.FIELD_NAME === full);
    let field = await find();
    if (!field) {
      await this.client.call(
        'crm.deal.userfield.add',
        {
          fields: {
            FIELD_NAME: fieldName,
            USER_TYPE_ID: 'enumeration',
            EDIT_FORM_LABEL: label,
            LIST_COLUMN_LABEL: label,
            LIST: items.map((it, i) => ({ VALUE: it.title, XML_ID: it.code, SORT: (i + 1) * 10 })),
          },
        },
        { create: true },
      ).catch((err: unknown) => {
        // Another run created it meanwhile: fine, it is read back below.
        if (!(err instanceof HostApiError && /already exists/i.test(err.message))) throw err;
      });
      field = await find();
    }
    const list = (field?.LIST as { ID: string; XML_ID: string }[] | undefined) ?? [];
    return Object.fromEntries(list.map((i) => [String(i.ID), i.XML_ID]));
  }
}

import type { Activity, ActivityKind, Deal, HostUser, Pipeline, StageHistoryEntry, StageSemantics } from '../../domain/crm.js';

// Wire → domain for Bitrix24: crm.item (camelCase, entityTypeId 2), crm.stagehistory.list,
// crm.activity.*, crm.category.list + crm.status.list, user.get.

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v));
const iso = (v: unknown): string | null => {
  const s = str(v);
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** `UF_CRM_STAGEGUARD_GOAL` → `ufCrmStageguardGoal`: how crm.item names user fields. */
export function ufToCamel(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

export function mapDeal(item: Record<string, unknown>, goal: { fieldName: string | null; enumToCode: Record<string, string> }): Deal {
  const goalRaw = goal.fieldName ? item[ufToCamel(goal.fieldName)] : null;
  const goalId = Array.isArray(goalRaw) ? str(goalRaw[0]) : str(goalRaw);
  return {
    id: String(item.id),
    pipelineId: String(item.categoryId ?? '0'),
    stageId: String(item.stageId),
    title: String(item.title ?? ''),
    responsibleId: str(item.assignedById),
    amount: num(item.opportunity),
    currency: str(item.currencyId),
    closeDate: iso(item.closedate),
    probability: num(item.probability),
    companyId: str(item.companyId) === '0' ? null : str(item.companyId),
    contactId: str(item.contactId) === '0' ? null : str(item.contactId),
    createdAt: iso(item.createdTime) ?? new Date(0).toISOString(),
    updatedAt: iso(item.updatedTime) ?? iso(item.createdTime) ?? new Date(0).toISOString(),
    goalMark: goalId ? (goal.enumToCode[goalId] ?? null) : null,
    fields: item,
  };
}

export function mapHistory(row: Record<string, unknown>): StageHistoryEntry {
  return {
    id: String(row.ID),
    dealId: String(row.OWNER_ID),
    pipelineId: String(row.CATEGORY_ID ?? '0'),
    stageId: String(row.STAGE_ID),
    at: iso(row.CREATED_TIME) ?? new Date(0).toISOString(),
    byUserId: null,
  };
}

// TYPE_ID: 1 meeting, 2 call, 3 task, 4 email, 6 provider-defined (crm.enum.activitytype).
const PROVIDER_KIND: Record<string, ActivityKind> = {
  VOXIMPLANT_CALL: 'call',
  CRM_CALL_TRACKER: 'call',
  CRM_EMAIL: 'email',
  IMOPENLINES_SESSION: 'chat',
  CRM_MEETING: 'meeting',
  CRM_TODO: 'task',
  TASKS_TASK: 'task',
  CRM_DOCUMENT: 'offer',
  CRM_QUOTE: 'offer',
};
const TYPE_KIND: Record<string, ActivityKind> = { '1': 'meeting', '2': 'call', '3': 'task', '4': 'email' };

export function mapActivity(row: Record<string, unknown>, callDurationSec: number | null): Activity {
  const bindings = Array.isArray(row.BINDINGS) ? (row.BINDINGS as Record<string, unknown>[]) : [];
  const dealIds = new Set<string>();
  for (const b of bindings) if (String(b.OWNER_TYPE_ID) === '2') dealIds.add(String(b.OWNER_ID));
  if (String(row.OWNER_TYPE_ID) === '2' && row.OWNER_ID) dealIds.add(String(row.OWNER_ID));
  const direction = String(row.DIRECTION ?? '');
  return {
    id: String(row.ID),
    kind: PROVIDER_KIND[String(row.PROVIDER_ID ?? '')] ?? TYPE_KIND[String(row.TYPE_ID ?? '')] ?? 'other',
    direction: direction === '1' ? 'in' : direction === '2' ? 'out' : null,
    durationSec: callDurationSec,
    completed: row.COMPLETED === 'Y' || row.COMPLETED === true,
    responsibleId: str(row.RESPONSIBLE_ID),
    dealIds: [...dealIds],
    subject: String(row.SUBJECT ?? ''),
    createdAt: iso(row.CREATED) ?? new Date(0).toISOString(),
    startAt: iso(row.START_TIME),
    deadline: iso(row.DEADLINE),
  };
}

/** SEMANTICS: 'S' success, 'F' failure, empty = in progress (crm.status.list; EXTRA.SEMANTICS says the same in words). */
export function stageSemantics(row: Record<string, unknown>): StageSemantics {
  const s = String(row.SEMANTICS ?? '');
  const extra = String((row.EXTRA as Record<string, unknown> | undefined)?.SEMANTICS ?? '');
  if (s === 'S' || extra === 'success') return 'success';
  if (s === 'F' || extra === 'failure' || extra === 'apology') return 'failure';
  return 'process';
}

export function mapPipelines(categories: Record<string, unknown>[], statusesByCategory: Record<string, Record<string, unknown>[]>): Pipeline[] {
  return categories
    .map((c) => {
      const id = String(c.id);
      const stages = (statusesByCategory[id] ?? [])
        .map((s) => ({ id: String(s.STATUS_ID), pipelineId: id, name: String(s.NAME), sort: Number(s.SORT ?? 0), semantics: stageSemantics(s) }))
        .sort((a, b) => a.sort - b.sort);
      return { id, name: String(c.name ?? ''), sort: Number(c.sort ?? 0), isDefault: c.isDefault === 'Y' || c.isDefault === true, stages };
    })
    .sort((a, b) => a.sort - b.sort);
}

export function mapUser(u: Record<string, unknown>): HostUser {
  const name = [u.NAME, u.LAST_NAME].filter((x) => typeof x === 'string' && x).join(' ');
  return {
    id: String(u.ID),
    name: name || String(u.EMAIL ?? u.ID),
    email: str(u.EMAIL),
    active: u.ACTIVE === true || u.ACTIVE === 'Y' || u.ACTIVE === '1',
    isAdmin: u.IS_ADMIN === true || u.IS_ADMIN === 'Y',
  };
}

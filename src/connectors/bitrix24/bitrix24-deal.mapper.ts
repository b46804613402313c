import type { Deal, StageHistoryEntry } from '../../domain/crm.js';
import type { WireRow } from './bitrix24-wire.js';
import { wireId, wireIso, wireNumber, wireString } from './bitrix24-wire.js';

export interface GoalFieldMapping {
  /** The enumeration field's original name, e.g. `UF_CRM_STAGEGUARD_GOAL`; null before it exists. */
  fieldName: string | null;
  /** Enumeration item id → goal code (the item's XML_ID). */
  enumToCode: Record<string, string>;
}

/**
 * A crm.item of entityTypeId 2 (camelCase fields; custom fields under their original UF_CRM_ names,
 * because we ask with useOriginalUfNames=Y: crm-item-get.md) → Deal. The rules look custom fields up
 * in `fields` by the names a portal admin sees (UF_CRM_…).
 */
export function mapDeal(item: WireRow, goal: GoalFieldMapping): Deal {
  const created = wireIso(item.createdTime) ?? new Date(0).toISOString();
  return {
    id: String(item.id),
    // The general funnel is category 0 (crm-category-list.md).
    pipelineId: wireString(item.categoryId) ?? '0',
    stageId: String(item.stageId ?? ''),
    title: String(item.title ?? ''),
    responsibleId: wireId(item.assignedById),
    amount: wireNumber(item.opportunity),
    currency: wireString(item.currencyId),
    closeDate: wireIso(item.closedate),
    probability: wireNumber(item.probability),
    companyId: wireId(item.companyId),
    contactId: wireId(item.contactId),
    createdAt: created,
    updatedAt: wireIso(item.updatedTime) ?? created,
    goalMark: goalMark(item, goal),
    fields: item,
  };
}

function goalMark(item: WireRow, goal: GoalFieldMapping): string | null {
  if (goal.fieldName === null) return null;
  const raw = item[goal.fieldName];
  // An enumeration holds the item id; a multiple one would hold an array (ours is single).
  const id = wireId(Array.isArray(raw) ? raw[0] : raw);
  return id === null ? null : (goal.enumToCode[id] ?? null);
}

/**
 * crm.stagehistory.list rows (crm-stage-history-list.md). The history does not say who moved the
 * deal; the deal does for its latest move (movedBy / movedTime), so that one entry gets its author
 * when it is the move to the current stage.
 */
export function mapHistory(rows: WireRow[], deal?: WireRow): StageHistoryEntry[] {
  const entries = rows.map((row) => ({
    id: String(row.ID),
    dealId: String(row.OWNER_ID),
    pipelineId: wireString(row.CATEGORY_ID) ?? '0',
    stageId: String(row.STAGE_ID ?? ''),
    at: wireIso(row.CREATED_TIME) ?? new Date(0).toISOString(),
    byUserId: null as string | null,
  }));
  const last = entries[entries.length - 1];
  const movedAt = deal ? wireIso(deal.movedTime) : null;
  if (last && deal && movedAt && last.stageId === String(deal.stageId) && Math.abs(Date.parse(last.at) - Date.parse(movedAt)) <= 5_000) {
    last.byUserId = wireId(deal.movedBy);
  }
  return entries;
}

import type { Lead } from '../../domain/crm.js';
import type { WireRow } from './bitrix24-wire.js';
import { wireIso, wireString } from './bitrix24-wire.js';

/** The crm.lead.list fields a Lead needs (crm-lead-fields.md). */
export const LEAD_SELECT = ['ID', 'TITLE', 'ASSIGNED_BY_ID', 'STATUS_ID', 'STATUS_SEMANTIC_ID', 'DATE_CREATE'];

/** A crm.lead.list row. STATUS_SEMANTIC_ID: P in progress, S converted, F junk. */
export function mapLead(row: WireRow): Lead {
  return {
    id: String(row.ID),
    title: String(row.TITLE ?? ''),
    responsibleId: wireString(row.ASSIGNED_BY_ID),
    statusId: wireString(row.STATUS_ID),
    open: (wireString(row.STATUS_SEMANTIC_ID) ?? 'P') === 'P',
    createdAt: wireIso(row.DATE_CREATE) ?? new Date(0).toISOString(),
  };
}

import type { Deal } from '../../domain/crm.js';
import type { AmoCustomFieldValue, AmoLead } from './amocrm-wire.types.js';

/**
 * The lead select field the app creates at install ("Stage goal"). amoCRM enums carry only an id
 * and a visible value, no code of ours, so the install step remembers which enum id means which goal.
 */
export interface AmoGoalField {
  fieldId: number;
  /** enum id → goal code; an enum missing here falls back to its visible value. */
  codesByEnumId?: Record<string, string>;
}

export interface AmoLeadMapOptions {
  /** The account currency (GET /api/v4/account `currency`); leads carry none of their own. */
  currency: string | null;
  goalField: AmoGoalField | null;
}

export function amoIso(unix: number | null | undefined): string | null {
  return typeof unix === 'number' && unix > 0 ? new Date(unix * 1000).toISOString() : null;
}

/** amoCRM "lead" = our Deal (amoCRM calls deals leads, §3). */
export function amoLeadToDeal(lead: AmoLead, options: AmoLeadMapOptions): Deal {
  const contacts = lead._embedded?.contacts ?? [];
  const main = contacts.find((c) => c.is_main) ?? contacts[0];
  const company = lead._embedded?.companies?.[0];
  const created = amoIso(lead.created_at) ?? new Date(0).toISOString();
  return {
    id: String(lead.id),
    pipelineId: String(lead.pipeline_id),
    stageId: String(lead.status_id),
    title: lead.name ?? '',
    responsibleId: lead.responsible_user_id ? String(lead.responsible_user_id) : null,
    amount: typeof lead.price === 'number' ? lead.price : null,
    currency: options.currency,
    closeDate: amoIso(lead.closed_at),
    // amoCRM has no deal probability.
    probability: null,
    companyId: company ? String(company.id) : null,
    contactId: main ? String(main.id) : null,
    createdAt: created,
    updatedAt: amoIso(lead.updated_at) ?? created,
    goalMark: goalMark(lead.custom_fields_values, options.goalField),
    fields: leadFields(lead),
  };
}

/**
 * Custom fields by their numeric id (config names amoCRM fields by id), each the single value or a
 * list; select-like values as the enum id, the way amoCRM identifies an option. Built-in fields
 * the rules may ask about keep their amoCRM names.
 */
function leadFields(lead: AmoLead): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    name: lead.name,
    price: lead.price,
    status_id: lead.status_id,
    pipeline_id: lead.pipeline_id,
    responsible_user_id: lead.responsible_user_id,
    loss_reason_id: lead.loss_reason_id ?? null,
    source_id: lead.source_id ?? null,
    closed_at: lead.closed_at,
    closest_task_at: lead.closest_task_at ?? null,
    tags: (lead._embedded?.tags ?? []).map((t) => t.name),
  };
  for (const cf of lead.custom_fields_values ?? []) {
    const values = (cf.values ?? []).map((v) => (typeof v.enum_id === 'number' ? v.enum_id : v.value)).filter((v) => v !== undefined && v !== null);
    fields[String(cf.field_id)] = values.length === 0 ? null : values.length === 1 ? values[0] : values;
  }
  return fields;
}

function goalMark(values: AmoCustomFieldValue[] | null, goalField: AmoGoalField | null): string | null {
  if (!goalField) return null;
  const field = (values ?? []).find((cf) => cf.field_id === goalField.fieldId);
  const first = field?.values?.[0];
  if (!first) return null;
  const byEnum = typeof first.enum_id === 'number' ? goalField.codesByEnumId?.[String(first.enum_id)] : undefined;
  if (byEnum) return byEnum;
  return typeof first.value === 'string' && first.value !== '' ? first.value : null;
}

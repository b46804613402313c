import type { ValidationError } from './sandbox-hal.js';
import type { AmoSandboxState, SbCustomField, SbCustomFieldValue } from './sandbox-state.js';

/** A refused request item: answered as the 400 "validation-errors" shape of docs/http-codes. */
export class AmoSandboxValidationError extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(errors.map((e) => `${e.path}: ${e.code}`).join('; '));
  }
}

const SELECT_TYPES = new Set(['select', 'radiobutton', 'multiselect']);

/**
 * Applies a `custom_fields_values` patch ([{field_id | field_code, values: [...] | null}]) to the
 * entity's current values, checking every field exists for the entity and every select value is
 * one of its enums (by enum_id, or by `value` matching an enum's text). `values: null` empties the field.
 */
export function applyCustomFieldPatch(
  state: AmoSandboxState,
  entity: SbCustomField['entity_type'],
  current: SbCustomFieldValue[] | null,
  patch: unknown,
): SbCustomFieldValue[] | null {
  if (!Array.isArray(patch)) throw new AmoSandboxValidationError([{ code: 'InvalidType', path: 'custom_fields_values', detail: 'This value should be of type array.' }]);
  const result = new Map<number, SbCustomFieldValue>((current ?? []).map((v) => [v.field_id, v]));
  const errors: ValidationError[] = [];
  patch.forEach((item: Record<string, unknown>, i) => {
    const field = [...state.customFields.values()].find(
      (f) => f.entity_type === entity && ((typeof item?.field_id === 'number' && f.id === item.field_id) || (typeof item?.field_code === 'string' && f.code === item.field_code)),
    );
    if (!field) {
      errors.push({ code: 'NotSupportedChoice', path: `custom_fields_values.${i}.field_id`, detail: 'The value you selected is not a valid choice.' });
      return;
    }
    if (item.values === null) {
      result.delete(field.id);
      return;
    }
    if (!Array.isArray(item.values) || item.values.length === 0) {
      errors.push({ code: 'InvalidType', path: `custom_fields_values.${i}.values`, detail: 'This value should be of type array.' });
      return;
    }
    const values: SbCustomFieldValue['values'] = [];
    (item.values as Record<string, unknown>[]).forEach((v, j) => {
      if (SELECT_TYPES.has(field.type)) {
        const e = (field.enums ?? []).find((x) => (typeof v?.enum_id === 'number' && x.id === v.enum_id) || (v?.enum_id === undefined && v?.value === x.value));
        if (!e) errors.push({ code: 'NotSupportedChoice', path: `custom_fields_values.${i}.values.${j}`, detail: 'The value you selected is not a valid choice.' });
        else values.push({ value: e.value, enum_id: e.id, enum_code: null });
      } else if (typeof v?.value === 'string' || typeof v?.value === 'number' || typeof v?.value === 'boolean') {
        values.push({ value: v.value });
      } else {
        errors.push({ code: 'InvalidType', path: `custom_fields_values.${i}.values.${j}.value`, detail: 'This value should not be blank.' });
      }
    });
    result.set(field.id, { field_id: field.id, field_name: field.name, field_code: field.code, field_type: field.type, values });
  });
  if (errors.length) throw new AmoSandboxValidationError(errors);
  return result.size === 0 ? null : [...result.values()];
}

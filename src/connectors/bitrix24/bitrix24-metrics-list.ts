import type { MetricsRecord, MetricsRecordFieldType, MetricsRecordSchema } from '../../domain/metrics-record.js';
import { HostApiError } from '../host-api-error.js';
import type { Bitrix24Client } from './bitrix24-client.js';
import { wireId, wireRows, type WireRow } from './bitrix24-wire.js';

// The metrics record as a universal list (api-reference/lists/*): one list made at install, found
// again by its code on every re-install, one element per manager and month keyed by ELEMENT_CODE.

const IBLOCK_TYPE_ID = 'lists';
export const METRICS_LIST_CODE = 'stageguard_manager_metrics';

/** Where the list is and which property holds which field code: stored in the portal's settings. */
export interface Bitrix24MetricsList {
  iblockId: number;
  /** Field code → "PROPERTY_<id>". */
  properties: Record<string, string>;
}

// S:employee binds a user, so the list's own filter offers a people picker.
const LIST_TYPES: Record<MetricsRecordFieldType, string> = { employee: 'S:employee', string: 'S', number: 'N' };

const hostCode = (err: unknown) => (err instanceof HostApiError ? err.hostCode : null);

/**
 * Finds the list by its code or creates it, then adds whichever fields it lacks (a new version may
 * bring new metrics). Another run creating the same list or field meanwhile counts as done.
 */
export async function ensureMetricsList(client: Bitrix24Client, schema: MetricsRecordSchema): Promise<Bitrix24MetricsList> {
  const find = async () => wireRows(await client.call('lists.get', { IBLOCK_TYPE_ID, IBLOCK_CODE: METRICS_LIST_CODE })).find((l) => l.CODE === METRICS_LIST_CODE);
  let list = await find();
  if (!list) {
    try {
      await client.call(
        'lists.add',
        { IBLOCK_TYPE_ID, IBLOCK_CODE: METRICS_LIST_CODE, FIELDS: { NAME: schema.name, DESCRIPTION: schema.description, SORT: 500 } },
        { create: true },
      );
    } catch (err) {
      if (hostCode(err) !== 'ERROR_IBLOCK_ALREADY_EXISTS' && !(err instanceof HostApiError && err.code === 'AMBIGUOUS')) throw err;
    }
    list = await find();
    if (!list) throw new HostApiError('UNKNOWN', `lists.add succeeded but list ${METRICS_LIST_CODE} is not found`);
  }
  const iblockId = Number(wireId(list.ID));

  const properties = await readProperties(client, iblockId);
  let sort = 10;
  for (const field of schema.fields) {
    sort += 10;
    if (properties[field.code]) continue;
    try {
      const added = await client.call<string>(
        'lists.field.add',
        { IBLOCK_TYPE_ID, IBLOCK_ID: iblockId, FIELDS: { NAME: field.name, TYPE: LIST_TYPES[field.type], CODE: field.code, SORT: sort, IS_REQUIRED: 'N', MULTIPLE: 'N' } },
        { create: true },
      );
      properties[field.code] = String(added);
    } catch (err) {
      if (hostCode(err) !== 'ERROR_SAVE_FIELD' && !(err instanceof HostApiError && err.code === 'AMBIGUOUS')) throw err;
      const again = await readProperties(client, iblockId);
      if (!again[field.code]) throw err;
      properties[field.code] = again[field.code]!;
    }
  }
  return { iblockId, properties };
}

/** lists.field.get answers every field keyed by its id ("NAME", "PROPERTY_61"); properties carry a CODE. */
async function readProperties(client: Bitrix24Client, iblockId: number): Promise<Record<string, string>> {
  const fields = await client.call<Record<string, WireRow> | unknown[]>('lists.field.get', { IBLOCK_TYPE_ID, IBLOCK_ID: iblockId });
  const out: Record<string, string> = {};
  if (Array.isArray(fields)) return out;
  for (const [fieldId, f] of Object.entries(fields ?? {})) {
    if (fieldId.startsWith('PROPERTY_') && typeof f?.CODE === 'string' && f.CODE) out[f.CODE] = fieldId;
  }
  return out;
}

/**
 * Rewrites the element with the record's key, or adds it when there is none yet. Every field goes
 * along each time: lists.element.update replaces the element's values rather than merging them.
 */
export async function writeMetricsElement(client: Bitrix24Client, list: Bitrix24MetricsList, record: MetricsRecord): Promise<{ id: string | null }> {
  const FIELDS: Record<string, unknown> = { NAME: record.title };
  for (const [code, value] of Object.entries(record.values)) {
    const property = list.properties[code];
    if (property) FIELDS[property] = String(value);
  }
  const where = { IBLOCK_TYPE_ID, IBLOCK_ID: list.iblockId, ELEMENT_CODE: record.key };
  // The update answers true, not the id; one call a day per manager matters more than knowing it.
  const update = async () => {
    await client.call('lists.element.update', { ...where, FIELDS });
    return { id: null };
  };
  try {
    return await update();
  } catch (err) {
    if (hostCode(err) !== 'ERROR_ELEMENT_NOT_FOUND') throw err;
  }
  try {
    const id = await client.call<number>('lists.element.add', { ...where, FIELDS }, { create: true });
    return { id: String(id) };
  } catch (err) {
    // A lost answer to an add that went through, or a concurrent writer: the element is there now.
    if (hostCode(err) !== 'ERROR_ELEMENT_ALREADY_EXISTS') throw err;
    return update();
  }
}

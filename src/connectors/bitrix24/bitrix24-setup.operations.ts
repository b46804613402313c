import { HostApiError } from '../host-api-error.js';
import type { Bitrix24Client } from './bitrix24-client.js';
import type { WireRow } from './bitrix24-wire.js';
import { wireRows, wireString } from './bitrix24-wire.js';

// Install-time calls. Bitrix24 drops an app's event bindings on every update
// (api-reference/events/event-bind.md: "they must be set from scratch in the installer of each
// version"), so these run on every install and ONAPPUPDATE, and each is idempotent.

export interface Bitrix24AppInfo {
  /** The app's local id on this portal: its page is /marketplace/app/{id}/ (app-info.md). */
  appId: string | null;
  licenseFamily: string | null;
  license: string | null;
  status: string | null;
  installed: boolean | null;
  paymentExpired: boolean | null;
}

/** app.info (api-reference/common/system/app-info.md): LICENSE_FAMILY "ent" is Enterprise, with 5 req/s / 250 burst. */
export async function readAppInfo(client: Bitrix24Client): Promise<Bitrix24AppInfo> {
  const info = await client.call<WireRow>('app.info');
  return {
    appId: wireString(info.ID),
    licenseFamily: wireString(info.LICENSE_FAMILY),
    license: wireString(info.LICENSE),
    status: wireString(info.STATUS),
    installed: typeof info.INSTALLED === 'boolean' ? info.INSTALLED : null,
    paymentExpired: info.PAYMENT_EXPIRED === 'Y' ? true : info.PAYMENT_EXPIRED === 'N' ? false : null,
  };
}

/** "Handler already exists!" (event.bind: error-codes.md) or "Handler already binded" (placement.bind). */
function isDuplicateBinding(error: HostApiError): boolean {
  return error.hostCode === 'ERROR_HANDLER_ALREADY_EXIST' || /already (exists?|bind(ed)?|bound)/i.test(error.message);
}

/** event.bind for each event not yet bound to `handlerUrl`, in one batch; a duplicate counts as bound. */
export async function bindEvents(client: Bitrix24Client, handlerUrl: string, events: string[]): Promise<void> {
  const bound = wireRows(await client.call('event.get'));
  const have = new Set(bound.filter((b) => b.handler === handlerUrl).map((b) => String(b.event).toUpperCase()));
  const missing = [...new Set(events.map((e) => e.toUpperCase()))].filter((e) => !have.has(e));
  for (let i = 0; i < missing.length; i += 50) {
    const chunk = missing.slice(i, i + 50);
    const { errors } = await client.batch(Object.fromEntries(chunk.map((event) => [event, { method: 'event.bind', params: { event, handler: handlerUrl } }])));
    for (const [event, error] of Object.entries(errors)) {
      if (isDuplicateBinding(error)) continue;
      throw new HostApiError(error.code, `event.bind ${event}: ${error.message}`, error.status, error.hostCode, error.retryAfterSec);
    }
  }
}

export interface PlacementBinding {
  placement: string;
  handlerUrl: string;
  title: string;
  description: string;
}

/** placement.bind for each placement not yet bound to its handler (widgets/placement-bind.md). */
export async function bindPlacements(client: Bitrix24Client, placements: PlacementBinding[]): Promise<void> {
  const bound = wireRows(await client.call('placement.get'));
  const have = new Set(bound.map((b) => `${String(b.placement)}|${String(b.handler)}`));
  const missing = placements.filter((p) => !have.has(`${p.placement}|${p.handlerUrl}`));
  for (let i = 0; i < missing.length; i += 50) {
    const chunk = missing.slice(i, i + 50);
    const { errors } = await client.batch(
      Object.fromEntries(
        chunk.map((p, k) => [`p${k}`, { method: 'placement.bind', params: { PLACEMENT: p.placement, HANDLER: p.handlerUrl, TITLE: p.title, DESCRIPTION: p.description } }]),
      ),
    );
    for (const [key, error] of Object.entries(errors)) {
      if (isDuplicateBinding(error)) continue;
      const p = chunk[Number(key.slice(1))]!;
      throw new HostApiError(error.code, `placement.bind ${p.placement}: ${error.message}`, error.status, error.hostCode, error.retryAfterSec);
    }
  }
}

/**
 * The deal enumeration field a manager marks stage goals with (crm-deal-userfield-add.md): created
 * when missing, items added when the rules gained goals. Items are keyed by XML_ID = goal code.
 * Returns enumeration item id → goal code. `fieldName` is given without the UF_CRM_ prefix the host adds.
 */
export async function ensureGoalField(
  client: Bitrix24Client,
  fieldName: string,
  label: string,
  items: { code: string; title: string }[],
): Promise<Record<string, string>> {
  const full = fieldName.startsWith('UF_CRM_') ? fieldName : `UF_CRM_${fieldName.replace(/^UF_/, '')}`;
  const find = async (): Promise<WireRow | undefined> =>
    wireRows(await client.call('crm.deal.userfield.list', { filter: { FIELD_NAME: full } })).find((f) => f.FIELD_NAME === full);

  let field = await find();
  if (!field) {
    try {
      await client.call(
        'crm.deal.userfield.add',
        {
          fields: {
            FIELD_NAME: full,
            USER_TYPE_ID: 'enumeration',
            XML_ID: full,
            LABEL: label,
            EDIT_FORM_LABEL: label,
            LIST_COLUMN_LABEL: label,
            LIST_FILTER_LABEL: label,
            MULTIPLE: 'N',
            MANDATORY: 'N',
            SHOW_FILTER: 'Y',
            LIST: items.map((item, i) => ({ VALUE: item.title, XML_ID: item.code, SORT: (i + 1) * 10 })),
          },
        },
        { create: true },
      );
    } catch (error) {
      // Another install run created it meanwhile, or a timed-out add did go through: read it back.
      if (!(error instanceof HostApiError) || !['VALIDATION', 'AMBIGUOUS'].includes(error.code)) throw error;
      if (!(await find())) throw error;
    }
    field = await find();
    if (!field) throw new HostApiError('UNKNOWN', `crm.deal.userfield.add succeeded but ${full} is not listed`);
  } else {
    const list = wireRows(field.LIST);
    const known = new Set(list.map((i) => String(i.XML_ID)));
    const added = items.filter((item) => !known.has(item.code));
    if (added.length > 0) {
      // Existing items go along with their ID, so they stay whether LIST merges or replaces.
      const sortBase = list.reduce((max, i) => Math.max(max, Number(i.SORT ?? 0)), 0);
      await client.call('crm.deal.userfield.update', {
        id: field.ID,
        fields: {
          LIST: [
            ...list.map((i) => ({ ID: i.ID, VALUE: i.VALUE, XML_ID: i.XML_ID, SORT: i.SORT })),
            ...added.map((item, k) => ({ VALUE: item.title, XML_ID: item.code, SORT: sortBase + (k + 1) * 10 })),
          ],
        },
      });
      field = await find();
    }
  }
  return Object.fromEntries(wireRows(field?.LIST).map((i) => [String(i.ID), String(i.XML_ID)]));
}

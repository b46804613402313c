import { createHash } from 'node:crypto';
import { parseFormBody } from './form-body.parser.js';
import type { FormObject } from './form-body.parser.js';
import type { Bitrix24Event, Bitrix24EventAuth } from './bitrix24-event.types.js';
import { formInt, formObject, formPath, formString } from './form-fields.js';

/** The events route refuses larger bodies (issue 3: "larger than 256 KB: 400"). */
export const BITRIX24_EVENT_MAX_BYTES = 256 * 1024;

export type Bitrix24EventParseResult = { ok: true; event: Bitrix24Event } | { ok: false; reason: string };

/**
 * Raw form body of an event POST → Bitrix24Event. Pure; verification of application_token against
 * the stored value is the route's job (it needs the database), this only extracts it.
 * Top-level keys are the same for every event: event, event_handler_id, data, ts, auth
 * (docs: api-reference/events/index.md).
 */
export function parseBitrix24Event(rawBody: string, maxLength: number = BITRIX24_EVENT_MAX_BYTES): Bitrix24EventParseResult {
  const parsed = parseFormBody(rawBody, { maxLength });
  if (!parsed.ok) return { ok: false, reason: `malformed body: ${parsed.error.message}` };
  return bitrix24EventFromForm(parsed.value);
}

export function bitrix24EventFromForm(form: FormObject): Bitrix24EventParseResult {
  const rawName = formString(form.event);
  if (rawName === undefined) return { ok: false, reason: 'missing "event"' };
  const authForm = formObject(form.auth);
  const memberId = formString(authForm.member_id);
  if (memberId === undefined) return { ok: false, reason: 'missing "auth[member_id]"' };
  const applicationToken = formString(authForm.application_token);
  if (applicationToken === undefined) return { ok: false, reason: 'missing "auth[application_token]"' };
  const ts = formString(form.ts);
  if (ts === undefined) return { ok: false, reason: 'missing "ts"' };

  // Event codes arrive in any case: the docs' ONCRMACTIVITYADD example says "onCrmActivityAdd".
  const name = rawName.toUpperCase();
  const data = formObject(form.data);
  const entityId = formString(formPath(data, 'FIELDS', 'ID')) ?? null;
  const domain = formString(authForm.domain) ?? '';

  return {
    ok: true,
    event: {
      name,
      memberId,
      applicationToken,
      domain,
      ts,
      entityId,
      eventHandlerId: formString(form.event_handler_id) ?? null,
      data,
      auth: eventAuth(authForm),
      dedupeKey: bitrix24DedupeKey(memberId, name, entityId, ts),
    },
  };
}

/** The inbox unique key (issue 3: "dedupe key from event name, entity id and ts"), scoped by portal. */
export function bitrix24DedupeKey(memberId: string, name: string, entityId: string | null, ts: string): string {
  return createHash('sha256').update(`${memberId}|${name}|${entityId ?? ''}|${ts}`).digest('hex');
}

function eventAuth(auth: FormObject): Bitrix24EventAuth {
  const result: Bitrix24EventAuth = {};
  const accessToken = formString(auth.access_token);
  if (accessToken !== undefined) result.accessToken = accessToken;
  const refreshToken = formString(auth.refresh_token);
  if (refreshToken !== undefined) result.refreshToken = refreshToken;
  const expiresIn = formInt(auth.expires_in);
  if (expiresIn !== undefined) result.expiresIn = expiresIn;
  const expires = formInt(auth.expires);
  if (expires !== undefined) result.expires = expires;
  const clientEndpoint = formString(auth.client_endpoint);
  if (clientEndpoint !== undefined) result.clientEndpoint = clientEndpoint;
  const serverEndpoint = formString(auth.server_endpoint);
  if (serverEndpoint !== undefined) result.serverEndpoint = serverEndpoint;
  const userId = formString(auth.user_id);
  if (userId !== undefined) result.userId = userId;
  const scope = formString(auth.scope);
  if (scope !== undefined) result.scope = scope;
  const status = formString(auth.status);
  if (status !== undefined) result.status = status;
  return result;
}

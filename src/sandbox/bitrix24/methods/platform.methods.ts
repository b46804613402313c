// app.info, user.get / user.current, event.bind / get / unbind / events, placement.bind / get / unbind.
// event.bind: names in any case, ERROR_HANDLER_ALREADY_EXIST on a repeat (error-codes.md), an event
// outside the app's scopes is "not found". placement.bind: admin only, ERROR_PLACEMENT_NOT_FOUND for a
// code the app may not use (widgets/crm/*.md). placement.unbind's count grows by 2 per removed handler,
// as placement-unbind.md describes it.

import type { MethodCall, MethodTable } from '../method-types.js';
import { intParam, listResult, method, str } from '../method-types.js';
import { isPlainObject, matches, paginate, parseFilter, sortRows } from '../list-query.js';
import { RestError, systemErrors } from '../rest-error.js';
import type { SandboxUser } from '../sandbox-state.js';

/** Events the sandbox knows, with the scope each belongs to. */
export const EVENT_SCOPES: Record<string, string> = {
  ONAPPINSTALL: 'basic', ONAPPUNINSTALL: 'basic', ONAPPUPDATE: 'basic', ONAPPPAYMENT: 'basic', ONAPPTEST: 'basic',
  ONOFFLINEEVENT: 'basic', ONUSERADD: 'user',
  ONCRMLEADADD: 'crm', ONCRMLEADUPDATE: 'crm', ONCRMLEADDELETE: 'crm',
  ONCRMDEALADD: 'crm', ONCRMDEALUPDATE: 'crm', ONCRMDEALDELETE: 'crm', ONCRMDEALMOVETOCATEGORY: 'crm',
  ONCRMCOMPANYADD: 'crm', ONCRMCOMPANYUPDATE: 'crm', ONCRMCOMPANYDELETE: 'crm',
  ONCRMCONTACTADD: 'crm', ONCRMCONTACTUPDATE: 'crm', ONCRMCONTACTDELETE: 'crm',
  ONCRMACTIVITYADD: 'crm', ONCRMACTIVITYUPDATE: 'crm', ONCRMACTIVITYDELETE: 'crm',
  ONCRMTIMELINECOMMENTADD: 'crm', ONTASKADD: 'task', ONTASKUPDATE: 'task', ONTASKDELETE: 'task',
};

/** Placement codes from the widget pages, with the module scope each needs besides `placement`. */
export const PLACEMENT_SCOPES: Record<string, string> = {
  CRM_DEAL_DETAIL_TAB: 'crm', CRM_DEAL_DETAIL_ACTIVITY: 'crm', CRM_DEAL_DETAIL_TOOLBAR: 'crm', CRM_DEAL_LIST_MENU: 'crm',
  CRM_DEAL_LIST_TOOLBAR: 'crm', CRM_DEAL_ACTIVITY_TIMELINE_MENU: 'crm', CRM_ANALYTICS_MENU: 'crm',
  CRM_LEAD_DETAIL_TAB: 'crm', CRM_CONTACT_DETAIL_TAB: 'crm', CRM_COMPANY_DETAIL_TAB: 'crm',
  LEFT_MENU: 'placement', REST_APP_URI: 'placement', PAGE_BACKGROUND_WORKER: 'placement',
  TASK_VIEW_TAB: 'task', TASK_VIEW_SIDEBAR: 'task', IM_CONTEXT_MENU: 'im', IM_TEXTAREA: 'im',
};

function licenseParts(license: string) {
  const type = license.includes('_') ? license.slice(license.indexOf('_') + 1) : license;
  return { type, family: type.replace(/\d+$/, '') };
}

/** user.current / user.get row, key for key as user-current.md shows it (LAST_ACTIVITY_DATE is not ISO there). */
function userRow(u: SandboxUser, format: (ms: number) => string): Record<string, unknown> {
  const lastActivity = format(u.registeredAt).slice(0, 19).replace('T', ' ');
  return {
    ID: String(u.id),
    ACTIVE: u.active,
    NAME: u.name,
    LAST_NAME: u.lastName,
    EMAIL: u.email,
    LAST_LOGIN: format(u.registeredAt),
    DATE_REGISTER: format(u.registeredAt),
    IS_ONLINE: 'N',
    LAST_ACTIVITY_DATE: lastActivity,
    PERSONAL_GENDER: '',
    PERSONAL_BIRTHDAY: '',
    WORK_POSITION: u.workPosition,
    UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: u.departments,
  };
}

const RESERVED_USER_PARAMS = new Set(['sort', 'order', 'start', 'ADMIN_MODE', 'select', 'IMAGE_RESIZE', 'FILTER', 'filter']);

function userGet(call: MethodCall) {
  const p = call.params;
  let rawFilter: unknown = p.FILTER ?? p.filter;
  if (rawFilter === undefined) {
    const loose: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) if (!RESERVED_USER_PARAMS.has(k)) loose[k] = v;
    rawFilter = loose;
  }
  if (isPlainObject(rawFilter) && 'ACTIVE' in rawFilter) {
    const v = rawFilter.ACTIVE;
    rawFilter = { ...rawFilter, ACTIVE: v === true || ['Y', 'TRUE', '1'].includes(str(v).toUpperCase()) };
  }
  const filter = parseFilter(rawFilter, {}, () => new RestError(400, '', 'Invalid filter'));
  const rows = call.ctx.state.users.map((u) => userRow(u, call.ctx.formatDate)).filter((r) => matches(r, filter));
  const sortField = typeof p.sort === 'string' ? p.sort : 'ID';
  const sorted = sortRows(rows, [{ field: sortField, desc: str(p.order).toUpperCase() === 'DESC' }]);
  const page = paginate(sorted, p.start);
  return listResult(page.items, page);
}

function eventBind(call: MethodCall) {
  const p = call.params;
  const event = str(p.event ?? p.EVENT).toUpperCase();
  const scope = EVENT_SCOPES[event];
  const granted = call.ctx.state.portal.scopes;
  if (!event || !scope || (scope !== 'basic' && !granted.includes(scope))) {
    throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
  }
  const offline = str(p.event_type).toLowerCase() === 'offline';
  if (offline && !call.user.isAdmin) throw systemErrors.accessDenied('Access denied! Offline events binding requires administrator access rights');
  const authType = intParam(p.auth_type) ?? 0;
  if (authType !== 0 && authType !== call.user.id && !call.user.isAdmin) {
    throw systemErrors.accessDenied('Access denied! Event binding with AUTH_TYPE requires administrator access rights');
  }
  const handler = str(p.handler ?? p.HANDLER);
  if (!offline && handler === '') throw new RestError(400, 'ERROR_ARGUMENT', "Argument 'handler' is null or empty");
  const { state } = call.ctx;
  const duplicate = state.eventBindings.some(
    (b) => b.event === event && b.handler === handler && b.authType === authType && b.offline === (offline ? 1 : 0),
  );
  if (duplicate) throw new RestError(400, 'ERROR_HANDLER_ALREADY_EXIST', 'Handler already exists!');
  state.eventBindings.push({ id: state.nextId('eventHandler', 181), event, handler, authType, offline: offline ? 1 : 0 });
  return { result: true };
}

function eventUnbind(call: MethodCall) {
  const p = call.params;
  const event = p.event === undefined ? null : str(p.event).toUpperCase();
  const handler = p.handler === undefined ? null : str(p.handler);
  const authType = p.auth_type === undefined ? null : intParam(p.auth_type) ?? 0;
  const offline = str(p.event_type).toLowerCase() === 'offline' ? 1 : 0;
  const { state } = call.ctx;
  const keep = state.eventBindings.filter(
    (b) =>
      !(
        (event === null || b.event === event) &&
        (handler === null || b.handler === handler) &&
        (authType === null || b.authType === authType) &&
        b.offline === offline
      ),
  );
  const count = state.eventBindings.length - keep.length;
  state.eventBindings = keep;
  return { result: { count } };
}

function placementBind(call: MethodCall) {
  const p = call.params;
  if (!call.user.isAdmin) throw systemErrors.accessDenied('Access denied!');
  const placement = str(p.PLACEMENT);
  if (placement === '') throw new RestError(400, 'ERROR_ARGUMENT', "Argument 'PLACEMENT' is null or empty", { argument: 'PLACEMENT' });
  const handler = str(p.HANDLER);
  if (handler === '') throw new RestError(400, 'ERROR_ARGUMENT', "Argument 'HANDLER' is null or empty", { argument: 'HANDLER' });
  const needed = PLACEMENT_SCOPES[placement];
  if (!needed || !call.ctx.state.portal.scopes.includes(needed)) {
    throw new RestError(400, 'ERROR_PLACEMENT_NOT_FOUND', 'Placement not found');
  }
  const userId = intParam(p.USER_ID) ?? 0;
  if (userId !== 0 && placement !== 'PAGE_BACKGROUND_WORKER') {
    throw new RestError(400, 'ERROR_PLACEMENT_USER_MODE', 'User mode is not available');
  }
  const { state } = call.ctx;
  if (state.placements.some((x) => x.placement === placement && x.handler === handler && x.userId === userId)) {
    // Undocumented; this is the host's own wording for a repeated bind.
    throw new RestError(400, 'ERROR_CORE', 'Unable to set placement handler: Handler already binded');
  }
  const langAll: Record<string, Record<string, string>> = {};
  if (isPlainObject(p.LANG_ALL)) {
    for (const [lang, v] of Object.entries(p.LANG_ALL)) {
      if (isPlainObject(v)) langAll[lang] = { TITLE: str(v.TITLE), DESCRIPTION: str(v.DESCRIPTION), GROUP_NAME: str(v.GROUP_NAME) };
    }
  }
  state.placements.push({
    id: state.nextId('placement', 41),
    placement,
    handler,
    title: str(p.TITLE),
    description: str(p.DESCRIPTION),
    groupName: str(p.GROUP_NAME),
    options: isPlainObject(p.OPTIONS) ? p.OPTIONS : {},
    langAll,
    userId,
  });
  return { result: true };
}

function placementUnbind(call: MethodCall) {
  const p = call.params;
  if (!call.user.isAdmin) throw systemErrors.accessDenied('Access denied!');
  if (typeof p.PLACEMENT !== 'string' && p.PLACEMENT !== undefined) {
    throw new RestError(400, 'ERROR_ARGUMENT', "The value of an argument 'PLACEMENT' must be of type string", { argument: 'PLACEMENT' });
  }
  const placement = str(p.PLACEMENT);
  if (placement === '') throw new RestError(400, 'ERROR_ARGUMENT', "Argument 'PLACEMENT' is null or empty", { argument: 'PLACEMENT' });
  const handler = str(p.HANDLER);
  const userId = p.USER_ID === undefined ? null : intParam(p.USER_ID);
  const { state } = call.ctx;
  const hit = (x: (typeof state.placements)[number]) =>
    x.placement === placement && (handler === '' || x.handler === handler) && (userId === null || x.userId === userId);
  const removed = state.placements.filter(hit).length;
  state.placements = state.placements.filter((x) => !hit(x));
  return { result: { count: removed * 2 } };
}

export const platformMethods: MethodTable = {
  'app.info': method('basic', (call) => {
    const { portal } = call.ctx.state;
    const license = licenseParts(portal.license);
    return {
      result: {
        ID: 5,
        CODE: portal.appCode,
        VERSION: portal.appVersion,
        STATUS: portal.status,
        INSTALLED: call.ctx.lifecycle.installFinished,
        PAYMENT_EXPIRED: 'N',
        DAYS: null,
        LANGUAGE_ID: portal.languageId,
        LICENSE: portal.license,
        LICENSE_TYPE: license.type,
        LICENSE_FAMILY: license.family,
      },
    };
  }),
  'user.current': method(['user', 'user_brief', 'user_basic'], (call) => ({ result: userRow(call.user, call.ctx.formatDate) })),
  // user.admin: whether the token's user is a portal administrator (api-reference/common/users/user-admin.md).
  'user.admin': method('basic', (call) => ({ result: call.user.isAdmin })),
  'user.get': method(['user', 'user_brief', 'user_basic'], userGet),
  'event.bind': method('basic', eventBind),
  'event.unbind': method('basic', eventUnbind),
  'event.get': method('basic', (call) => ({
    result: call.ctx.state.eventBindings.map((b) => ({ event: b.event, handler: b.handler, auth_type: String(b.authType), offline: b.offline })),
  })),
  events: method('basic', (call) => {
    const granted = call.ctx.state.portal.scopes;
    const scope = call.params.SCOPE === undefined ? null : str(call.params.SCOPE);
    const names = Object.entries(EVENT_SCOPES)
      .filter(([, s]) => (scope === null ? s === 'basic' || granted.includes(s) : s === scope))
      .map(([name]) => name);
    return { result: names };
  }),
  'placement.bind': method('placement', placementBind),
  'placement.unbind': method('placement', placementUnbind),
  'placement.get': method('placement', (call) => ({
    result: call.ctx.state.placements.map((x) => ({
      placement: x.placement,
      userId: x.userId,
      handler: x.handler,
      options: Object.keys(x.options).length === 0 ? [] : x.options,
      title: x.title,
      description: x.description,
      langAll: x.langAll,
    })),
  })),
};

import express, { type Router } from 'express';
import { unixOf, type AmoSandboxClock } from './sandbox-clock.js';
import { AmoSandboxNotFound } from './sandbox-crm.js';
import { AmoSandboxValidationError, applyCustomFieldPatch } from './sandbox-custom-fields.js';
import { hal, problem, readPage, sendCollection } from './sandbox-hal.js';
import type { AmoSandboxIds } from './sandbox-ids.js';
import { pathId, requireAdmin, requireBody, route } from './sandbox-route.js';
import type { AmoSandboxState, SbCustomField, SbUser } from './sandbox-state.js';

// Account, users (admin only — crm_platform/users-api), custom fields, companies/contacts fields
// and the webhooks registry (admin only, max 100 per account, DELETE by destination — webhooks-api).

const FIELD_ENTITIES = new Set(['leads', 'contacts', 'companies']);
const MAX_WEBHOOKS = 100;

function userJson(u: SbUser, baseUrl: string): Record<string, unknown> {
  const right = u.is_admin ? 'A' : 'M';
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    lang: u.lang,
    rights: {
      leads: { view: right, edit: right, add: 'A', delete: right, export: right },
      mail_access: true,
      catalog_access: true,
      status_rights: [],
      is_admin: u.is_admin,
      is_free: false,
      is_active: u.is_active,
      group_id: null,
      role_id: null,
    },
    _links: { self: { href: `${baseUrl}/api/v4/users/${u.id}` } },
  };
}

function fieldJson(f: SbCustomField, state: AmoSandboxState, baseUrl: string): Record<string, unknown> {
  return { ...f, account_id: state.accountId, group_id: null, required_statuses: [], is_deletable: true, is_predefined: false, remind: null, _links: { self: { href: `${baseUrl}/api/v4/${f.entity_type}/custom_fields/${f.id}` } } };
}

export function adminRouter(state: AmoSandboxState, clock: AmoSandboxClock, ids: AmoSandboxIds, baseUrl: () => string): Router {
  const r = express.Router();
  const json = express.json({ limit: '1mb' });

  r.get('/api/v4/account', route(baseUrl, (_req, res, ctx) => {
    hal(res, 200, {
      id: state.accountId,
      name: 'Stageguard sandbox',
      subdomain: state.subdomain,
      created_at: 1700000000,
      created_by: 1001,
      updated_at: 1700000000,
      updated_by: 1001,
      current_user_id: ctx.userId,
      country: 'RU',
      currency: 'RUB',
      currency_symbol: '₽',
      customers_mode: 'disabled',
      is_unsorted_on: true,
      is_loss_reason_enabled: false,
      is_helpbot_enabled: false,
      is_technical_account: true,
      contact_name_display_order: 1,
      _links: { self: { href: `${ctx.baseUrl}/api/v4/account` } },
    });
  }));

  r.get('/api/v4/users', route(baseUrl, (req, res, ctx) => {
    if (!requireAdmin(state, res, ctx.userId)) return;
    const page = readPage(res, ctx.query, 250);
    if (!page) return;
    sendCollection(res, { baseUrl: ctx.baseUrl, path: req.path, query: ctx.query, key: 'users', items: [...state.users.values()].map((u) => userJson(u, ctx.baseUrl)), page });
  }));

  r.get('/api/v4/users/:id', route(baseUrl, (req, res, ctx) => {
    const user = state.users.get(pathId(req) ?? -1);
    if (!user) throw new AmoSandboxNotFound();
    hal(res, 200, userJson(user, ctx.baseUrl));
  }));

  r.get('/api/v4/:entity/custom_fields', (req, res, next) => {
    if (!FIELD_ENTITIES.has(req.params.entity)) return next();
    return route(baseUrl, (rq, rs, ctx) => {
      const page = readPage(rs, ctx.query, 250);
      if (!page) return;
      const fields = [...state.customFields.values()].filter((f) => f.entity_type === rq.params.entity).map((f) => fieldJson(f, state, ctx.baseUrl));
      sendCollection(rs, { baseUrl: ctx.baseUrl, path: rq.path, query: ctx.query, key: 'custom_fields', items: fields, page });
    })(req, res, next);
  });

  r.get('/api/v4/:entity/custom_fields/:id', (req, res, next) => {
    if (!FIELD_ENTITIES.has(req.params.entity)) return next();
    return route(baseUrl, (rq, rs, ctx) => {
      const field = state.customFields.get(pathId(rq) ?? -1);
      if (!field || field.entity_type !== rq.params.entity) throw new AmoSandboxNotFound();
      hal(rs, 200, fieldJson(field, state, ctx.baseUrl));
    })(req, res, next);
  });

  r.post('/api/v4/:entity/custom_fields', json, (req, res, next) => {
    const entity = req.params.entity as SbCustomField['entity_type'];
    if (!FIELD_ENTITIES.has(entity)) return next();
    return route(baseUrl, (rq, rs, ctx) => {
      if (!requireBody(rs, rq.body, true)) return;
      const created = (rq.body as Record<string, unknown>[]).map((item) => {
        if (typeof item.name !== 'string' || item.name === '') throw new AmoSandboxValidationError([{ code: 'InvalidType', path: 'name', detail: 'This value should not be blank.' }]);
        if (typeof item.type !== 'string') throw new AmoSandboxValidationError([{ code: 'InvalidType', path: 'type', detail: 'This value should not be blank.' }]);
        const field: SbCustomField = {
          id: ids.take('field'),
          entity_type: entity,
          name: item.name,
          type: item.type,
          code: typeof item.code === 'string' ? item.code : null,
          sort: typeof item.sort === 'number' ? item.sort : 500,
          is_api_only: item.is_api_only === true,
          enums: Array.isArray(item.enums) ? (item.enums as { value: string; sort?: number }[]).map((e, i) => ({ id: ids.take('enum'), value: String(e.value), sort: e.sort ?? (i + 1) * 10 })) : null,
        };
        state.customFields.set(field.id, field);
        return field;
      });
      hal(rs, 200, { _total_items: created.length, _embedded: { custom_fields: created.map((f) => fieldJson(f, state, ctx.baseUrl)) } });
    })(req, res, next);
  });

  // PATCH replaces the whole enum list: enums sent with an id are kept, without an id are added,
  // and enums left out are deleted (and cleared on every entity that had them).
  r.patch('/api/v4/:entity/custom_fields/:id', json, (req, res, next) => {
    if (!FIELD_ENTITIES.has(req.params.entity)) return next();
    return route(baseUrl, (rq, rs, ctx) => {
      const field = state.customFields.get(pathId(rq) ?? -1);
      if (!field || field.entity_type !== rq.params.entity) throw new AmoSandboxNotFound();
      if (!requireBody(rs, rq.body, false)) return;
      const b = rq.body as { name?: unknown; enums?: { id?: number; value: string; sort?: number }[] };
      if (typeof b.name === 'string') field.name = b.name;
      if (Array.isArray(b.enums)) field.enums = b.enums.map((e, i) => ({ id: typeof e.id === 'number' ? e.id : ids.take('enum'), value: String(e.value), sort: e.sort ?? (i + 1) * 10 }));
      hal(rs, 200, fieldJson(field, state, ctx.baseUrl));
    })(req, res, next);
  });

  for (const kind of ['companies', 'contacts'] as const) {
    r.get(`/api/v4/${kind}/:id`, route(baseUrl, (req, res, ctx) => {
      const client = state.client(kind, pathId(req) ?? -1);
      if (!client) {
        res.status(204).end();
        return;
      }
      const { kind: _k, ...fields } = client;
      hal(res, 200, { ...fields, account_id: state.accountId, _links: { self: { href: `${ctx.baseUrl}/api/v4/${kind}/${client.id}` } } });
    }));
    r.patch(`/api/v4/${kind}/:id`, json, route(baseUrl, (req, res, ctx) => {
      const client = state.client(kind, pathId(req) ?? -1);
      if (!client) throw new AmoSandboxNotFound();
      if (!requireBody(res, req.body, false)) return;
      const b = req.body as Record<string, unknown>;
      if (b.custom_fields_values !== undefined) client.custom_fields_values = applyCustomFieldPatch(state, kind, client.custom_fields_values, b.custom_fields_values);
      if (typeof b.name === 'string') client.name = b.name;
      client.updated_at = unixOf(clock);
      hal(res, 200, { id: client.id, updated_at: client.updated_at, _links: { self: { href: `${ctx.baseUrl}/api/v4/${kind}/${client.id}` } } });
    }));
  }

  const webhookJson = (w: { failures: number[] } & Record<string, unknown>) => {
    const { failures: _f, ...rest } = w;
    return { ...rest, account_id: state.accountId };
  };

  r.get('/api/v4/webhooks', route(baseUrl, (_req, res, ctx) => {
    if (!requireAdmin(state, res, ctx.userId)) return;
    const destination = ctx.query.get('filter[destination]');
    const hooks = [...state.webhooks.values()].filter((w) => destination === undefined || w.destination === destination);
    if (hooks.length === 0) {
      res.status(204).end();
      return;
    }
    hal(res, 200, { _total_items: hooks.length, _embedded: { webhooks: hooks.map((w) => webhookJson({ ...w })) } });
  }));

  // The docs do not say what a second POST for the same destination does; here it replaces the
  // settings and re-enables the webhook, as saving it again in the UI does.
  r.post('/api/v4/webhooks', json, route(baseUrl, (req, res, ctx) => {
    if (!requireAdmin(state, res, ctx.userId)) return;
    if (!requireBody(res, req.body, false)) return;
    const b = req.body as { destination?: unknown; settings?: unknown; sort?: unknown };
    if (typeof b.destination !== 'string' || !/^https?:\/\/\S+$/.test(b.destination)) throw new AmoSandboxValidationError([{ code: 'InvalidUrl', path: 'destination', detail: 'This value is not a valid URL.' }]);
    if (!Array.isArray(b.settings) || b.settings.length === 0 || !b.settings.every((s) => typeof s === 'string')) throw new AmoSandboxValidationError([{ code: 'InvalidType', path: 'settings', detail: 'This value should be of type array.' }]);
    const now = unixOf(clock);
    const existing = [...state.webhooks.values()].find((w) => w.destination === b.destination);
    if (!existing && state.webhooks.size >= MAX_WEBHOOKS) {
      problem(res, 400, 'Bad Request', `No more than ${MAX_WEBHOOKS} webhooks per account`);
      return;
    }
    const hook = existing ?? { id: ids.take('webhook'), destination: b.destination, created_by: ctx.userId, created_at: now, updated_at: now, sort: 10, disabled: false, settings: [], failures: [] };
    Object.assign(hook, { settings: [...new Set(b.settings as string[])], sort: typeof b.sort === 'number' ? b.sort : hook.sort, disabled: false, failures: [], updated_at: now });
    state.webhooks.set(hook.id, hook);
    hal(res, 200, webhookJson({ ...hook }));
  }));

  r.delete('/api/v4/webhooks', json, route(baseUrl, (req, res, ctx) => {
    if (!requireAdmin(state, res, ctx.userId)) return;
    const destination = (req.body as { destination?: unknown } | undefined)?.destination;
    if (typeof destination !== 'string') throw new AmoSandboxValidationError([{ code: 'InvalidType', path: 'destination', detail: 'This value should not be blank.' }]);
    const hook = [...state.webhooks.values()].find((w) => w.destination === destination);
    if (!hook) throw new AmoSandboxNotFound();
    state.webhooks.delete(hook.id);
    res.status(204).end();
  }));

  return r;
}

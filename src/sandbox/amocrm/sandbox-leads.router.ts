import express, { type Router } from 'express';
import { AmoSandboxNotFound, type AmoSandboxCrm, type LeadPatch } from './sandbox-crm.js';
import { hal, readPage, sendCollection, validationProblem } from './sandbox-hal.js';
import { inRange, pathId, requireBody, route } from './sandbox-route.js';
import type { AmoSandboxState, SbLead, SbPipeline } from './sandbox-state.js';

// Leads, pipelines and events of API v4 (crm_platform/leads-api, leads_pipelines, events-and-notes),
// with the shapes of shared/protocols/amocrm.md §3.

export function leadJson(lead: SbLead, baseUrl: string, withContacts: boolean): Record<string, unknown> {
  const { contacts, companies, tags, ...fields } = lead;
  const link = (path: string) => ({ self: { href: `${baseUrl}/api/v4/${path}` } });
  return {
    ...fields,
    _links: link(`leads/${lead.id}`),
    _embedded: {
      tags,
      companies: companies.map((c) => ({ id: c.id, _links: link(`companies/${c.id}`) })),
      ...(withContacts ? { contacts: contacts.map((c) => ({ id: c.id, is_main: c.is_main, _links: link(`contacts/${c.id}`) })) } : {}),
    },
  };
}

function pipelineJson(p: SbPipeline, baseUrl: string): Record<string, unknown> {
  const { statuses, ...fields } = p;
  return {
    ...fields,
    _links: { self: { href: `${baseUrl}/api/v4/leads/pipelines/${p.id}` } },
    _embedded: { statuses: statuses.map((s) => ({ ...s, _links: { self: { href: `${baseUrl}/api/v4/leads/pipelines/${p.id}/statuses/${s.id}` } } })) },
  };
}

export function leadsRouter(state: AmoSandboxState, crm: AmoSandboxCrm, baseUrl: () => string): Router {
  const r = express.Router();

  r.get('/api/v4/leads/pipelines', route(baseUrl, (_req, res, ctx) => {
    hal(res, 200, { _total_items: state.pipelines.length, _links: { self: { href: `${ctx.baseUrl}/api/v4/leads/pipelines` } }, _embedded: { pipelines: state.pipelines.map((p) => pipelineJson(p, ctx.baseUrl)) } });
  }));

  r.get('/api/v4/leads/pipelines/:id', route(baseUrl, (req, res, ctx) => {
    const pipeline = state.pipelines.find((p) => p.id === pathId(req));
    if (!pipeline) throw new AmoSandboxNotFound();
    hal(res, 200, pipelineJson(pipeline, ctx.baseUrl));
  }));

  r.get('/api/v4/leads/:id', route(baseUrl, (req, res, ctx) => {
    const id = pathId(req);
    const lead = id === null ? undefined : state.leads.get(id);
    // A lead that is not there (or was deleted) answers 204 with no body, like an empty list.
    if (!lead) {
      if (id === null) throw new AmoSandboxNotFound();
      res.status(204).end();
      return;
    }
    hal(res, 200, leadJson(lead, ctx.baseUrl, withContacts(ctx.query.get('with'))));
  }));

  r.get('/api/v4/leads', route(baseUrl, (req, res, ctx) => {
    const page = readPage(res, ctx.query, 250);
    if (!page) return;
    const q = ctx.query;
    const ids = q.allNumbers('filter[id]');
    const pipelines = q.allNumbers('filter[pipeline_id]');
    const responsibles = q.allNumbers('filter[responsible_user_id]');
    let leads = [...state.leads.values()].filter(
      (l) =>
        (ids.length === 0 || ids.includes(l.id)) &&
        (pipelines.length === 0 || pipelines.includes(l.pipeline_id)) &&
        (responsibles.length === 0 || responsibles.includes(l.responsible_user_id)) &&
        inRange(l.updated_at, q, 'filter[updated_at]') &&
        inRange(l.created_at, q, 'filter[created_at]'),
    );
    leads = ordered(leads, q.get('order[id]') ? ['id', q.get('order[id]')!] : q.get('order[updated_at]') ? ['updated_at', q.get('order[updated_at]')!] : q.get('order[created_at]') ? ['created_at', q.get('order[created_at]')!] : ['id', 'asc']);
    const wc = withContacts(q.get('with'));
    sendCollection(res, { baseUrl: ctx.baseUrl, path: req.path, query: q, key: 'leads', items: leads.map((l) => leadJson(l, ctx.baseUrl, wc)), page });
  }));

  r.post('/api/v4/leads', express.json({ limit: '1mb' }), route(baseUrl, (req, res, ctx) => {
    if (!requireBody(res, req.body, true)) return;
    const created = (req.body as Record<string, unknown>[]).map((item) =>
      crm.createLead(
        {
          name: typeof item.name === 'string' ? item.name : undefined,
          price: typeof item.price === 'number' ? item.price : undefined,
          pipelineId: typeof item.pipeline_id === 'number' ? item.pipeline_id : undefined,
          statusId: typeof item.status_id === 'number' ? item.status_id : undefined,
          responsibleUserId: typeof item.responsible_user_id === 'number' ? item.responsible_user_id : undefined,
          customFieldsValues: item.custom_fields_values,
        },
        ctx.userId,
      ),
    );
    hal(res, 200, { _links: { self: { href: `${ctx.baseUrl}/api/v4/leads` } }, _embedded: { leads: created.map((l, i) => ({ id: l.id, request_id: String((req.body as Record<string, unknown>[])[i].request_id ?? i), _links: { self: { href: `${ctx.baseUrl}/api/v4/leads/${l.id}` } } })) } });
  }));

  r.patch('/api/v4/leads/:id', express.json({ limit: '1mb' }), route(baseUrl, (req, res, ctx) => {
    const id = pathId(req);
    if (id === null) throw new AmoSandboxNotFound();
    if (!requireBody(res, req.body, false)) return;
    const lead = crm.updateLead(id, req.body as LeadPatch, ctx.userId);
    hal(res, 200, { id: lead.id, updated_at: lead.updated_at, _links: { self: { href: `${ctx.baseUrl}/api/v4/leads/${lead.id}` } } });
  }));

  r.patch('/api/v4/leads', express.json({ limit: '1mb' }), route(baseUrl, (req, res, ctx) => {
    if (!requireBody(res, req.body, true)) return;
    const items = req.body as (LeadPatch & { id?: unknown; request_id?: unknown })[];
    const missing = items.findIndex((i) => typeof i.id !== 'number' || !state.leads.has(i.id));
    if (missing !== -1) {
      validationProblem(res, [{ requestId: String(missing), errors: [{ code: 'NotSupportedChoice', path: 'id', detail: 'The value you selected is not a valid choice.' }] }]);
      return;
    }
    const updated = items.map((i) => crm.updateLead(i.id as number, i, ctx.userId));
    hal(res, 200, { _links: { self: { href: `${ctx.baseUrl}/api/v4/leads` } }, _embedded: { leads: updated.map((l, i) => ({ id: l.id, updated_at: l.updated_at, request_id: String(items[i].request_id ?? i), _links: { self: { href: `${ctx.baseUrl}/api/v4/leads/${l.id}` } } })) } });
  }));

  r.get('/api/v4/events', route(baseUrl, (req, res, ctx) => {
    const page = readPage(res, ctx.query, 100, 100);
    if (!page) return;
    const q = ctx.query;
    const entities = q.all('filter[entity]');
    const entityIds = q.allNumbers('filter[entity_id]');
    const types = q.all('filter[type]');
    const ids = q.all('filter[id]');
    const createdBy = q.allNumbers('filter[created_by]');
    const events = state.events
      .filter(
        (e) =>
          (entities.length === 0 || entities.includes(e.entity_type)) &&
          (entityIds.length === 0 || entityIds.includes(e.entity_id)) &&
          (types.length === 0 || types.includes(e.type)) &&
          (ids.length === 0 || ids.includes(e.id)) &&
          (createdBy.length === 0 || createdBy.includes(e.created_by)) &&
          inRange(e.created_at, q, 'filter[created_at]'),
      )
      // Newest first, as the events list shows them.
      .sort((a, b) => b.created_at - a.created_at || b.id.localeCompare(a.id))
      .map((e) => ({ ...e, _links: { self: { href: `${ctx.baseUrl}/api/v4/events/${e.id}` } }, _embedded: { entity: { id: e.entity_id } } }));
    sendCollection(res, { baseUrl: ctx.baseUrl, path: req.path, query: q, key: 'events', items: events, page });
  }));

  return r;
}

function withContacts(withParam: string | undefined): boolean {
  return (withParam ?? '').split(',').includes('contacts');
}

function ordered(items: SbLead[], [field, dir]: [string, string]): SbLead[] {
  const key = (field === 'updated_at' || field === 'created_at' ? field : 'id') as 'id' | 'updated_at' | 'created_at';
  const sign = dir === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => sign * (a[key] - b[key]) || a.id - b.id);
}

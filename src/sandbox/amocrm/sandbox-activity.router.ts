import express, { type Router } from 'express';
import { AmoSandboxNotFound, type AmoSandboxCrm } from './sandbox-crm.js';
import { AmoSandboxValidationError } from './sandbox-custom-fields.js';
import { hal, readPage, sendCollection, type ValidationError } from './sandbox-hal.js';
import { inRange, pathId, requireBody, route } from './sandbox-route.js';
import type { AmoSandboxState, SbNote, SbNoteParent, SbTask } from './sandbox-state.js';

// Tasks (crm_platform/tasks-api) and notes (events-and-notes) of API v4.

const TASK_ENTITY_TYPES = new Set(['leads', 'contacts', 'companies', 'customers']);
/** Note types the sandbox accepts on create; every other documented type is refused as unsupported here. */
const NOTE_TYPES = new Set(['common', 'call_in', 'call_out', 'service_message']);
const PARENTS = new Set<SbNoteParent>(['leads', 'contacts', 'companies']);

function taskJson(task: SbTask, baseUrl: string): Record<string, unknown> {
  const { request_id: _requestId, ...fields } = task;
  return { ...fields, result: fields.result ?? [], _links: { self: { href: `${baseUrl}/api/v4/tasks/${task.id}` } } };
}

function noteJson(note: SbNote, baseUrl: string): Record<string, unknown> {
  const { parent, ...fields } = note;
  return { ...fields, _links: { self: { href: `${baseUrl}/api/v4/${parent}/${note.entity_id}/notes/${note.id}` } } };
}

export function activityRouter(state: AmoSandboxState, crm: AmoSandboxCrm, baseUrl: () => string): Router {
  const r = express.Router();

  r.get('/api/v4/tasks', route(baseUrl, (req, res, ctx) => {
    const page = readPage(res, ctx.query, 250);
    if (!page) return;
    const q = ctx.query;
    const responsibles = q.allNumbers('filter[responsible_user_id]');
    const completed = q.get('filter[is_completed]');
    const types = q.allNumbers('filter[task_type]');
    const entityType = q.get('filter[entity_type]');
    const entityIds = q.allNumbers('filter[entity_id]');
    const ids = q.allNumbers('filter[id]');
    const order = q.get('order[id]') ?? 'asc';
    const tasks = [...state.tasks.values()]
      .filter(
        (t) =>
          (responsibles.length === 0 || responsibles.includes(t.responsible_user_id)) &&
          (completed === undefined || t.is_completed === (completed === '1')) &&
          (types.length === 0 || types.includes(t.task_type_id)) &&
          (entityType === undefined || t.entity_type === entityType) &&
          (entityIds.length === 0 || (t.entity_id !== null && entityIds.includes(t.entity_id))) &&
          (ids.length === 0 || ids.includes(t.id)) &&
          inRange(t.updated_at, q, 'filter[updated_at]'),
      )
      .sort((a, b) => (order === 'desc' ? b.id - a.id : a.id - b.id));
    sendCollection(res, { baseUrl: ctx.baseUrl, path: req.path, query: q, key: 'tasks', items: tasks.map((t) => taskJson(t, ctx.baseUrl)), page });
  }));

  r.get('/api/v4/tasks/:id', route(baseUrl, (req, res, ctx) => {
    const task = state.tasks.get(pathId(req) ?? -1);
    if (!task) {
      res.status(204).end();
      return;
    }
    hal(res, 200, taskJson(task, ctx.baseUrl));
  }));

  // "A task must have a responsible user and a due date" (tasks-api).
  r.post('/api/v4/tasks', express.json({ limit: '1mb' }), route(baseUrl, (req, res, ctx) => {
    if (!requireBody(res, req.body, true)) return;
    const items = req.body as Record<string, unknown>[];
    const groups = items.map((item, i) => ({ requestId: String(item.request_id ?? i), errors: taskErrors(state, item) })).filter((g) => g.errors.length);
    if (groups.length) throw new AmoSandboxValidationError(groups[0].errors);
    const created = items.map((item) =>
      crm.addTask(
        {
          text: item.text as string,
          complete_till: item.complete_till as number,
          responsible_user_id: item.responsible_user_id as number,
          entity_type: typeof item.entity_type === 'string' ? item.entity_type : null,
          entity_id: typeof item.entity_id === 'number' ? item.entity_id : null,
          task_type_id: typeof item.task_type_id === 'number' ? item.task_type_id : 1,
          duration: typeof item.duration === 'number' ? item.duration : 0,
          is_completed: false,
          result: null,
          request_id: typeof item.request_id === 'string' ? item.request_id : undefined,
        },
        ctx.userId,
      ),
    );
    hal(res, 200, {
      _links: { self: { href: `${ctx.baseUrl}/api/v4/tasks` } },
      _embedded: { tasks: created.map((t, i) => ({ id: t.id, request_id: String(items[i].request_id ?? i), _links: { self: { href: `${ctx.baseUrl}/api/v4/tasks/${t.id}` } } })) },
    });
  }));

  r.patch('/api/v4/tasks/:id', express.json({ limit: '1mb' }), route(baseUrl, (req, res, ctx) => {
    const id = pathId(req);
    if (id === null || !state.tasks.has(id)) throw new AmoSandboxNotFound();
    if (!requireBody(res, req.body, false)) return;
    const b = req.body as Record<string, unknown>;
    const patch: Parameters<AmoSandboxCrm['updateTask']>[1] = {};
    if (typeof b.text === 'string') patch.text = b.text;
    if (typeof b.complete_till === 'number') patch.complete_till = b.complete_till;
    if (typeof b.is_completed === 'boolean') patch.is_completed = b.is_completed;
    if (typeof b.responsible_user_id === 'number') patch.responsible_user_id = b.responsible_user_id;
    const result = b.result as { text?: unknown } | undefined;
    if (result && typeof result.text === 'string') patch.result = { text: result.text };
    const task = crm.updateTask(id, patch, ctx.userId);
    hal(res, 200, { id: task.id, updated_at: task.updated_at, _links: { self: { href: `${ctx.baseUrl}/api/v4/tasks/${task.id}` } } });
  }));

  const listNotes = (parent: SbNoteParent, entityId: number | null) =>
    route(baseUrl, (req, res, ctx) => {
      const page = readPage(res, ctx.query, 250);
      if (!page) return;
      const q = ctx.query;
      const types = q.all('filter[note_type]');
      const ids = q.allNumbers('filter[id]');
      const entityIds = q.allNumbers('filter[entity_id]');
      const notes = [...state.notes.values()]
        .filter(
          (n) =>
            n.parent === parent &&
            (entityId === null || n.entity_id === entityId) &&
            (entityIds.length === 0 || entityIds.includes(n.entity_id)) &&
            (types.length === 0 || types.includes(n.note_type)) &&
            (ids.length === 0 || ids.includes(n.id)) &&
            inRange(n.updated_at, q, 'filter[updated_at]'),
        )
        .sort((a, b) => (q.get('order[id]') === 'desc' ? b.id - a.id : a.id - b.id));
      sendCollection(res, { baseUrl: ctx.baseUrl, path: req.path, query: q, key: 'notes', items: notes.map((n) => noteJson(n, ctx.baseUrl)), page });
    });

  r.get('/api/v4/:parent/notes', (req, res, next) => (isParent(req.params.parent) ? listNotes(req.params.parent, null)(req, res, next) : next()));

  r.get('/api/v4/:parent/notes/:id', (req, res, next) => {
    if (!isParent(req.params.parent)) return next();
    return route(baseUrl, (rq, rs, ctx) => {
      const note = state.notes.get(pathId(rq) ?? -1);
      if (!note || note.parent !== rq.params.parent) {
        rs.status(204).end();
        return;
      }
      hal(rs, 200, noteJson(note, ctx.baseUrl));
    })(req, res, next);
  });

  r.get('/api/v4/:parent/:entityId/notes', (req, res, next) => {
    const entityId = pathId(req, 'entityId');
    return isParent(req.params.parent) && entityId !== null ? listNotes(req.params.parent, entityId)(req, res, next) : next();
  });

  r.post('/api/v4/:parent/:entityId/notes', express.json({ limit: '1mb' }), (req, res, next) => {
    const entityId = pathId(req, 'entityId');
    const parent = req.params.parent;
    if (!isParent(parent) || entityId === null) return next();
    return route(baseUrl, (rq, rs, ctx) => {
      if (!requireBody(rs, rq.body, true)) return;
      const items = rq.body as Record<string, unknown>[];
      items.forEach((item) => {
        if (typeof item.note_type !== 'string' || !NOTE_TYPES.has(item.note_type)) throw invalidNote('note_type');
        const params = item.params as Record<string, unknown> | undefined;
        if (!params || typeof params !== 'object') throw invalidNote('params');
        if (item.note_type === 'common' && (typeof params.text !== 'string' || params.text === '')) throw invalidNote('params.text');
      });
      const created = items.map((item) => crm.addNote(parent, entityId, item.note_type as string, item.params as Record<string, unknown>, ctx.userId));
      hal(rs, 200, {
        _links: { self: { href: `${ctx.baseUrl}/api/v4/${parent}/${entityId}/notes` } },
        _embedded: { notes: created.map((n, i) => ({ id: n.id, entity_id: n.entity_id, request_id: String(items[i].request_id ?? i), _links: { self: { href: `${ctx.baseUrl}/api/v4/${parent}/${entityId}/notes/${n.id}` } } })) },
      });
    })(req, res, next);
  });

  return r;
}

function isParent(value: unknown): value is SbNoteParent {
  return typeof value === 'string' && PARENTS.has(value as SbNoteParent);
}

function taskErrors(state: AmoSandboxState, item: Record<string, unknown>): ValidationError[] {
  const errors: ValidationError[] = [];
  const bad = (path: string, code = 'InvalidType') => errors.push({ code, path, detail: code === 'NotSupportedChoice' ? 'The value you selected is not a valid choice.' : 'This value should not be blank.' });
  if (typeof item.text !== 'string' || item.text === '') bad('text');
  if (typeof item.complete_till !== 'number') bad('complete_till');
  if (typeof item.responsible_user_id !== 'number') bad('responsible_user_id');
  else if (!state.users.has(item.responsible_user_id)) bad('responsible_user_id', 'NotSupportedChoice');
  if (item.entity_type !== undefined || item.entity_id !== undefined) {
    if (typeof item.entity_type !== 'string' || !TASK_ENTITY_TYPES.has(item.entity_type)) bad('entity_type', 'NotSupportedChoice');
    else if (item.entity_type === 'leads' && (typeof item.entity_id !== 'number' || !state.leads.has(item.entity_id))) bad('entity_id', 'NotSupportedChoice');
  }
  return errors;
}

function invalidNote(path: string): AmoSandboxValidationError {
  return new AmoSandboxValidationError([{ code: path === 'note_type' ? 'NotSupportedChoice' : 'InvalidType', path, detail: 'This value is not valid.' }]);
}

import express, { type Router } from 'express';
import type { AmoCrmSandbox } from './amocrm-sandbox.js';
import { AmoSandboxNotFound } from './sandbox-crm.js';
import { AmoSandboxValidationError } from './sandbox-custom-fields.js';
import type { AmoWebhookMode } from './sandbox-webhooks.js';

// The demo's handle on the sandbox account over HTTP (/_sandbox/…): what a user does in the amoCRM
// UI, without OAuth or the rate limit. Not part of amoCRM; mounted only with `controlRoutes: true`.

export function controlRouter(sandbox: AmoCrmSandbox): Router {
  const r = express.Router();
  r.use(express.json({ limit: '64kb' }));

  const handle = (fn: (body: Record<string, unknown>, params: Record<string, string>) => unknown): express.RequestHandler => async (req, res) => {
    try {
      res.json((await fn((req.body ?? {}) as Record<string, unknown>, req.params as Record<string, string>)) ?? { ok: true });
    } catch (err) {
      const status = err instanceof AmoSandboxValidationError ? 400 : err instanceof AmoSandboxNotFound ? 404 : 500;
      res.status(status).json({ error: err instanceof Error ? err.message : String(err) });
    }
  };
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

  r.get('/state', handle(() => ({
    accountId: sandbox.accountId,
    baseUrl: sandbox.baseUrl,
    pipelines: sandbox.state.pipelines,
    users: [...sandbox.state.users.values()],
    leads: [...sandbox.state.leads.values()],
    tasks: sandbox.tasks(),
    notes: sandbox.notes(),
    webhooks: [...sandbox.state.webhooks.values()].map(({ failures: _f, ...w }) => w),
  })));
  r.post('/install', handle((b) => ({ redirect: sandbox.installRedirectUrl(typeof b.state === 'string' ? b.state : null) })));
  r.post('/leads', handle((b) => sandbox.createLead({ name: typeof b.name === 'string' ? b.name : undefined, price: num(b.price), pipelineId: num(b.pipelineId), statusId: num(b.statusId), responsibleUserId: num(b.responsibleUserId), asUserId: num(b.asUserId) })));
  r.post('/leads/:id/move', handle((b, p) => sandbox.moveLead(Number(p.id), num(b.statusId) ?? -1, num(b.pipelineId), num(b.asUserId))));
  r.post('/leads/:id/fields', handle((b, p) => sandbox.updateLead(Number(p.id), { custom_fields_values: b.customFieldsValues }, num(b.asUserId))));
  r.post('/leads/:id/calls', handle((b, p) => sandbox.addCall({ leadId: Number(p.id), direction: b.direction === 'in' ? 'in' : 'out', durationSec: num(b.durationSec) ?? 0, userId: num(b.userId) })));
  r.post('/tasks', handle((b) => sandbox.addTask({ leadId: num(b.leadId) ?? null, text: String(b.text ?? ''), responsibleUserId: num(b.responsibleUserId), completeTill: num(b.completeTill) ?? 0, taskTypeId: num(b.taskTypeId), asUserId: num(b.asUserId) })));
  r.post('/tasks/:id/complete', handle((b, p) => sandbox.completeTask(Number(p.id), typeof b.result === 'string' ? b.result : '', num(b.asUserId))));
  r.post('/webhooks/mode', handle((b) => sandbox.setWebhookMode(b.mode as AmoWebhookMode)));
  r.post('/webhooks/flush', handle((b) => sandbox.flushWebhooks({ duplicate: b.duplicate === true, reverse: b.reverse === true })));
  r.post('/disable', handle(() => sandbox.disableIntegration()));
  return r;
}

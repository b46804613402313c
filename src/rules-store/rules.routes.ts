import express, { Router } from 'express';
import type { AppContext } from '../app/app-context.js';
import { HttpError } from '../http/http-errors.js';
import { validateRulesConfig } from '../rules/index.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import { requireRole, sessionOf } from '../ui/session.js';
import { RulesConfigRepository } from './rules-config.repository.js';

/** GET/PUT /api/rules, POST /api/rules/validate, version history and rollback. Session required (mounted behind it). */
export function rulesRouter(ctx: AppContext): Router {
  const repo = new RulesConfigRepository(ctx.db);
  const projections = new ProjectionRepository(ctx.db);
  const router = Router();
  router.use(express.json({ limit: '512kb' }));

  const validate = async (portalId: string, body: unknown) => {
    const pipelines = await projections.pipelines(portalId);
    return validateRulesConfig(body, pipelines);
  };

  router.get('/rules', async (_req, res) => {
    const { portalId } = sessionOf(res);
    const active = await repo.active(portalId);
    if (!active) throw new HttpError(404, 'no_rules', 'No rules configured yet for this portal');
    res.json(active);
  });

  router.post('/rules/validate', async (req, res) => {
    const result = await validate(sessionOf(res).portalId, req.body);
    res.status(result.ok ? 200 : 400).json(result.ok ? { ok: true } : { ok: false, errors: result.errors });
  });

  router.put('/rules', requireRole('admin'), async (req, res) => {
    const session = sessionOf(res);
    const result = await validate(session.portalId, req.body);
    if (!result.ok) {
      throw new HttpError(400, 'invalid_rules', `Invalid rules config: ${result.errors[0]!.path}: ${result.errors[0]!.message}`, result.errors);
    }
    const saved = await repo.save(session.portalId, result.config, { id: session.userId, name: session.userName });
    res.status(201).json(saved);
  });

  router.get('/rules/versions', async (_req, res) => {
    res.json(await repo.history(sessionOf(res).portalId));
  });

  router.get('/rules/versions/:version', async (req, res) => {
    const v = Number(req.params.version);
    if (!Number.isInteger(v) || v < 1) throw new HttpError(400, 'bad_version', 'version must be a positive integer');
    const found = await repo.version(sessionOf(res).portalId, v);
    if (!found) throw new HttpError(404, 'no_such_version', `No version ${v}`);
    res.json(found);
  });

  // Rollback = save an old version's config as the newest one, re-validated against today's pipelines.
  router.post('/rules/versions/:version/restore', requireRole('admin'), async (req, res) => {
    const session = sessionOf(res);
    const v = Number(req.params.version);
    const found = Number.isInteger(v) ? await repo.version(session.portalId, v) : null;
    if (!found) throw new HttpError(404, 'no_such_version', `No version ${req.params.version}`);
    const result = await validate(session.portalId, found.config);
    if (!result.ok) throw new HttpError(409, 'stale_version', `Version ${v} no longer fits the pipelines: ${result.errors[0]!.path}`, result.errors);
    res.status(201).json(await repo.save(session.portalId, result.config, { id: session.userId, name: session.userName }, `restored version ${v}`));
  });

  return router;
}

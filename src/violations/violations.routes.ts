import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../app/app-context.js';
import { isoDate, parseInput } from '../http/query-params.js';
import { sessionOf } from '../ui/session.js';
import { ViolationRepository } from './violation.repository.js';

const filter = z.object({
  managerId: z.string().max(64).optional(),
  kind: z.string().max(64).optional(),
  stageId: z.string().max(64).optional(),
  dealId: z.string().max(64).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  beforeId: z.string().regex(/^\d+$/).optional(),
});

/** Violations (filterable) and the audit log of writes to the host. */
export function violationsRouter(ctx: AppContext): Router {
  const repo = new ViolationRepository(ctx.db);
  const router = Router();

  router.get('/violations', async (req, res) => {
    const f = parseInput(filter, req.query, 'query parameter');
    res.json(await repo.list(sessionOf(res).portalId, f));
  });

  router.get('/audit', async (req, res) => {
    const { limit, beforeId } = parseInput(filter.pick({ limit: true, beforeId: true }), req.query, 'query parameter');
    const rows = await ctx.db.query(
      `SELECT id, at, actor, action, details FROM audit_log WHERE portal_id = $1 ${beforeId ? 'AND id < $3' : ''}
        ORDER BY id DESC LIMIT $2`,
      beforeId ? [sessionOf(res).portalId, limit ?? 100, beforeId] : [sessionOf(res).portalId, limit ?? 100],
    );
    res.json(rows.map((r: any) => ({ id: String(r.id), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, details: r.details })));
  });

  return router;
}

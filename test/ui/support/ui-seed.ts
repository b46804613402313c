import type { Runtime } from '../../../src/app/runtime.js';
import type { Activity, Deal, Pipeline, StageTransition } from '../../../src/domain/crm.js';
import { PortalRepository } from '../../../src/portals/portal.repository.js';
import type { Portal } from '../../../src/portals/portal.js';
import { B2B_PIPELINE_ID, B2B_STAGE, b2bFiveStagePipelines, b2bFiveStageRules } from '../../../src/rules/index.js';
import { ProjectionRepository } from '../../../src/sync/projection.repository.js';
import { ViolationRepository } from '../../../src/violations/violation.repository.js';

const S = B2B_STAGE;
const DAY = 86_400_000;

export const USERS = [
  { id: '100', name: 'Olga Head', isAdmin: true },
  { id: '101', name: 'Ivan Offers' },
  { id: '102', name: 'Lena Legal' },
  { id: '201', name: 'Pavel Petrov' },
  { id: '202', name: 'Maria Sidorova' },
];

/** The deal the deal-tab tests open: in Negotiation, having jumped over the required Offer stage. */
export const NEGOTIATION_DEAL = '501';
export const NEGOTIATION_TITLE = 'Acme Corp — 40 licences';

export interface SeededPortal {
  portal: Portal;
  pipelines: Pipeline[];
}

async function installPortal(rt: Runtime, externalId: string, domain: string, locale: string): Promise<Portal> {
  return new PortalRepository(rt.ctx.db, rt.ctx.cipher).upsertInstalled({
    host: 'amocrm',
    externalId,
    domain,
    locale,
    clientEndpoint: null,
    serverEndpoint: null,
    applicationToken: null,
    tokens: null,
  });
}

function deal(id: string, over: Partial<Deal>, createdAt: Date): Deal {
  return {
    id,
    pipelineId: B2B_PIPELINE_ID,
    stageId: S.identification,
    title: `Deal ${id}`,
    responsibleId: '201',
    amount: null,
    currency: 'EUR',
    closeDate: null,
    probability: null,
    companyId: null,
    contactId: null,
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
    goalMark: null,
    fields: {},
    ...over,
  };
}

/**
 * Portal A: the B2B pipeline, five users, a dozen deals with their stage history, open activities,
 * violations of several kinds, audit rows and a half-done install. Times are relative to `now` so the
 * dashboard's "this month" and "last 30 days" always hold them.
 */
export async function seedPortalA(rt: Runtime, now: Date): Promise<SeededPortal> {
  const db = rt.ctx.db;
  const portal = await installPortal(rt, 'acc-A', 'alpha.kommo.com', 'ru');
  await db.query(`UPDATE portals SET installed_at = $2, status = 'active' WHERE id = $1`, [portal.id, new Date(now.getTime() - 40 * DAY)]);
  const projections = new ProjectionRepository(db);
  const pipelines = b2bFiveStagePipelines();
  await projections.replacePipelines(portal.id, pipelines);
  for (const u of USERS) {
    await db.query(`INSERT INTO host_users (portal_id, id, name, is_admin) VALUES ($1, $2, $3, $4)`, [portal.id, u.id, u.name, !!u.isAdmin]);
  }

  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const path: Record<string, { stages: string[]; manager: string; over?: Partial<Deal> }> = {
    [NEGOTIATION_DEAL]: {
      stages: [S.identification, S.qualification, S.negotiation],
      manager: '201',
      over: { title: NEGOTIATION_TITLE, amount: 12000, companyId: '9001', fields: { 'Repeat customer': 'no' } },
    },
    '502': { stages: [S.identification, S.qualification, S.offer, S.negotiation, S.won], manager: '201', over: { amount: 8000 } },
    '503': { stages: [S.identification, S.qualification, S.offer], manager: '201' },
    '504': { stages: [S.identification, S.qualification, S.lost], manager: '201' },
    '505': { stages: [S.identification, S.qualification, S.offer, S.negotiation], manager: '202' },
    '506': { stages: [S.identification, S.qualification, S.offer, S.negotiation, S.won], manager: '202', over: { amount: 15000 } },
    '507': { stages: [S.identification, S.qualification, S.offer, S.negotiation, S.won], manager: '202', over: { amount: 5000 } },
    '508': { stages: [S.identification, S.qualification], manager: '202' },
    '509': { stages: [S.identification], manager: '201' },
    '510': { stages: [S.identification, S.offer], manager: '202' },
  };
  let history = 1;
  for (const [id, p] of Object.entries(path)) {
    const created = ago(25 - Number(id.slice(-1)));
    const last = p.stages[p.stages.length - 1]!;
    const d = deal(id, { stageId: last, responsibleId: p.manager, ...p.over }, created);
    const semantics = pipelines[0]!.stages.find((s) => s.id === last)!.semantics;
    await projections.upsertDeal(portal.id, d, now, semantics);
    const transitions: StageTransition[] = p.stages.slice(1).map((to, i) => ({
      dealId: id,
      pipelineId: B2B_PIPELINE_ID,
      fromPipelineId: B2B_PIPELINE_ID,
      fromStageId: p.stages[i]!,
      toStageId: to,
      at: new Date(created.getTime() + (i + 1) * 2 * DAY).toISOString(),
      byUserId: p.manager,
      hostHistoryId: `h${history++}`,
    }));
    await projections.insertTransitions(portal.id, transitions);
  }
  const meeting: Activity = {
    id: 'act-1',
    kind: 'meeting',
    direction: null,
    durationSec: null,
    completed: false,
    responsibleId: '201',
    dealIds: [NEGOTIATION_DEAL],
    subject: 'Contract walkthrough',
    createdAt: ago(1).toISOString(),
    startAt: new Date(now.getTime() + 2 * DAY).toISOString(),
    deadline: null,
  };
  await projections.upsertActivity(portal.id, meeting);

  const violations = new ViolationRepository(db);
  const record = (key: string, kind: string, dealId: string, managerId: string, stageId: string, daysAgo: number, details: Record<string, unknown>) =>
    violations.record(db.manager, portal.id, { dedupeKey: key, kind, dealId, managerId, pipelineId: B2B_PIPELINE_ID, stageId, details, detectedAt: ago(daysAgo) });
  await record('v1', 'stage_skipped', NEGOTIATION_DEAL, '201', S.negotiation, 3, {
    message: `Deal «${NEGOTIATION_TITLE}» moved from «Qualification» to «Negotiation» past the required stage «Offer».`,
    mode: 'enforce',
    actions: ['move_stage', 'create_task', 'notify'],
    skippedStageIds: [S.offer],
  });
  await record('v2', 'stage_skipped', '510', '202', S.offer, 6, { message: 'Deal «Deal 510» skipped «Qualification».', mode: 'alert', actions: ['notify'] });
  await record('v3', 'exit_conditions_unmet', '503', '201', S.offer, 2, { message: 'Deal «Deal 503» left «Qualification» without a company.', mode: 'alert', actions: ['notify'] });
  await record('v4', 'deal_stalled', '509', '201', S.identification, 1, { message: 'No activity for 5 working days.' });
  await record('v5', 'next_contact_missing', '508', '202', S.qualification, 4, { message: 'No next contact planned.' });
  await db.query(`UPDATE violations SET resolved_at = $2 WHERE portal_id = $1 AND dedupe_key = 'v5'`, [portal.id, ago(3)]);

  await db.query(`INSERT INTO audit_log (portal_id, at, actor, action, details) VALUES ($1, $2, 'stageguard', 'host_write', $3::jsonb)`, [
    portal.id,
    ago(3),
    JSON.stringify({ actionId: '1', kind: 'move_stage', dealId: NEGOTIATION_DEAL, hostResultId: null, attempt: 1 }),
  ]);
  await db.query(
    `INSERT INTO sync_state (portal_id, kind, status, cursor, done, total) VALUES
       ($1, 'setup', 'done', '{"step":"done"}'::jsonb, 5, 5),
       ($1, 'history_import', 'running', '{}'::jsonb, 640, 1000)`,
    [portal.id],
  );
  return { portal, pipelines };
}

/**
 * Portal B: another account whose pipeline and stage ids are the same as A's (amoCRM reuses ids such
 * as 142/143 in every account), with a deal of the same id. Nothing of A may show through.
 */
export async function seedPortalB(rt: Runtime, now: Date): Promise<SeededPortal> {
  const portal = await installPortal(rt, 'acc-B', 'beta.kommo.com', 'en');
  const projections = new ProjectionRepository(rt.ctx.db);
  const pipelines = b2bFiveStagePipelines().map((p) => ({ ...p, name: 'Beta sales' }));
  await projections.replacePipelines(portal.id, pipelines);
  await rt.ctx.db.query(`INSERT INTO host_users (portal_id, id, name) VALUES ($1, '900', 'Bruno Beta')`, [portal.id]);
  const created = new Date(now.getTime() - 5 * DAY);
  await projections.upsertDeal(portal.id, deal('777', { title: 'Beta-only deal', responsibleId: '900' }, created), now, 'process');
  await projections.upsertDeal(portal.id, deal(NEGOTIATION_DEAL, { title: 'Beta deal with a shared id', responsibleId: '900' }, created), now, 'process');
  return { portal, pipelines };
}

export { b2bFiveStageRules, B2B_STAGE, B2B_PIPELINE_ID };

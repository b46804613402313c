import type { Db } from '../../src/db/data-source.js';

/**
 * The reference dataset: portal A with two managers ('1', '2'), an unassigned deal, two pipelines;
 * portal B with the same ids and very different numbers, so any leak shows in A's figures.
 * Every expected value in reports.api.test.ts is computed by hand from these rows (see the comments).
 */
export const PERIOD = { from: '2025-03-01', to: '2025-04-01' };
export const NOW = new Date('2025-03-21T00:00:00Z');

const at = (d: string) => new Date(d.length === 10 ? `${d}T00:00:00Z` : d);

interface DealSeed {
  id: string;
  manager: string | null;
  created: string;
  pipeline?: string;
  amount?: number;
  deleted?: boolean;
  /** [toStage, at] in order; the first is the creation row (from null). */
  moves: [string, string][];
}

const SEMANTICS: Record<string, string> = { S1: 'process', S2: 'process', S3: 'process', WON: 'success', LOSE: 'failure', X1: 'process', XW: 'success', XL: 'failure' };

export const PORTAL_A_DEALS: DealSeed[] = [
  { id: 'D1', manager: '1', created: '2025-03-02', amount: 1000, moves: [['S1', '2025-03-02'], ['S2', '2025-03-03'], ['S3', '2025-03-05'], ['WON', '2025-03-07']] },
  // a skip S1 → S3 and a backward move S3 → S2: furthest stays S3
  { id: 'D2', manager: '1', created: '2025-03-04', moves: [['S1', '2025-03-04'], ['S3', '2025-03-06'], ['S2', '2025-03-08']] },
  { id: 'D3', manager: '1', created: '2025-03-05', moves: [['S1', '2025-03-05'], ['LOSE', '2025-03-05T12:00:00Z']] },
  // skips S3 on the way to WON
  { id: 'D4', manager: '2', created: '2025-03-02', amount: 3000, moves: [['S1', '2025-03-02'], ['S2', '2025-03-04'], ['WON', '2025-03-10']] },
  { id: 'D5', manager: '2', created: '2025-03-03', amount: 800, moves: [['S1', '2025-03-03'], ['S2', '2025-03-06'], ['LOSE', '2025-03-09']] },
  { id: 'D6', manager: '2', created: '2025-03-10', moves: [['S1', '2025-03-10']] },
  { id: 'D7', manager: null, created: '2025-03-11', moves: [['S1', '2025-03-11']] },
  // created before the period, won in it: not in the funnel cohort, in the cycle and win rate
  { id: 'D8', manager: '1', created: '2025-02-10', amount: 500, moves: [['S1', '2025-02-10'], ['S2', '2025-02-15'], ['WON', '2025-03-12']] },
  { id: 'D9', manager: '2', created: '2025-03-15', amount: 9999, deleted: true, moves: [['S1', '2025-03-15'], ['S2', '2025-03-16'], ['WON', '2025-03-17']] },
  { id: 'D10', manager: '2', created: '2025-03-05', pipeline: 'Q', amount: 7000, moves: [['X1', '2025-03-05'], ['XW', '2025-03-06']] },
  { id: 'D11', manager: '1', created: '2025-01-05', moves: [['S1', '2025-01-05']] },
];

const PORTAL_B_DEALS: DealSeed[] = [
  { id: 'D1', manager: '1', created: '2025-03-02', amount: 99999, moves: [['S1', '2025-03-02'], ['WON', '2025-03-03']] },
  { id: 'D2', manager: '1', created: '2025-03-02', amount: 99999, moves: [['S1', '2025-03-02'], ['S2', '2025-03-02T01:00:00Z'], ['S3', '2025-03-02T02:00:00Z'], ['WON', '2025-03-04']] },
  { id: 'D3', manager: '2', created: '2025-03-02', moves: [['S3', '2025-03-02']] },
  { id: 'D12', manager: '2', created: '2025-03-03', moves: [['S1', '2025-03-03'], ['LOSE', '2025-03-04']] },
];

/** `at` overrides the time of day (the day stays the same, so no daily count moves); `deals` binds it; `start` is its start_at. */
type ActSeed = [
  id: string,
  kind: string,
  direction: string | null,
  duration: number | null,
  completed: boolean,
  manager: string | null,
  created: string,
  deleted?: boolean,
  extra?: { at?: string; deals?: string[]; start?: string },
];

const PORTAL_A_ACTIVITIES: ActSeed[] = [
  ['a1', 'call', 'out', 30, true, '1', '2025-03-02', false, { at: '2025-03-02T00:10:00Z', deals: ['D1'] }],
  // manager 1 calls manager 2's new deal: a first contact is whoever's
  ['a2', 'call', 'out', 31, true, '1', '2025-03-02', false, { at: '2025-03-02T02:00:00Z', deals: ['D4'] }],
  // the call that brought D5 in started two minutes before the deal was created: 0 minutes
  ['a3', 'call', 'in', 120, true, '1', '2025-03-02', false, { at: '2025-03-02T23:58:00Z', deals: ['D5'] }],
  ['a4', 'call', 'in', 0, true, '1', '2025-03-03'],
  // logged on the 4th, held on the 5th: the contact is when it was held
  ['a5', 'meeting', null, null, true, '1', '2025-03-04', false, { at: '2025-03-04T01:00:00Z', deals: ['D2'], start: '2025-03-05T00:00:00Z' }],
  // planned, not held: no contact
  ['a6', 'meeting', null, null, false, '1', '2025-03-04', false, { at: '2025-03-04T00:30:00Z', deals: ['D2'] }],
  ['a7', 'email', 'out', null, true, '1', '2025-03-05', false, { at: '2025-03-05T06:00:00Z', deals: ['D3'] }],
  ['a8', 'email', 'in', null, false, '1', '2025-03-05', false, { at: '2025-03-05T01:00:00Z', deals: ['D3'] }],
  // an offer is no contact
  ['a9', 'offer', 'out', null, true, '1', '2025-03-06', false, { deals: ['D6'] }],
  ['a10', 'chat', 'in', null, true, '1', '2025-03-06'],
  ['a11', 'task', null, null, true, '1', '2025-03-06'],
  // deleted: neither a call nor D6's first contact
  ['a12', 'call', 'out', 45, true, '1', '2025-03-10', true, { at: '2025-03-10T01:00:00Z', deals: ['D6'] }],
  ['a13', 'call', 'out', 60, true, '1', '2025-02-28T23:59:59Z'],
  ['a14', 'call', 'out', 60, true, '1', '2025-04-01'],
  ['b1', 'call', 'in', 31, true, '2', '2025-03-02'],
  ['b2', 'call', 'out', 30, true, '2', '2025-03-02'],
  ['b3', 'chat', 'in', null, true, '2', '2025-03-03'],
  ['b4', 'chat', 'out', null, true, '2', '2025-03-03'],
  ['b5', 'offer', 'out', null, true, '2', '2025-03-04'],
  ['b6', 'other', null, null, true, '2', '2025-03-04'],
  ['b7', 'meeting', null, null, true, '2', '2025-03-05', false, { at: '2025-03-05T00:30:00Z', deals: ['D10'] }],
  // a planned call (not done, no talk time) is not a call
  ['b8', 'call', 'out', null, false, '2', '2025-03-09'],
  // an incoming call with talk time that nobody has processed yet (an open to-do on Bitrix24) is a call
  ['b9', 'call', 'in', 45, false, '2', '2025-03-09'],
  ['c1', 'call', 'out', 100, true, null, '2025-03-11', false, { at: '2025-03-11T12:00:00Z', deals: ['D7'] }],
];

const PORTAL_B_ACTIVITIES: ActSeed[] = [
  // bound to portal B's deal D6: portal A's D6 (same id) must stay unanswered
  ['a1', 'call', 'out', 500, true, '1', '2025-03-10', false, { at: '2025-03-10T00:05:00Z', deals: ['D6'] }],
  ['a2', 'call', 'in', 500, true, '1', '2025-03-02'],
  ['a3', 'meeting', null, null, true, '1', '2025-03-02'],
  ['a4', 'email', 'out', null, true, '2', '2025-03-02'],
  ['a5', 'chat', 'out', null, true, '2', '2025-03-02'],
  ['a6', 'offer', 'out', null, true, '2', '2025-03-02'],
];

async function seedPortal(db: Db, name: string, deals: DealSeed[], acts: ActSeed[]): Promise<string> {
  const [p] = await db.query(`INSERT INTO portals (host, external_id, domain, status) VALUES ('bitrix24', $1, $2, 'active') RETURNING id`, [`member-${name}`, `${name}.bitrix24.ru`]);
  const portalId: string = p.id;
  await db.query(`INSERT INTO pipelines (portal_id, id, name, sort, is_default) VALUES ($1, 'P', 'Sales', 1, true), ($1, 'Q', 'Partners', 2, false)`, [portalId]);
  await db.query(
    `INSERT INTO stages (portal_id, pipeline_id, id, name, sort, semantics) VALUES
       ($1, 'P', 'S1', 'New', 10, 'process'), ($1, 'P', 'S2', 'Qualified', 20, 'process'), ($1, 'P', 'S3', 'Offer', 30, 'process'),
       ($1, 'P', 'WON', 'Won', 40, 'success'), ($1, 'P', 'LOSE', 'Lost', 50, 'failure'),
       ($1, 'Q', 'X1', 'Talk', 10, 'process'), ($1, 'Q', 'XW', 'Signed', 20, 'success'), ($1, 'Q', 'XL', 'Dropped', 30, 'failure')`,
    [portalId],
  );
  await db.query(`INSERT INTO host_users (portal_id, id, name) VALUES ($1, '1', 'Anna'), ($1, '2', 'Boris')`, [portalId]);
  for (const d of deals) {
    const last = d.moves.at(-1)!;
    await db.query(
      `INSERT INTO deals (portal_id, id, pipeline_id, stage_id, title, responsible_id, amount, host_created_at, host_updated_at, stage_semantics, deleted_at)
       VALUES ($1, $2, $3, $4, $2, $5, $6, $7, $7, $8, $9)`,
      [portalId, d.id, d.pipeline ?? 'P', last[0], d.manager, d.amount ?? null, at(d.created), SEMANTICS[last[0]], d.deleted ? at('2025-03-20') : null],
    );
    let prev: string | null = null;
    for (const [i, [to, when]] of d.moves.entries()) {
      await db.query(
        `INSERT INTO stage_transitions (portal_id, deal_id, pipeline_id, from_pipeline_id, from_stage_id, to_stage_id, at, host_history_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [portalId, d.id, d.pipeline ?? 'P', prev ? (d.pipeline ?? 'P') : null, prev, to, at(when), `h${i}`],
      );
      prev = to;
    }
  }
  for (const [id, kind, direction, duration, completed, manager, created, deleted, extra] of acts) {
    if (extra?.at && extra.at.slice(0, 10) !== created) throw new Error(`${id}: the time of day must stay on ${created}`);
    await db.query(
      `INSERT INTO activities (portal_id, id, kind, direction, duration_sec, completed, responsible_id, host_created_at, deleted_at, deal_ids, start_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [portalId, id, kind, direction, duration, completed, manager, at(extra?.at ?? created), deleted ? at('2025-03-08') : null, extra?.deals ?? [], extra?.start ? at(extra.start) : null],
    );
  }
  return portalId;
}

export async function seedReferenceDataset(db: Db): Promise<{ A: string; B: string }> {
  const A = await seedPortal(db, 'a', PORTAL_A_DEALS, PORTAL_A_ACTIVITIES);
  const B = await seedPortal(db, 'b', PORTAL_B_DEALS, PORTAL_B_ACTIVITIES);
  const v = `INSERT INTO violations (portal_id, dedupe_key, kind, deal_id, manager_id, pipeline_id, detected_at) VALUES ($1, $2, $3, $4, $5, 'P', $6)`;
  for (const [key, kind, deal, manager, when] of [
    ['v1', 'stage_skipped', 'D2', '1', '2025-03-06'],
    ['v2', 'stage_skipped', 'D1', '1', '2025-02-20'],
    ['v3', 'no_next_contact', 'D3', '1', '2025-03-05'],
    ['v4', 'stalled_deal', 'D5', '2', '2025-03-08'],
    ['v5', 'overdue_task', 'D7', null, '2025-03-12'],
  ] as const) {
    await db.query(v, [A, key, kind, deal, manager, at(when)]);
  }
  for (let i = 0; i < 5; i++) await db.query(v, [B, `b${i}`, 'stage_skipped', 'D1', '1', at('2025-03-06')]);
  const plan = `INSERT INTO plans (portal_id, manager_id, metric, period_start, period_end, target) VALUES ($1, $2, $3, $4, $5, $6)`;
  await db.query(plan, [A, '1', 'dealsWon', '2025-03-01', '2025-03-31', 4]);
  await db.query(plan, [A, '2', 'wonAmount', '2025-03-01', '2025-03-31', 20000]);
  await db.query(plan, [A, '1', 'callsOver30s', '2025-03-01', '2025-03-31', 0]);
  await db.query(plan, [A, '1', 'dealsWon', '2025-05-01', '2025-05-31', 9]);
  await db.query(plan, [B, '1', 'dealsWon', '2025-03-01', '2025-03-31', 100]);
  return { A, B };
}

import type { Runtime } from '../../src/app/runtime.js';
import { rulesConfigSchema } from '../../src/rules/rules-config.schema.js';
import { RulesConfigRepository } from '../../src/rules-store/rules-config.repository.js';
import { metricsWritebackJobHandler } from '../../src/scans/metrics-writeback.job.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { startTestRuntime } from '../support/test-runtime.js';
import { seedReferenceDataset } from './reference-dataset.js';

// The write-back over the reference dataset (reference-dataset.ts), with every figure worked out by
// hand below. Monday 2025-03-17 10:00 UTC, working days Mon–Fri in UTC, write-back hour 09:00:
// the weekly digest covers 03-10…03-16, the daily window (KPI lines, records) 03-14…03-16.
const MONDAY = new Date('2025-03-17T10:00:00Z');

describe('metrics write-back job (reference dataset)', () => {
  let t: TestDatabase;
  let rt: Runtime;
  let portals: { A: string; B: string };
  let now = MONDAY;
  let run: (data: { portalId?: string; tickAt?: string }) => Promise<void>;

  const config = (reports: Record<string, unknown>) =>
    rulesConfigSchema.parse({
      locale: 'en',
      headsOfSales: ['9'],
      workingTime: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      pipelines: [{ pipelineId: 'P', skipping: { mode: 'alert' } }],
      reports,
    });

  const actions = async (portalId: string) =>
    (await t.db.query(`SELECT idempotency_key, kind, payload FROM actions WHERE portal_id = $1 ORDER BY idempotency_key`, [portalId])) as {
      idempotency_key: string;
      kind: string;
      payload: any;
    }[];

  beforeAll(async () => {
    t = await createTestDatabase();
    portals = await seedReferenceDataset(t.db);
    await t.db.query(`UPDATE portals SET settings = settings || '{"metricsRecordStore": {"iblockId": 1, "properties": {}}}'::jsonb WHERE id = $1`, [portals.A]);
    rt = await startTestRuntime({ databaseUrl: t.url, features: [], roles: { web: false, worker: false }, now: () => now });
    const rules = new RulesConfigRepository(t.db);
    await rules.save(portals.A, config({ digest: 'weekly' }), { id: '9' });
    run = metricsWritebackJobHandler(rt.ctx);
  });
  afterAll(async () => {
    await rt?.stop();
    await t?.drop();
  });

  it('before the hour nothing is recorded', async () => {
    now = new Date('2025-03-17T08:59:00Z');
    await run({ portalId: portals.A });
    expect(await actions(portals.A)).toEqual([]);
  });

  it('Monday after the hour: the weekly digest to the head of sales, with the figures of last week', async () => {
    now = MONDAY;
    await run({ portalId: portals.A });
    const digest = (await actions(portals.A)).filter((a) => a.idempotency_key.startsWith('metrics-digest:'));
    expect(digest.map((a) => [a.idempotency_key, a.payload.userId, a.payload.tag])).toEqual([
      [`metrics-digest:${portals.A}:weekly:2025-03-10|notify:9`, '9', 'stageguard:metrics-digest:9'],
    ]);
    expect(digest[0]!.payload.message.split('\n')).toEqual([
      'Stageguard: results for 03/10/2025 – 03/16/2025',
      // Last week: no calls by anyone responsible (c1 has no manager, a12 was deleted); D6 created
      // (D7 has no manager, D9 was deleted); won: D4 3,000 (Boris, 03-10) and D8 500 (Anna, 03-12).
      'Team: calls 0 (in 0, out 0, over 30 s 0), meetings 0, offers 0, emails 0, chats 0, new deals 1, won 2 worth 3,500',
      '• Boris: new deals 1, won 1 worth 3,000',
      '• Anna: won 1 worth 500',
      // Cohort 02-15…03-16 is D1–D7: reached 7, 4, 3, 2; overall 2/7; weakest step New → Qualified 4/7.
      'Pipeline «Sales», last 30 days: conversion 29%; bottleneck «New» → «Qualified» (57%)',
      // March facts (reports.api.test): Anna callsOver30s 2, dealsWon 2; Boris wonAmount 10,000.
      // 16 days 10 hours of 31 elapsed: forecast = fact × 31 / 16.4167.
      'Plan 03/01/2025 – 03/31/2025: calls over 30 s 2 of 0 (—, forecast 4); deals won 2 of 4 (50%, forecast 4); won amount 10,000 of 20,000 (50%, forecast 18,883)',
      'Dashboard: http://127.0.0.1:0/app/dashboard'.replace('127.0.0.1:0', new URL(rt.ctx.config.publicUrl).host),
    ]);
  });

  it('the KPI line of each manager with a plan running today', async () => {
    const lines = (await actions(portals.A)).filter((a) => a.idempotency_key.startsWith('kpi-line:'));
    expect(lines.map((a) => [a.payload.userId, a.payload.message.split('\n')[0]])).toEqual([
      ['1', 'Anna, your plan 03/01/2025 – 03/31/2025: calls over 30 s 2 of 0 (—, forecast 4); deals won 2 of 4 (50%, forecast 4).'],
      ['2', 'Boris, your plan 03/01/2025 – 03/31/2025: won amount 10,000 of 20,000 (50%, forecast 18,883).'],
    ]);
  });

  it('one metrics record per manager for March to date (03-01…03-16)', async () => {
    const records = (await actions(portals.A)).filter((a) => a.kind === 'write_metrics_record').map((a) => a.payload.record);
    const updatedAt = MONDAY.toISOString();
    expect(records).toEqual([
      {
        key: 'stageguard-1-2025-03',
        title: 'Anna · 2025-03',
        // a1 out 30 s, a2 out 31 s, a3 in 120 s, a4 in 0 s; a5 meeting held (a6 only planned); a7+a8
        // emails; a9 offer; a10 chat. Deals D1–D3; won D1 1,000 + D8 500. Violations v1 + v3.
        values: {
          MANAGER: '1', PERIOD: '2025-03', PERIOD_START: '2025-03-01', PERIOD_END: '2025-03-16',
          CALLS_IN: 2, CALLS_OUT: 2, CALLS_OVER30S: 2, MEETINGS: 1, EMAILS: 2, OFFERS: 1, CHATS: 1,
          LEADS_PROCESSED: 3, DEALS_CREATED: 3, DEALS_WON: 2, WON_AMOUNT: 1500, VIOLATIONS: 2, UPDATED_AT: updatedAt,
        },
      },
      {
        key: 'stageguard-2-2025-03',
        title: 'Boris · 2025-03',
        // b1 in 31 s, b9 in 45 s unprocessed, b2 out 30 s (b8 only planned); b7 meeting; b3+b4 chats;
        // b5 offer. Deals D4, D5, D6, D10 (D9 deleted); won D4 3,000 + D10 7,000. Violation v4.
        values: {
          MANAGER: '2', PERIOD: '2025-03', PERIOD_START: '2025-03-01', PERIOD_END: '2025-03-16',
          CALLS_IN: 2, CALLS_OUT: 1, CALLS_OVER30S: 2, MEETINGS: 1, EMAILS: 0, OFFERS: 1, CHATS: 2,
          LEADS_PROCESSED: 4, DEALS_CREATED: 4, DEALS_WON: 2, WON_AMOUNT: 10000, VIOLATIONS: 1, UPDATED_AT: updatedAt,
        },
      },
    ]);
  });

  it('later ticks that day, and a concurrent run, record nothing more', async () => {
    const before = (await actions(portals.A)).length;
    now = new Date('2025-03-17T15:00:00Z');
    await Promise.all([run({ portalId: portals.A }), run({ portalId: portals.A })]);
    expect((await actions(portals.A)).length).toBe(before);
  });

  it('Tuesday: KPI lines and records again, no weekly digest; portal B (no rules) gets nothing', async () => {
    now = new Date('2025-03-18T09:30:00Z');
    await run({ tickAt: 'tick-1' });
    // The tick fans out to every active portal through the queue; run the portal jobs here.
    await run({ portalId: portals.A });
    await run({ portalId: portals.B });
    const keys = (await actions(portals.A)).map((a) => a.idempotency_key.split('|')[0]);
    expect(keys.filter((k) => k!.endsWith('2025-03-18'))).toEqual([
      `kpi-line:${portals.A}:2025-03-18`,
      `kpi-line:${portals.A}:2025-03-18`,
      `metrics-record:${portals.A}:2025-03-18`,
      `metrics-record:${portals.A}:2025-03-18`,
    ]);
    expect(keys.filter((k) => k!.startsWith('metrics-digest:'))).toHaveLength(1);
    expect(await actions(portals.B)).toEqual([]);
  });

  it('a portal without a record store gets no records, and settings turn each part off', async () => {
    await t.db.query(`UPDATE portals SET settings = settings - 'metricsRecordStore' WHERE id = $1`, [portals.A]);
    await new RulesConfigRepository(t.db).save(portals.A, config({ digest: 'daily', kpiLine: false }), { id: '9' });
    const before = new Set((await actions(portals.A)).map((a) => a.idempotency_key));
    now = new Date('2025-03-19T09:30:00Z');
    await run({ portalId: portals.A });
    const added = (await actions(portals.A)).filter((a) => !before.has(a.idempotency_key));
    // Wednesday's daily digest covers Tuesday (03-18), keyed by its first day.
    expect(added.map((a) => a.idempotency_key)).toEqual([`metrics-digest:${portals.A}:daily:2025-03-18|notify:9`]);
    expect(added[0]!.payload.message.split('\n')[0]).toBe('Stageguard: results for 03/18/2025');
  });
});

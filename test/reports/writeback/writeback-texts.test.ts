import { ACTIVITY_METRICS, zeroCounters, type ActivityCounters } from '../../../src/reports/report-filter.js';
import {
  buildKpiLine,
  buildMetricsDigest,
  kpiLineActions,
  metricFieldCode,
  metricsDigestActions,
  metricsRecord,
  metricsRecordActions,
  metricsRecordSchema,
  writebackPhrases,
} from '../../../src/reports/writeback/index.js';
import { parseIsoDate } from '../../../src/rules/working-time.js';

const d = (iso: string) => parseIsoDate(iso)!;
const counters = (c: Partial<ActivityCounters>): ActivityCounters => ({ ...zeroCounters(), ...c });
// Intl groups thousands in ru with a no-break space; the expectations spell it out.
const nb = '\u00a0';

describe('metrics digest text', () => {
  const input = {
    period: { start: d('2026-11-20'), end: d('2026-11-23') },
    team: counters({ callsIn: 12, callsOut: 33, callsOver30s: 30, meetings: 4, offers: 6, emails: 3, chats: 2, dealsCreated: 10, dealsWon: 2, wonAmount: 150000 }),
    managers: [
      { name: 'Борис', counters: counters({ callsIn: 5, callsOut: 10, dealsWon: 1, wonAmount: 50000 }), violations: 0 },
      { name: 'Анна', counters: counters({ callsIn: 7, callsOut: 23, meetings: 4, offers: 6, dealsCreated: 10, dealsWon: 1, wonAmount: 100000 }), violations: 2 },
      { name: 'Вера', counters: counters({}), violations: 1 },
    ],
    pipelines: [
      { name: 'Продажи', overall: 0.125, bottleneck: { fromStage: 'Переговоры', toStage: 'Счёт', conversion: 0.35 } },
      { name: 'Партнёры', overall: null, bottleneck: null },
    ],
    funnelDays: 30,
    plans: [{ metric: 'dealsWon' as const, period: { start: d('2026-11-01'), end: d('2026-12-01') }, target: 20, fact: 7, forecast: 9.1 }],
    dashboardUrl: 'https://sg.example/app/dashboard',
  };

  it('ru: team, managers by deals won then amount, funnel lines, the team plan, the link', () => {
    expect(buildMetricsDigest({ ...input, locale: 'ru' }).split('\n')).toEqual([
      'Stageguard: итоги за 20.11.2026 – 22.11.2026',
      `Команда: звонки 45 (вх. 12, исх. 33, дольше 30 с 30), встречи 4, КП 6, письма 3, чаты 2, новые сделки 10, выиграно 2 на 150${nb}000`,
      `• Анна: звонки 30, встречи 4, КП 6, новые сделки 10, выиграно 1 на 100${nb}000, нарушения 2`,
      `• Борис: звонки 15, выиграно 1 на 50${nb}000`,
      '• Вера: нарушения 1',
      `Воронка «Продажи» за 30 дн.: конверсия 13${nb}%; узкое место «Переговоры» → «Счёт» (35${nb}%)`,
      'Воронка «Партнёры» за 30 дн.: конверсия —',
      `План 01.11.2026 – 30.11.2026: выигранные сделки 7 из 20 (35${nb}%, прогноз 9)`,
      'Дашборд: https://sg.example/app/dashboard',
    ]);
  });

  it('en, one day, no link, folding managers beyond the limit', () => {
    const text = buildMetricsDigest({ ...input, locale: 'en', period: { start: d('2026-11-23'), end: d('2026-11-24') }, dashboardUrl: null, plans: [], pipelines: [], maxManagers: 1 });
    expect(text.split('\n')).toEqual([
      'Stageguard: results for 11/23/2026',
      'Team: calls 45 (in 12, out 33, over 30 s 30), meetings 4, offers 6, emails 3, chats 2, new deals 10, won 2 worth 150,000',
      '• Анна: calls 30, meetings 4, offers 6, new deals 10, won 1 worth 100,000, violations 2',
      '…and 2 more',
    ]);
  });

  it('a manager with nothing at all reads as no activity', () => {
    const text = buildMetricsDigest({ ...input, locale: 'pl', managers: [{ name: 'Ewa', counters: counters({}), violations: 0 }], pipelines: [], plans: [], dashboardUrl: null });
    expect(text.split('\n')[2]).toBe('• Ewa: brak aktywności');
  });
});

describe('KPI line', () => {
  const month = { start: d('2026-11-01'), end: d('2026-12-01') };
  const week = { start: d('2026-11-23'), end: d('2026-11-30') };

  it.each([
    ['no plan: no line', [], null],
    [
      'plans of one period on one line, a zero target without a percent, a period not begun without a forecast',
      [
        { metric: 'callsOut' as const, period: month, target: 300, fact: 120, forecast: 290.4 },
        { metric: 'dealsWon' as const, period: month, target: 0, fact: 1, forecast: 1.5 },
      ],
      'Anna, your plan 11/01/2026 – 11/30/2026: outgoing calls 120 of 300 (40%, forecast 290); deals won 1 of 0 (—, forecast 2).',
    ],
    [
      'two periods: two lines',
      [
        { metric: 'meetings' as const, period: month, target: 10, fact: 5, forecast: 7 },
        { metric: 'meetings' as const, period: week, target: 3, fact: 0, forecast: null },
      ],
      'Anna, your plan 11/01/2026 – 11/30/2026: meetings 5 of 10 (50%, forecast 7).\nAnna, your plan 11/23/2026 – 11/29/2026: meetings 0 of 3 (0%).',
    ],
  ])('%s', (_name, plans, want) => {
    expect(buildKpiLine({ locale: 'en', managerName: 'Anna', plans, dashboardUrl: null })).toBe(want);
  });

  it('ends with the dashboard link when there is one', () => {
    const text = buildKpiLine({ locale: 'ru', managerName: 'Анна', plans: [{ metric: 'wonAmount', period: month, target: 1_000_000, fact: 250_000, forecast: 750_000 }], dashboardUrl: 'https://x/app' });
    expect(text).toBe(`Анна, ваш план 01.11.2026 – 30.11.2026: сумма выигранных 250${nb}000 из 1${nb}000${nb}000 (25${nb}%, прогноз 750${nb}000).\nДашборд: https://x/app`);
  });
});

describe('metrics record', () => {
  it('has a field per counter, the manager as an employee, ISO text dates, labels in the language', () => {
    const schema = metricsRecordSchema('ru');
    expect(schema.name).toBe('Stageguard: метрики менеджеров');
    expect(schema.fields.map((f) => [f.code, f.type])).toEqual([
      ['MANAGER', 'employee'],
      ['PERIOD', 'string'],
      ['PERIOD_START', 'string'],
      ['PERIOD_END', 'string'],
      ...ACTIVITY_METRICS.map((m) => [metricFieldCode(m), 'number']),
      ['VIOLATIONS', 'number'],
      ['UPDATED_AT', 'string'],
    ]);
    expect(new Set(schema.fields.map((f) => f.code)).size).toBe(schema.fields.length);
    expect(schema.fields.find((f) => f.code === 'CALLS_OVER30S')?.name).toBe(writebackPhrases('ru').metric.callsOver30s);
  });

  it('one manager and month to date, keyed so the same month rewrites the same record', () => {
    const r = metricsRecord({
      managerId: '7',
      managerName: 'Anna',
      month: { start: d('2026-11-01'), end: d('2026-11-23'), key: '2026-11' },
      counters: counters({ callsIn: 3, wonAmount: 1500.5 }),
      violations: 2,
      updatedAt: new Date('2026-11-23T06:00:00Z'),
    });
    expect(r.key).toBe('stageguard-7-2026-11');
    expect(r.title).toBe('Anna · 2026-11');
    expect(r.values).toMatchObject({ MANAGER: '7', PERIOD: '2026-11', PERIOD_START: '2026-11-01', PERIOD_END: '2026-11-22', CALLS_IN: 3, CALLS_OUT: 0, WON_AMOUNT: 1500.5, VIOLATIONS: 2, UPDATED_AT: '2026-11-23T06:00:00.000Z' });
  });
});

describe('write-back actions', () => {
  const period = { start: d('2026-11-20'), end: d('2026-11-23') };
  it('digest: one notify per head of sales (duplicates dropped), one tag each so the next replaces it, a key per period', () => {
    const a = metricsDigestActions({ portalId: 'p', frequency: 'daily', period, text: 'T', headsOfSales: ['1', '2', '1'] });
    expect(a.causeKey).toBe('metrics-digest:p:daily:2026-11-20');
    expect(a.actions).toEqual([
      { kind: 'notify', slug: 'notify:1', userId: '1', message: 'T', tag: 'stageguard:metrics-digest:1' },
      { kind: 'notify', slug: 'notify:2', userId: '2', message: 'T', tag: 'stageguard:metrics-digest:2' },
    ]);
    expect(metricsDigestActions({ portalId: 'p', frequency: 'weekly', period, text: 'T', headsOfSales: [] }).causeKey).not.toBe(a.causeKey);
  });

  it('KPI lines and records: one key per portal and day, one slug per manager or record', () => {
    const today = d('2026-11-23');
    expect(kpiLineActions({ portalId: 'p', today, lines: [{ managerId: '3', text: 'L' }] })).toEqual({
      causeKey: 'kpi-line:p:2026-11-23',
      actions: [{ kind: 'notify', slug: 'notify:3', userId: '3', message: 'L', tag: 'stageguard:kpi:3' }],
    });
    const record = { key: 'stageguard-3-2026-11', title: 't', values: {} };
    expect(metricsRecordActions({ portalId: 'p', today, records: [record] })).toEqual({
      causeKey: 'metrics-record:p:2026-11-23',
      actions: [{ kind: 'write_metrics_record', slug: 'record:stageguard-3-2026-11', record }],
    });
  });
});

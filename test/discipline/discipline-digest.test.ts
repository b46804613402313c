import { buildDigest, digestNotifications, digestSlot, groupByManager } from '../../src/discipline/discipline-digest.js';
import type { Locale, WorkingTime } from '../../src/rules/rules-config.schema.js';
import { MOSCOW, TOKYO } from './discipline-fixtures.js';

// Open violations as the shell reads them: scan findings and transition violations alike.
const rows = [
  { managerId: '17', kind: 'next_contact_missing' },
  { managerId: '17', kind: 'stage_skipped' },
  { managerId: '23', kind: 'task_overdue' },
  { managerId: '23', kind: 'deal_stalled' },
  { managerId: '23', kind: 'deal_stalled' },
  { managerId: null, kind: 'slow_first_response' },
  { managerId: '42', kind: 'something_new' },
];
const names = { '17': 'Ivan Petrov', '23': 'Anna Nowak' };

describe('buildDigest', () => {
  it.each<[Locale, string]>([
    [
      'en',
      [
        'Sales discipline — General: 7 open findings.',
        '• Anna Nowak: 3 — stalled deals 2, overdue tasks 1',
        '• Ivan Petrov: 2 — no next contact 1, skipped stages 1',
        '• #42: 1 — something_new 1',
        '• Unassigned: 1 — slow first response 1',
        'Details: https://app.example/discipline',
      ].join('\n'),
    ],
    [
      'ru',
      [
        'Дисциплина продаж — General: открытых нарушений — 7.',
        '• Anna Nowak: 3 — зависшие сделки 2, просроченные задачи 1',
        '• Ivan Petrov: 2 — нет следующего контакта 1, пропуск стадий 1',
        '• #42: 1 — something_new 1',
        '• Без ответственного: 1 — медленный первый ответ 1',
        'Подробнее: https://app.example/discipline',
      ].join('\n'),
    ],
    [
      'pl',
      [
        'Dyscyplina sprzedaży — General: otwarte naruszenia — 7.',
        '• Anna Nowak: 3 — transakcje bez ruchu 2, zaległe zadania 1',
        '• Ivan Petrov: 2 — brak następnego kontaktu 1, pominięte etapy 1',
        '• #42: 1 — something_new 1',
        '• Bez odpowiedzialnego: 1 — wolna pierwsza odpowiedź 1',
        'Szczegóły: https://app.example/discipline',
      ].join('\n'),
    ],
  ])('%s: managers with most findings first, nobody-responsible last, counts per kind', (locale, text) => {
    expect(
      buildDigest({ locale, openFindingsByManager: groupByManager(rows), managerNames: names, dashboardUrl: 'https://app.example/discipline', scope: 'General' }),
    ).toBe(text);
  });

  it.each<[Locale, string | null, string | null, string]>([
    ['en', 'General', 'https://app.example/d', 'Sales discipline — General: no open findings.\nDetails: https://app.example/d'],
    ['en', null, null, 'Sales discipline: no open findings.'],
    ['ru', null, null, 'Дисциплина продаж: открытых нарушений нет.'],
    ['pl', null, null, 'Dyscyplina sprzedaży: brak otwartych naruszeń.'],
  ])('%s with nothing open (scope %s)', (locale, scope, url, text) => {
    expect(buildDigest({ locale, openFindingsByManager: new Map([['17', []]]), managerNames: names, dashboardUrl: url, scope })).toBe(text);
  });

  it('one finding reads in the singular', () => {
    const digest = buildDigest({ locale: 'en', openFindingsByManager: groupByManager([rows[0]]), managerNames: names, dashboardUrl: null });
    expect(digest).toBe('Sales discipline: 1 open finding.\n• Ivan Petrov: 1 — no next contact 1');
  });
});

describe('digestSlot: today at hourLocal, on working days, once the hour has come', () => {
  it.each<[string, string, number, WorkingTime, string | null]>([
    ['Monday 08:59 in Moscow', '2025-03-17T05:59:00Z', 9, MOSCOW, null],
    ['Monday 09:00 in Moscow', '2025-03-17T06:00:00Z', 9, MOSCOW, '2025-03-17T06:00:00.000Z'],
    ['Monday 15:00 still points at 09:00', '2025-03-17T12:00:00Z', 9, MOSCOW, '2025-03-17T06:00:00.000Z'],
    ['Saturday', '2025-03-15T08:00:00Z', 9, MOSCOW, null],
    ['a holiday', '2025-05-09T08:00:00Z', 9, MOSCOW, null],
    ['Monday 09:30 in Tokyo is Sunday in UTC', '2025-03-17T00:30:00Z', 9, TOKYO, '2025-03-17T00:00:00.000Z'],
    ['Saturday 08:00 in Tokyo is Friday in UTC', '2025-03-14T23:00:00Z', 7, TOKYO, null],
  ])('%s', (_name, now, hour, wt, slot) => {
    expect(digestSlot(new Date(now), hour, wt)?.toISOString() ?? null).toBe(slot);
  });
});

describe('digestNotifications', () => {
  it('one notify per head of sales, own tags, one cause per scope and slot', () => {
    expect(digestNotifications({ text: 'digest', headsOfSales: ['1', '2', '1'], scopeKey: 'pipeline:0', slot: new Date('2025-03-17T06:00:00Z') })).toEqual({
      causeKey: 'discipline-digest:pipeline:0:2025-03-17T06:00:00.000Z',
      actions: [
        { kind: 'notify', slug: 'notify:1', userId: '1', message: 'digest', tag: 'stageguard:discipline-digest:pipeline:0:1' },
        { kind: 'notify', slug: 'notify:2', userId: '2', message: 'digest', tag: 'stageguard:discipline-digest:pipeline:0:2' },
      ],
    });
  });
});

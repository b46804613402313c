import type { Locale } from '../../rules/rules-config.schema.js';
import type { ActivityMetric } from '../report-filter.js';

// Texts of the reports written back to the host. Labels are nouns followed by a number ("звонки 45"),
// a form that needs no agreement with the number in Russian or Polish.

export interface WritebackPhrases {
  metric: Record<ActivityMetric, string>;
  violations: string;
  digestTitle(period: string): string;
  team: string;
  calls: string;
  callsDetail(callsIn: string, callsOut: string, over30: string): string;
  won(count: string, amount: string): string;
  moreManagers(n: number): string;
  noActivity: string;
  funnel(pipeline: string, days: number, overall: string): string;
  bottleneck(from: string, to: string, conversion: string): string;
  planHeader(period: string): string;
  planItem(metric: string, fact: string, target: string, percent: string, forecast: string | null): string;
  kpiLine(name: string, period: string, items: string): string;
  dashboard(url: string): string;
  /** The metrics record's field names, as the list shows them. */
  recordFields: { manager: string; period: string; periodStart: string; periodEnd: string; updatedAt: string; listName: string; listDescription: string };
}

const q = (text: string) => `«${text}»`;

const ru: WritebackPhrases = {
  metric: {
    callsIn: 'входящие звонки',
    callsOut: 'исходящие звонки',
    callsOver30s: 'звонки дольше 30 с',
    meetings: 'встречи',
    emails: 'письма',
    offers: 'КП',
    chats: 'чаты',
    leadsProcessed: 'обработанные лиды',
    dealsCreated: 'новые сделки',
    dealsWon: 'выигранные сделки',
    wonAmount: 'сумма выигранных',
  },
  violations: 'нарушения',
  digestTitle: (p) => `Stageguard: итоги за ${p}`,
  team: 'Команда',
  calls: 'звонки',
  callsDetail: (i, o, l) => `вх. ${i}, исх. ${o}, дольше 30 с ${l}`,
  won: (n, a) => `выиграно ${n} на ${a}`,
  moreManagers: (n) => `…и ещё ${n}`,
  noActivity: 'активности не было',
  funnel: (p, d, o) => `Воронка ${q(p)} за ${d} дн.: конверсия ${o}`,
  bottleneck: (f, t, c) => `узкое место ${q(f)} → ${q(t)} (${c})`,
  planHeader: (p) => `План ${p}:`,
  planItem: (m, f, t, pct, fc) => `${m} ${f} из ${t} (${pct}${fc === null ? '' : `, прогноз ${fc}`})`,
  kpiLine: (n, p, items) => `${n}, ваш план ${p}: ${items}.`,
  dashboard: (url) => `Дашборд: ${url}`,
  recordFields: {
    manager: 'Менеджер',
    period: 'Период',
    periodStart: 'Начало периода',
    periodEnd: 'Конец периода (включительно)',
    updatedAt: 'Обновлено',
    listName: 'Stageguard: метрики менеджеров',
    listDescription: 'Одна запись на менеджера и месяц; обновляется Stageguard каждый рабочий день.',
  },
};

const en: WritebackPhrases = {
  metric: {
    callsIn: 'incoming calls',
    callsOut: 'outgoing calls',
    callsOver30s: 'calls over 30 s',
    meetings: 'meetings',
    emails: 'emails',
    offers: 'offers',
    chats: 'chats',
    leadsProcessed: 'leads processed',
    dealsCreated: 'new deals',
    dealsWon: 'deals won',
    wonAmount: 'won amount',
  },
  violations: 'violations',
  digestTitle: (p) => `Stageguard: results for ${p}`,
  team: 'Team',
  calls: 'calls',
  callsDetail: (i, o, l) => `in ${i}, out ${o}, over 30 s ${l}`,
  won: (n, a) => `won ${n} worth ${a}`,
  moreManagers: (n) => `…and ${n} more`,
  noActivity: 'no activity',
  funnel: (p, d, o) => `Pipeline ${q(p)}, last ${d} days: conversion ${o}`,
  bottleneck: (f, t, c) => `bottleneck ${q(f)} → ${q(t)} (${c})`,
  planHeader: (p) => `Plan ${p}:`,
  planItem: (m, f, t, pct, fc) => `${m} ${f} of ${t} (${pct}${fc === null ? '' : `, forecast ${fc}`})`,
  kpiLine: (n, p, items) => `${n}, your plan ${p}: ${items}.`,
  dashboard: (url) => `Dashboard: ${url}`,
  recordFields: {
    manager: 'Manager',
    period: 'Period',
    periodStart: 'Period start',
    periodEnd: 'Period end (inclusive)',
    updatedAt: 'Updated',
    listName: 'Stageguard: manager metrics',
    listDescription: 'One record per manager and month, updated by Stageguard every working day.',
  },
};

const pl: WritebackPhrases = {
  metric: {
    callsIn: 'połączenia przychodzące',
    callsOut: 'połączenia wychodzące',
    callsOver30s: 'połączenia ponad 30 s',
    meetings: 'spotkania',
    emails: 'e-maile',
    offers: 'oferty',
    chats: 'czaty',
    leadsProcessed: 'obsłużone leady',
    dealsCreated: 'nowe transakcje',
    dealsWon: 'wygrane transakcje',
    wonAmount: 'kwota wygranych',
  },
  violations: 'naruszenia',
  digestTitle: (p) => `Stageguard: wyniki za ${p}`,
  team: 'Zespół',
  calls: 'połączenia',
  callsDetail: (i, o, l) => `przych. ${i}, wych. ${o}, ponad 30 s ${l}`,
  won: (n, a) => `wygrane ${n} na ${a}`,
  moreManagers: (n) => `…i jeszcze ${n}`,
  noActivity: 'brak aktywności',
  funnel: (p, d, o) => `Lejek ${q(p)}, ostatnie ${d} dni: konwersja ${o}`,
  bottleneck: (f, t, c) => `wąskie gardło ${q(f)} → ${q(t)} (${c})`,
  planHeader: (p) => `Plan ${p}:`,
  planItem: (m, f, t, pct, fc) => `${m} ${f} z ${t} (${pct}${fc === null ? '' : `, prognoza ${fc}`})`,
  kpiLine: (n, p, items) => `${n}, Twój plan ${p}: ${items}.`,
  dashboard: (url) => `Panel: ${url}`,
  recordFields: {
    manager: 'Menedżer',
    period: 'Okres',
    periodStart: 'Początek okresu',
    periodEnd: 'Koniec okresu (włącznie)',
    updatedAt: 'Zaktualizowano',
    listName: 'Stageguard: wskaźniki menedżerów',
    listDescription: 'Jeden wpis na menedżera i miesiąc, aktualizowany przez Stageguard w każdy dzień roboczy.',
  },
};

const PHRASES: Record<Locale, WritebackPhrases> = { ru, en, pl };

export function writebackPhrases(locale: Locale): WritebackPhrases {
  return PHRASES[locale];
}

import type { Locale } from '../rules/rules-config.schema.js';
import { formatLocalDateTime } from '../rules/working-time.js';
import type { DisciplineFinding } from './discipline-finding.js';

// Texts for people: a manager's alert, a head of sales' escalation and digest. Durations in Russian
// and Polish use the abbreviated unit with "of working time", which does not inflect with the number;
// working days do inflect, through Intl.PluralRules.

type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface DisciplineMessages {
  /** One finding, naming the deal and the numbers; dates in the portal's time zone. */
  finding(finding: DisciplineFinding, timeZone: string): string;
  /** What a head of sales reads when a violation stayed open too long. */
  escalation(findingText: string, hoursOpen: number, managerName: string | null): string;
  /** A kind as a digest line names it; transition kinds too, unknown kinds as they are. */
  kindLabel(kind: string): string;
  digestHeader(total: number, scope: string | null): string;
  digestEmpty(scope: string | null): string;
  unassigned: string;
  dashboard(url: string): string;
}

const q = (text: string) => `«${text}»`;

function counted(locale: Locale, n: number, forms: PluralForms): string {
  const category = new Intl.PluralRules(locale).select(n);
  return `${n} ${forms[category] ?? forms.other}`;
}

/** Under two hours in minutes, beyond that in whole hours. */
function workingDuration(minutes: number, inMinutes: (n: number) => string, inHours: (n: number) => string): string {
  return minutes < 120 ? inMinutes(minutes) : inHours(Math.floor(minutes / 60));
}

interface Phrases {
  workingDuration(minutes: number): string;
  workingDays(n: number): string;
  hours(n: number): string;
  stalled(deal: string, days: string, stage: string, threshold: number): string;
  missing(deal: string, since: string): string;
  overdue(deal: string, subject: string, due: string, late: string | null): string;
  slowOpen(lead: boolean, deal: string, createdAt: string, waited: string, sla: string): string;
  slowSettled(lead: boolean, deal: string, took: string, sla: string): string;
  task(title: string | null, deal: string, due: string, late: string | null): string;
  escalation(hours: string, manager: string | null, text: string): string;
  kinds: Record<string, string>;
  digestHeader(total: number, scope: string): string;
  digestEmpty(scope: string): string;
  unassigned: string;
  dashboard(url: string): string;
}

const en: Phrases = {
  workingDuration: (m) =>
    workingDuration(
      m,
      (n) => counted('en', n, { one: 'working minute', other: 'working minutes' }),
      (n) => counted('en', n, { one: 'working hour', other: 'working hours' }),
    ),
  workingDays: (n) => counted('en', n, { one: 'working day', other: 'working days' }),
  hours: (n) => counted('en', n, { one: 'hour', other: 'hours' }),
  stalled: (deal, days, stage, threshold) => `Deal ${q(deal)} has had no activity for ${days} in stage ${q(stage)} (limit: ${threshold}).`,
  missing: (deal, since) => `Deal ${q(deal)} has no next contact planned (nothing since ${since}).`,
  overdue: (deal, subject, due, late) =>
    `The next contact on deal ${q(deal)}${subject ? ` (${q(subject)})` : ''} was due ${due} and is not done${late ? ` (${late} late)` : ''}.`,
  slowOpen: (lead, deal, createdAt, waited, sla) =>
    `${lead ? 'Lead' : 'Deal'} ${q(deal)} came in ${createdAt} and has waited ${waited} for a first call, email, chat or meeting; target: ${sla}.`,
  slowSettled: (lead, deal, took, sla) => `${lead ? 'Lead' : 'Deal'} ${q(deal)} was first contacted ${took} after it came in; target: ${sla}.`,
  task: (title, deal, due, late) =>
    `${title ? `Task ${q(title)}` : 'A Stageguard task'} on deal ${q(deal)} was due ${due} and is not done${late ? ` (${late} late)` : ''}.`,
  escalation: (hours, manager, text) => `Unresolved for ${hours}${manager ? `; responsible: ${manager}` : ''}. ${text}`,
  kinds: {
    deal_stalled: 'stalled deals',
    next_contact_missing: 'no next contact',
    next_contact_overdue: 'overdue next contact',
    slow_first_response: 'slow first response',
    task_overdue: 'overdue tasks',
    stage_skipped: 'skipped stages',
    exit_conditions_unmet: 'stage exit conditions unmet',
    loss_reason_missing: 'no loss reason',
  },
  digestHeader: (total, scope) => `Sales discipline${scope}: ${counted('en', total, { one: 'open finding', other: 'open findings' })}.`,
  digestEmpty: (scope) => `Sales discipline${scope}: no open findings.`,
  unassigned: 'Unassigned',
  dashboard: (url) => `Details: ${url}`,
};

const ru: Phrases = {
  workingDuration: (m) => workingDuration(m, (n) => `${n} мин рабочего времени`, (n) => `${n} ч рабочего времени`),
  workingDays: (n) => counted('ru', n, { one: 'рабочий день', few: 'рабочих дня', many: 'рабочих дней', other: 'рабочих дня' }),
  hours: (n) => `${n} ч`,
  stalled: (deal, days, stage, threshold) => `Сделка ${q(deal)} без активности уже ${days} на стадии ${q(stage)} (порог: ${threshold}).`,
  missing: (deal, since) => `По сделке ${q(deal)} не запланирован следующий контакт (без движения с ${since}).`,
  overdue: (deal, subject, due, late) =>
    `Следующий контакт по сделке ${q(deal)}${subject ? ` (${q(subject)})` : ''} был назначен на ${due} и не выполнен${late ? ` (просрочка: ${late})` : ''}.`,
  slowOpen: (lead, deal, createdAt, waited, sla) =>
    `${lead ? 'Лид' : 'Сделка'} ${q(deal)} ${lead ? 'поступил' : 'поступила'} ${createdAt} и уже ${waited} ждёт первого контакта (звонок, письмо, чат или встреча); норматив: ${sla}.`,
  slowSettled: (lead, deal, took, sla) =>
    `Первый контакт по ${lead ? 'лиду' : 'сделке'} ${q(deal)} — через ${took} после поступления; норматив: ${sla}.`,
  task: (title, deal, due, late) =>
    `${title ? `Задача ${q(title)}` : 'Задача Stageguard'} по сделке ${q(deal)} должна была быть выполнена к ${due}, но не выполнена${late ? ` (просрочка: ${late})` : ''}.`,
  escalation: (hours, manager, text) => `Не устранено уже ${hours}${manager ? `; ответственный: ${manager}` : ''}. ${text}`,
  kinds: {
    deal_stalled: 'зависшие сделки',
    next_contact_missing: 'нет следующего контакта',
    next_contact_overdue: 'просрочен следующий контакт',
    slow_first_response: 'медленный первый ответ',
    task_overdue: 'просроченные задачи',
    stage_skipped: 'пропуск стадий',
    exit_conditions_unmet: 'не выполнены условия выхода со стадии',
    loss_reason_missing: 'нет причины отказа',
  },
  digestHeader: (total, scope) => `Дисциплина продаж${scope}: открытых нарушений — ${total}.`,
  digestEmpty: (scope) => `Дисциплина продаж${scope}: открытых нарушений нет.`,
  unassigned: 'Без ответственного',
  dashboard: (url) => `Подробнее: ${url}`,
};

const pl: Phrases = {
  workingDuration: (m) => workingDuration(m, (n) => `${n} min czasu pracy`, (n) => `${n} godz. czasu pracy`),
  workingDays: (n) => counted('pl', n, { one: 'dzień roboczy', few: 'dni robocze', many: 'dni roboczych', other: 'dnia roboczego' }),
  hours: (n) => `${n} godz.`,
  stalled: (deal, days, stage, threshold) =>
    `Transakcja ${q(deal)} stoi na etapie ${q(stage)} bez żadnej aktywności już ${days} (próg: ${threshold}).`,
  missing: (deal, since) => `Transakcja ${q(deal)} nie ma zaplanowanego następnego kontaktu (bez ruchu od ${since}).`,
  overdue: (deal, subject, due, late) =>
    `Następny kontakt w transakcji ${q(deal)}${subject ? ` (${q(subject)})` : ''} był zaplanowany na ${due} i nie został wykonany${late ? ` (opóźnienie: ${late})` : ''}.`,
  slowOpen: (lead, deal, createdAt, waited, sla) =>
    `${lead ? 'Lead' : 'Transakcja'} ${q(deal)} ${lead ? 'wpłynął' : 'wpłynęła'} ${createdAt} i od ${waited} czeka na pierwszy kontakt (telefon, e-mail, czat lub spotkanie); norma: ${sla}.`,
  slowSettled: (lead, deal, took, sla) =>
    `Pierwszy kontakt w ${lead ? 'leadzie' : 'transakcji'} ${q(deal)} nastąpił po ${took} od wpłynięcia; norma: ${sla}.`,
  task: (title, deal, due, late) =>
    `${title ? `Zadanie ${q(title)}` : 'Zadanie Stageguard'} w transakcji ${q(deal)} miało termin ${due} i nie zostało wykonane${late ? ` (opóźnienie: ${late})` : ''}.`,
  escalation: (hours, manager, text) => `Nierozwiązane od ${hours}${manager ? `; odpowiedzialny: ${manager}` : ''}. ${text}`,
  kinds: {
    deal_stalled: 'transakcje bez ruchu',
    next_contact_missing: 'brak następnego kontaktu',
    next_contact_overdue: 'zaległy następny kontakt',
    slow_first_response: 'wolna pierwsza odpowiedź',
    task_overdue: 'zaległe zadania',
    stage_skipped: 'pominięte etapy',
    exit_conditions_unmet: 'niespełnione warunki wyjścia z etapu',
    loss_reason_missing: 'brak przyczyny utraty',
  },
  digestHeader: (total, scope) => `Dyscyplina sprzedaży${scope}: otwarte naruszenia — ${total}.`,
  digestEmpty: (scope) => `Dyscyplina sprzedaży${scope}: brak otwartych naruszeń.`,
  unassigned: 'Bez odpowiedzialnego',
  dashboard: (url) => `Szczegóły: ${url}`,
};

const PHRASES: Record<Locale, Phrases> = { en, ru, pl };

export function disciplineMessages(locale: Locale): DisciplineMessages {
  const p = PHRASES[locale];
  const scoped = (scope: string | null) => (scope ? ` — ${scope}` : '');
  return {
    finding(f, timeZone) {
      const when = (isoInstant: string) => formatLocalDateTime(new Date(isoInstant), timeZone);
      const late = (minutes: number) => (minutes > 0 ? p.workingDuration(minutes) : null);
      switch (f.kind) {
        case 'deal_stalled':
          return p.stalled(f.dealTitle, p.workingDays(f.details.workingDaysStalled), f.details.stageName, f.details.thresholdWorkingDays);
        case 'next_contact_missing':
          return p.missing(f.dealTitle, when(f.details.quietSince));
        case 'next_contact_overdue':
          return p.overdue(f.dealTitle, f.details.subject, when(f.details.dueAt), late(f.details.overdueWorkingMinutes));
        case 'slow_first_response': {
          const d = f.details;
          const lead = f.entity === 'lead';
          return d.contactedAt === null
            ? p.slowOpen(lead, f.dealTitle, when(d.createdAt), p.workingDuration(d.responseWorkingMinutes), p.workingDuration(d.slaMinutes))
            : p.slowSettled(lead, f.dealTitle, p.workingDuration(d.responseWorkingMinutes), p.workingDuration(d.slaMinutes));
        }
        case 'task_overdue':
          return p.task(f.details.title, f.dealTitle, when(f.details.deadline), late(f.details.overdueWorkingMinutes));
      }
    },
    escalation: (text, hoursOpen, managerName) => p.escalation(p.hours(hoursOpen), managerName, text),
    kindLabel: (kind) => p.kinds[kind] ?? kind,
    digestHeader: (total, scope) => p.digestHeader(total, scoped(scope)),
    digestEmpty: (scope) => p.digestEmpty(scoped(scope)),
    unassigned: p.unassigned,
    dashboard: p.dashboard,
  };
}

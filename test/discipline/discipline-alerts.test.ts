import { disciplineAlerts } from '../../src/discipline/discipline-alerts.js';
import { disciplineMessages } from '../../src/discipline/discipline-messages.js';
import type { DisciplineFinding } from '../../src/discipline/discipline-finding.js';
import type { OpenViolation, ViolationPlan } from '../../src/discipline/violation-lifecycle.js';
import type { Locale } from '../../src/rules/rules-config.schema.js';

const NOW = new Date('2025-03-17T09:00:00.000Z');
const TZ = 'Europe/Moscow';

const common = { entity: 'deal' as const, dealId: '501', dealTitle: 'Acme', managerId: '17', pipelineId: '0', stageId: 'PREPARATION', settledAt: null };

function stalledFor(days: number): DisciplineFinding {
  return {
    ...common,
    kind: 'deal_stalled',
    dedupeKey: 'deal_stalled:501:PREPARATION',
    details: { stageName: 'Offer', workingDaysStalled: days, thresholdWorkingDays: 5, quietSince: '2025-03-07T09:00:00.000Z', lastActivityAt: null, stageEnteredAt: '2025-03-07T09:00:00.000Z' },
  };
}
const stalled = stalledFor(6);
const missing: DisciplineFinding = {
  ...common,
  kind: 'next_contact_missing',
  dedupeKey: 'next_contact_missing:501',
  details: { quietSince: '2025-03-10T09:05:00.000Z', lastActivityAt: '2025-03-10T09:05:00.000Z', hoursWithoutNextContact: 5, graceHours: 2 },
};
const overdue: DisciplineFinding = {
  ...common,
  kind: 'next_contact_overdue',
  dedupeKey: 'next_contact_overdue:501',
  details: { activityId: 'p9', activityKind: 'call', subject: 'Send the contract', dueAt: '2025-03-11T08:00:00.000Z', overdueMinutes: 90, overdueWorkingMinutes: 90 },
};
const unanswered: DisciplineFinding = {
  ...common,
  kind: 'slow_first_response',
  dedupeKey: 'slow_first_response:501',
  details: { createdAt: '2025-03-14T15:00:00.000Z', slaMinutes: 30, slaDeadline: '2025-03-17T06:30:00.000Z', contactedAt: null, contactActivityId: null, responseWorkingMinutes: 150, workingMinutesLate: 120 },
};
const answeredLate: DisciplineFinding = {
  ...common,
  entity: 'lead',
  kind: 'slow_first_response',
  dedupeKey: 'slow_first_response:lead:501',
  settledAt: '2025-03-17T07:17:00.000Z',
  details: { createdAt: '2025-03-14T15:00:00.000Z', slaMinutes: 30, slaDeadline: '2025-03-17T06:30:00.000Z', contactedAt: '2025-03-17T07:17:00.000Z', contactActivityId: 'c1', responseWorkingMinutes: 77, workingMinutesLate: 47 },
};
const taskLate = (title: string | null, workingMinutes: number): DisciplineFinding => ({
  ...common,
  managerId: '23',
  kind: 'task_overdue',
  dedupeKey: 'task_overdue:501:t1',
  details: { taskId: 't1', title, deadline: '2025-03-12T15:00:00.000Z', overdueMinutes: 960, overdueWorkingMinutes: workingMinutes },
});

describe('discipline messages name the deal and the numbers', () => {
  it.each<[Locale, string, DisciplineFinding, string]>([
    ['en', 'stalled', stalled, 'Deal «Acme» has had no activity for 6 working days in stage «Offer» (limit: 5).'],
    ['ru', 'stalled', stalled, 'Сделка «Acme» без активности уже 6 рабочих дней на стадии «Offer» (порог: 5).'],
    ['pl', 'stalled', stalled, 'Transakcja «Acme» stoi na etapie «Offer» bez żadnej aktywności już 6 dni roboczych (próg: 5).'],
    ['en', 'missing', missing, 'Deal «Acme» has no next contact planned (nothing since 2025-03-10 12:05).'],
    ['ru', 'missing', missing, 'По сделке «Acme» не запланирован следующий контакт (без движения с 2025-03-10 12:05).'],
    ['pl', 'missing', missing, 'Transakcja «Acme» nie ma zaplanowanego następnego kontaktu (bez ruchu od 2025-03-10 12:05).'],
    ['en', 'overdue', overdue, 'The next contact on deal «Acme» («Send the contract») was due 2025-03-11 11:00 and is not done (90 working minutes late).'],
    ['ru', 'overdue', overdue, 'Следующий контакт по сделке «Acme» («Send the contract») был назначен на 2025-03-11 11:00 и не выполнен (просрочка: 90 мин рабочего времени).'],
    ['pl', 'overdue', overdue, 'Następny kontakt w transakcji «Acme» («Send the contract») był zaplanowany na 2025-03-11 11:00 i nie został wykonany (opóźnienie: 90 min czasu pracy).'],
    ['en', 'unanswered', unanswered, 'Deal «Acme» came in 2025-03-14 18:00 and has waited 2 working hours for a first call, email, chat or meeting; target: 30 working minutes.'],
    ['ru', 'unanswered', unanswered, 'Сделка «Acme» поступила 2025-03-14 18:00 и уже 2 ч рабочего времени ждёт первого контакта (звонок, письмо, чат или встреча); норматив: 30 мин рабочего времени.'],
    ['pl', 'unanswered', unanswered, 'Transakcja «Acme» wpłynęła 2025-03-14 18:00 i od 2 godz. czasu pracy czeka na pierwszy kontakt (telefon, e-mail, czat lub spotkanie); norma: 30 min czasu pracy.'],
    ['en', 'answered late', answeredLate, 'Lead «Acme» was first contacted 77 working minutes after it came in; target: 30 working minutes.'],
    ['ru', 'answered late', answeredLate, 'Первый контакт по лиду «Acme» — через 77 мин рабочего времени после поступления; норматив: 30 мин рабочего времени.'],
    ['pl', 'answered late', answeredLate, 'Pierwszy kontakt w leadzie «Acme» nastąpił po 77 min czasu pracy od wpłynięcia; norma: 30 min czasu pracy.'],
    ['en', 'task, over a weekend', taskLate('Fix the stage order', 0), 'Task «Fix the stage order» on deal «Acme» was due 2025-03-12 18:00 and is not done.'],
    ['ru', 'task, over a weekend', taskLate('Fix the stage order', 0), 'Задача «Fix the stage order» по сделке «Acme» должна была быть выполнена к 2025-03-12 18:00, но не выполнена.'],
    ['pl', 'task, over a weekend', taskLate('Fix the stage order', 0), 'Zadanie «Fix the stage order» w transakcji «Acme» miało termin 2025-03-12 18:00 i nie zostało wykonane.'],
    ['en', 'untitled task, 5 h late', taskLate(null, 300), 'A Stageguard task on deal «Acme» was due 2025-03-12 18:00 and is not done (5 working hours late).'],
    ['ru', 'untitled task, 5 h late', taskLate(null, 300), 'Задача Stageguard по сделке «Acme» должна была быть выполнена к 2025-03-12 18:00, но не выполнена (просрочка: 5 ч рабочего времени).'],
    ['pl', 'untitled task, 5 h late', taskLate(null, 300), 'Zadanie Stageguard w transakcji «Acme» miało termin 2025-03-12 18:00 i nie zostało wykonane (opóźnienie: 5 godz. czasu pracy).'],
  ])('%s: %s', (locale, _name, finding, text) => {
    expect(disciplineMessages(locale).finding(finding, TZ)).toBe(text);
  });

  it.each<[Locale, number, string]>([
    ['en', 1, '1 working day'],
    ['en', 2, '2 working days'],
    ['ru', 1, '1 рабочий день'],
    ['ru', 3, '3 рабочих дня'],
    ['ru', 11, '11 рабочих дней'],
    ['ru', 21, '21 рабочий день'],
    ['ru', 22, '22 рабочих дня'],
    ['pl', 1, '1 dzień roboczy'],
    ['pl', 3, '3 dni robocze'],
    ['pl', 12, '12 dni roboczych'],
    ['pl', 22, '22 dni robocze'],
  ])('%s: %i days stalled reads "%s"', (locale, days, words) => {
    expect(disciplineMessages(locale).finding(stalledFor(days), TZ)).toContain(` ${words} `);
  });
});

function alerts(plan: Partial<ViolationPlan>, extra: { findings?: DisciplineFinding[]; open?: OpenViolation[]; heads?: string[]; locale?: Locale; names?: Record<string, string> } = {}) {
  return disciplineAlerts({
    now: NOW,
    plan: { open: [], resolve: [], escalate: [], ...plan },
    findings: extra.findings ?? [],
    open: extra.open ?? [],
    locale: extra.locale ?? 'en',
    timeZone: TZ,
    headsOfSales: extra.heads ?? ['1', '2'],
    managerNames: extra.names,
  });
}

describe('disciplineAlerts', () => {
  it('a new violation notifies its manager once, tagged by its key', () => {
    expect(alerts({ open: [stalled] })).toEqual([
      {
        dedupeKey: 'deal_stalled:501:PREPARATION',
        event: 'open',
        causeKey: 'discipline:deal_stalled:501:PREPARATION:open:2025-03-17T09:00:00.000Z',
        actions: [
          {
            kind: 'notify',
            slug: 'notify:17',
            userId: '17',
            message: 'Deal «Acme» has had no activity for 6 working days in stage «Offer» (limit: 5).',
            tag: 'stageguard:discipline:deal_stalled:501:PREPARATION',
          },
        ],
      },
    ]);
  });

  it('an overdue task goes to its assignee', () => {
    expect(alerts({ open: [taskLate('Fix', 60)] }).flatMap((a) => a.actions.map((x) => x.kind === 'notify' && x.userId))).toEqual(['23']);
  });

  it('with nobody responsible, the heads of sales hear of it, each under a tag of their own', () => {
    const [alert] = alerts({ open: [{ ...stalled, managerId: null }] });
    expect(alert.actions.map((a) => a.kind === 'notify' && [a.userId, a.tag])).toEqual([
      ['1', 'stageguard:discipline:deal_stalled:501:PREPARATION:1'],
      ['2', 'stageguard:discipline:deal_stalled:501:PREPARATION:2'],
    ]);
  });

  it('with nobody responsible and no heads of sales there is no one to tell', () => {
    expect(alerts({ open: [{ ...stalled, managerId: null }] }, { heads: [] })).toEqual([]);
  });

  it('a late answer recorded for the first time is told to the manager, though it is resolved at once', () => {
    const result = alerts({ open: [answeredLate], resolve: [answeredLate.dedupeKey] });
    expect(result.map((a) => [a.event, a.actions.length])).toEqual([['open', 1]]);
  });

  it('resolving sends nothing', () => {
    expect(alerts({ resolve: ['deal_stalled:501:PREPARATION'] })).toEqual([]);
  });

  const detected = '2025-03-16T07:00:00.000Z'; // 26 hours before NOW
  const openStalled: OpenViolation = { kind: 'deal_stalled', dedupeKey: stalled.dedupeKey, detectedAt: detected, escalatedAt: null };

  it('an escalation goes to each head of sales with how long and whose', () => {
    expect(alerts({ escalate: [stalled.dedupeKey] }, { findings: [stalled], open: [openStalled], names: { '17': 'Ivan Petrov' } })).toEqual([
      {
        dedupeKey: stalled.dedupeKey,
        event: 'escalate',
        causeKey: 'discipline:deal_stalled:501:PREPARATION:escalate:2025-03-16T07:00:00.000Z',
        actions: ['1', '2'].map((userId) => ({
          kind: 'notify',
          slug: `notify:${userId}`,
          userId,
          message: 'Unresolved for 26 hours; responsible: Ivan Petrov. Deal «Acme» has had no activity for 6 working days in stage «Offer» (limit: 5).',
          tag: `stageguard:discipline:deal_stalled:501:PREPARATION:escalation:${userId}`,
        })),
      },
    ]);
  });

  it.each<[Locale, Record<string, string> | undefined, string]>([
    ['ru', { '17': 'Иван Петров' }, 'Не устранено уже 26 ч; ответственный: Иван Петров. Сделка «Acme» без активности уже 6 рабочих дней на стадии «Offer» (порог: 5).'],
    ['pl', undefined, 'Nierozwiązane od 26 godz.; odpowiedzialny: #17. Transakcja «Acme» stoi na etapie «Offer» bez żadnej aktywności już 6 dni roboczych (próg: 5).'],
  ])('escalation in %s', (locale, names, message) => {
    const [alert] = alerts({ escalate: [stalled.dedupeKey] }, { findings: [stalled], open: [openStalled], locale, names, heads: ['1'] });
    expect(alert.actions).toEqual([{ kind: 'notify', slug: 'notify:1', userId: '1', message, tag: 'stageguard:discipline:deal_stalled:501:PREPARATION:escalation:1' }]);
  });

  it('no heads of sales: no escalation to send', () => {
    expect(alerts({ escalate: [stalled.dedupeKey] }, { findings: [stalled], open: [openStalled], heads: [] })).toEqual([]);
  });
});

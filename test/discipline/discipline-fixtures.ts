import type { DisciplineActivity, DisciplineDeal, DisciplineScanInput, StageguardTask } from '../../src/discipline/discipline-input.js';
import type { DisciplineRules, PipelineRules, WorkingTime } from '../../src/rules/rules-config.schema.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/examples/bitrix24-default.rules.js';

// Bitrix24's default pipeline with the example rules: maxDaysInStage NEW 3, PREPARATION 10,
// PREPAYMENT_INVOICE 7, EXECUTING 30; FINAL_INVOICE has none (the pipeline default applies).
// Calendar: 2025-03-10 is a Monday; 2025-05-09 (a Friday) is a holiday. Times are written in Moscow
// time (+03:00) and findings report UTC.

export const MOSCOW: WorkingTime = bitrix24DefaultRules().workingTime;
export const TOKYO: WorkingTime = { timeZone: 'Asia/Tokyo', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] };

export const PIPELINE = bitrix24DefaultPipelines()[0];

export function msk(local: string): string {
  return `${local}+03:00`;
}

export function at(local: string): Date {
  return new Date(msk(local));
}

export function rules(discipline?: Partial<DisciplineRules>): PipelineRules {
  const base = bitrix24DefaultRules().pipelines[0];
  return discipline === undefined ? base : { ...base, discipline: { ...DEFAULT_DISCIPLINE, ...discipline } };
}

export const DEFAULT_DISCIPLINE: DisciplineRules = {
  stalledAfterWorkingDays: 5,
  requireNextContact: true,
  nextContactGraceHours: 0,
  firstResponseSlaMinutes: 30,
  escalateAfterHours: 24,
  overdueTasks: true,
  digest: { enabled: true, hourLocal: 9 },
};

export function deal(overrides: Partial<DisciplineDeal> = {}): DisciplineDeal {
  return {
    id: '501',
    title: 'Acme: 40 laptops',
    stageId: 'FINAL_INVOICE',
    stageSemantics: 'process',
    responsibleId: '17',
    createdAt: msk('2025-03-03T10:00:00'),
    stageEnteredAt: msk('2025-03-10T11:00:00'),
    ...overrides,
  };
}

let activitySeq = 0;

export function activity(overrides: Partial<DisciplineActivity> = {}): DisciplineActivity {
  activitySeq += 1;
  return {
    id: `a${activitySeq}`,
    kind: 'call',
    direction: 'out',
    durationSec: null,
    completed: false,
    responsibleId: '17',
    dealIds: ['501'],
    subject: 'Call back',
    createdAt: msk('2025-03-10T11:00:00'),
    startAt: null,
    deadline: null,
    ...overrides,
  };
}

export function task(overrides: Partial<StageguardTask> = {}): StageguardTask {
  return {
    id: 't1',
    dealId: '501',
    responsibleId: '23',
    title: 'Fix the stage order: Acme: 40 laptops',
    deadline: msk('2025-03-12T18:00:00'),
    completed: false,
    ...overrides,
  };
}

/** One deal (501) with its activities and tasks, scanned at `now`. */
export function scanOf(
  now: string,
  parts: { deal?: Partial<DisciplineDeal>; activities?: DisciplineActivity[]; tasks?: StageguardTask[]; discipline?: Partial<DisciplineRules>; workingTime?: WorkingTime } = {},
): DisciplineScanInput {
  return {
    now: new Date(now),
    pipeline: PIPELINE,
    rules: rules(parts.discipline),
    workingTime: parts.workingTime ?? MOSCOW,
    deals: [deal(parts.deal)],
    activitiesByDeal: { '501': parts.activities ?? [] },
    tasks: parts.tasks ?? [],
    firstResponseSince: null,
  };
}

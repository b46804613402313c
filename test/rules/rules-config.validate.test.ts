import { validateRulesConfig } from '../../src/rules/rules-config.validate.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/examples/bitrix24-default.rules.js';

// Configs arrive as JSON from the settings page, so the cases mutate plain JSON freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function validateMutated(mutate: (config: Json) => void) {
  const config: Json = bitrix24DefaultRules();
  mutate(config);
  return validateRulesConfig(JSON.parse(JSON.stringify(config)), bitrix24DefaultPipelines());
}

// Indices into bitrix24DefaultRules(): stages 0 NEW, 1 PREPARATION, 2 PREPAYMENT_INVOICE, 3 EXECUTING;
// goals 0 ready_to_buy (NEW), 1 requirements_received (PREPARATION: move, assign, client field, task,
// comment), 2 refused (move, notify), 3 postponed (task, comment).
const P = 'pipelines.0';

describe('validateRulesConfig', () => {
  it('accepts the example config unchanged', () => {
    const result = validateRulesConfig(bitrix24DefaultRules(), bitrix24DefaultPipelines());
    expect(result).toEqual({ ok: true, config: bitrix24DefaultRules() });
  });

  it('fills defaults for omitted optional parts', () => {
    const input = {
      locale: 'en',
      workingTime: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      pipelines: [{ pipelineId: '0', stages: [{ stageId: 'PREPARATION', required: true }], skipping: { mode: 'enforce' } }],
    };
    const result = validateRulesConfig(input, bitrix24DefaultPipelines());
    expect(result).toEqual({
      ok: true,
      config: {
        locale: 'en',
        headsOfSales: [],
        workingTime: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] },
        pipelines: [
          {
            pipelineId: '0',
            stages: [
              { stageId: 'PREPARATION', required: true, exitConditions: { fieldsFilled: [], goalsReached: [], nextContactPlanned: false } },
            ],
            goals: [],
            skipping: { mode: 'enforce', alertUserIds: [], createFixTask: false, fastTracks: [] },
          },
        ],
      },
    });
  });

  it('rejects a body that is not an object, at the root', () => {
    const result = validateRulesConfig(null, bitrix24DefaultPipelines());
    expect(result).toEqual({ ok: false, errors: [{ path: '', message: 'Invalid input: expected object, received null' }] });
  });

  const cases: [name: string, mutate: (c: Json) => void, path: string, message: string][] = [
    // shape
    ['an unknown locale', (c) => (c.locale = 'de'), 'locale', 'expected one of'],
    ['a misspelt key', (c) => (c.pipelines[0].stages[0].requried = true), `${P}.stages.0.requried`, 'unknown field "requried"'],
    ['a non-boolean required', (c) => (c.pipelines[0].stages[1].required = 'yes'), `${P}.stages.1.required`, 'expected boolean'],
    ['a non-positive maxDaysInStage', (c) => (c.pipelines[0].stages[0].maxDaysInStage = 0), `${P}.stages.0.maxDaysInStage`, '>0'],
    ['a goal code with spaces', (c) => (c.pipelines[0].goals[0].code = 'ready to buy'), `${P}.goals.0.code`, 'letters, digits'],
    ['a goal title without English', (c) => delete c.pipelines[0].goals[0].title.en, `${P}.goals.0.title.en`, 'expected string'],
    ['an unknown reaction type', (c) => (c.pipelines[0].goals[1].reactions[0] = { type: 'teleport' }), `${P}.goals.1.reactions.0.type`, 'Invalid discriminator'],
    ['an unknown assign target', (c) => (c.pipelines[0].goals[1].reactions[1].to = 'boss'), `${P}.goals.1.reactions.1.to`, 'Invalid discriminator'],
    ['an assign to a user without userId', (c) => (c.pipelines[0].goals[1].reactions[1].to = 'user'), `${P}.goals.1.reactions.1.userId`, 'expected string'],
    ['a client field on a lead', (c) => (c.pipelines[0].goals[1].reactions[2].entity = 'lead'), `${P}.goals.1.reactions.2.entity`, 'expected one of'],
    ['a task due in 0 hours', (c) => (c.pipelines[0].goals[1].reactions[3].due = { hours: 0 }), `${P}.goals.1.reactions.3.due.hours`, '>0'],
    ['a task due in -1 working days', (c) => (c.pipelines[0].goals[1].reactions[3].due = { workingDays: -1 }), `${P}.goals.1.reactions.3.due.workingDays`, '>0'],
    ['a task due in 1.5 working days', (c) => (c.pipelines[0].goals[1].reactions[3].due = { workingDays: 1.5 }), `${P}.goals.1.reactions.3.due.workingDays`, 'expected int'],
    ['a task due in "days"', (c) => (c.pipelines[0].goals[1].reactions[3].due = { days: 1 }), `${P}.goals.1.reactions.3.due`, 'expected {"hours": n} or {"workingDays": n}'],
    ['an unknown task assignee', (c) => (c.pipelines[0].goals[1].reactions[3].assignee = 'lawyer'), `${P}.goals.1.reactions.3.assignee`, 'expected "responsible", "head_of_sales"'],
    ['a notify with an empty list', (c) => (c.pipelines[0].goals[2].reactions[1].userIds = []), `${P}.goals.2.reactions.1.userIds`, '>=1'],
    ['an unknown skipping mode', (c) => (c.pipelines[0].skipping.mode = 'strict'), `${P}.skipping.mode`, 'expected one of'],
    ['a fast track with an empty condition', (c) => (c.pipelines[0].skipping.fastTracks[0].when = {}), `${P}.skipping.fastTracks.0.when`, 'expected {"goalReached": code}'],
    ['a time in 12-hour form', (c) => (c.workingTime.start = '9:00'), 'workingTime.start', 'expected HH:MM'],
    ['weekday 8', (c) => (c.workingTime.days = [1, 8]), 'workingTime.days.1', '<=7'],
    ['a holiday in another format', (c) => (c.workingTime.holidays = ['09.05.2025']), 'workingTime.holidays.0', 'expected YYYY-MM-DD'],
    // references and cross-checks
    ['an unknown pipeline', (c) => (c.pipelines[0].pipelineId = '9'), `${P}.pipelineId`, 'unknown pipeline "9"'],
    ['a configured stage not in the pipeline', (c) => (c.pipelines[0].stages[1].stageId = 'C1:PREPARATION'), `${P}.stages.1.stageId`, 'stage "C1:PREPARATION" is not in pipeline "General" (0)'],
    ['the same stage configured twice', (c) => (c.pipelines[0].stages[3].stageId = 'NEW'), `${P}.stages.3.stageId`, 'stage "NEW" is configured twice'],
    ['a required won stage', (c) => c.pipelines[0].stages.push({ stageId: 'WON', required: true }), `${P}.stages.4.required`, 'only an in-process stage can be required'],
    ['an exit condition on an unknown goal', (c) => c.pipelines[0].stages[2].exitConditions.goalsReached.push('paid'), `${P}.stages.2.exitConditions.goalsReached.0`, 'unknown goal "paid"'],
    ['a goal on a stage not in the pipeline', (c) => (c.pipelines[0].goals[0].stageId = 'LEAD'), `${P}.goals.0.stageId`, 'stage "LEAD" is not in pipeline'],
    ['a duplicate goal code', (c) => (c.pipelines[0].goals[3].code = 'refused'), `${P}.goals.3.code`, 'goal code "refused" is used twice'],
    ['a move to a stage that does not exist', (c) => (c.pipelines[0].goals[1].reactions[0].stageId = 'INVOICE'), `${P}.goals.1.reactions.0.stageId`, 'stage "INVOICE" is not in pipeline'],
    ['a move to the goal\'s own stage', (c) => (c.pipelines[0].goals[1].reactions[0].stageId = 'PREPARATION'), `${P}.goals.1.reactions.0.stageId`, 'already belongs to this stage'],
    ['two moves in one goal', (c) => c.pipelines[0].goals[2].reactions.push({ type: 'moveToStage', stageId: 'APOLOGY' }), `${P}.goals.2.reactions.2.type`, 'only one "moveToStage"'],
    ['two assigns in one goal', (c) => c.pipelines[0].goals[1].reactions.push({ type: 'assign', to: 'user', userId: '3' }), `${P}.goals.1.reactions.5.type`, 'only one "assign"'],
    ['a best converter at an unknown stage', (c) => (c.pipelines[0].goals[1].reactions[1].stageId = 'NOPE'), `${P}.goals.1.reactions.1.stageId`, 'stage "NOPE" is not in pipeline'],
    ['a stage owner where the stage has none', (c) => (c.pipelines[0].goals[0].reactions[0] = { type: 'assign', to: 'stage_owner' }), `${P}.goals.0.reactions.0.to`, 'stage "NEW" has no ownerUserId'],
    ['a fast track from an unknown stage', (c) => (c.pipelines[0].skipping.fastTracks[0].fromStageId = 'LEAD'), `${P}.skipping.fastTracks.0.fromStageId`, 'stage "LEAD" is not in pipeline'],
    ['a fast track to an unknown stage', (c) => (c.pipelines[0].skipping.fastTracks[0].toStageId = 'INVOICE'), `${P}.skipping.fastTracks.0.toStageId`, 'stage "INVOICE" is not in pipeline'],
    ['a backward fast track', (c) => (c.pipelines[0].skipping.fastTracks[0] = { fromStageId: 'FINAL_INVOICE', toStageId: 'NEW', when: { goalReached: 'ready_to_buy' } }), `${P}.skipping.fastTracks.0.toStageId`, 'must lead forward'],
    ['a fast track on an unknown goal', (c) => (c.pipelines[0].skipping.fastTracks[0].when.goalReached = 'rich'), `${P}.skipping.fastTracks.0.when.goalReached`, 'unknown goal "rich"'],
    ['an unknown time zone', (c) => (c.workingTime.timeZone = 'Mars/Olympus'), 'workingTime.timeZone', 'unknown IANA time zone "Mars/Olympus"'],
    ['a weekday listed twice', (c) => (c.workingTime.days = [1, 2, 1]), 'workingTime.days.2', 'day 1 is listed twice'],
    ['a day that ends before it starts', (c) => (c.workingTime.end = '08:30'), 'workingTime.end', 'must end after it starts'],
    ['a holiday that is not a date', (c) => (c.workingTime.holidays = ['2025-01-01', '2025-02-30']), 'workingTime.holidays.1', '"2025-02-30" is not a calendar date'],
  ];
  it.each(cases.map(([name, mutate, path, message]) => ({ name, mutate, path, message })))(
    'rejects $name at "$path"',
    ({ mutate, path, message }) => {
      expect(validateMutated(mutate)).toEqual({ ok: false, errors: [{ path, message: expect.stringContaining(message) }] });
    },
  );

  it('reports a configured pipeline twice', () => {
    const result = validateMutated((c) => c.pipelines.push(bitrix24DefaultRules().pipelines[0]));
    expect(result).toEqual({ ok: false, errors: [{ path: 'pipelines.1.pipelineId', message: 'pipeline "0" is configured twice' }] });
  });

  it('reports every reference to an empty headsOfSales at once, alert mode included', () => {
    const result = validateMutated((c) => {
      c.headsOfSales = [];
      c.pipelines[0].skipping.alertUserIds = [];
      c.pipelines[0].goals[3].reactions[0].assignee = 'head_of_sales';
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: `${P}.goals.0.reactions.0.userIds`, message: 'headsOfSales is empty' },
        { path: `${P}.goals.2.reactions.1.userIds`, message: 'headsOfSales is empty' },
        { path: `${P}.goals.3.reactions.0.assignee`, message: 'headsOfSales is empty' },
        { path: `${P}.skipping.alertUserIds`, message: 'alert mode needs someone to alert: list user ids here or set headsOfSales' },
      ],
    });
  });
});

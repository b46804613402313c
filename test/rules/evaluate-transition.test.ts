import type { Deal, StageTransition } from '../../src/domain/crm.js';
import { evaluateTransition } from '../../src/rules/evaluate-transition.js';
import type { RulesConfig } from '../../src/rules/rules-config.schema.js';
import type { MissingConditions } from '../../src/rules/exit-conditions.js';
import type { TransitionVerdict, ViolationKind } from '../../src/rules/transition-decision.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/examples/bitrix24-default.rules.js';
import { B2B_PIPELINE_ID, B2B_STAGE as B, b2bFiveStagePipelines, b2bFiveStageRules } from '../../src/rules/examples/b2b-five-stage.rules.js';
import { dealAt, move, walk } from './rules-fixtures.js';

// Friday 15:00 in Moscow; the next working day ends Monday 18:00 MSK = 15:00Z.
const NOW = new Date('2025-03-14T12:00:00Z');
const NEXT_WORKING_DAY_END = '2025-03-17T15:00:00.000Z';

/** The deal was created in the first stage and walked through the rest; the last step is judged. */
function route(...stageIds: string[]): { history: StageTransition[]; transition: StageTransition } {
  return { history: walk(...stageIds.slice(0, -1)), transition: move(stageIds.at(-2)!, stageIds.at(-1)!) };
}

interface Case {
  steps: { history: StageTransition[]; transition: StageTransition };
  config?: (c: RulesConfig) => void;
  deal?: Partial<Deal>;
  reachedGoals?: string[];
  hasPlannedNextContact?: boolean;
  ownMove?: boolean;
}

function judge(c: Case, base: { rules: () => RulesConfig; pipeline: typeof bitrix24DefaultPipelines; deal?: Partial<Deal> } = bitrix) {
  const config = base.rules();
  c.config?.(config);
  return evaluateTransition({
    config,
    pipeline: base.pipeline()[0],
    deal: dealAt(c.steps.transition.toStageId, { ...base.deal, ...c.deal }),
    history: c.steps.history,
    transition: c.steps.transition,
    reachedGoals: c.reachedGoals ?? [],
    hasPlannedNextContact: c.hasPlannedNextContact ?? true,
    ownMove: c.ownMove ?? false,
    now: NOW,
  });
}
const bitrix = { rules: bitrix24DefaultRules, pipeline: bitrix24DefaultPipelines };

const none: MissingConditions = { fields: [], goals: [], nextContact: false };
type Expected = [kind: ViolationKind, skippedStageIds: string[], missing: MissingConditions];
const skipped = (...ids: string[]): Expected => ['stage_skipped', ids, none];
const unmet = (missing: Partial<MissingConditions>): Expected => ['exit_conditions_unmet', [], { ...none, ...missing }];
const noLossReason: Expected = ['loss_reason_missing', [], { ...none, fields: ['UF_CRM_LOSS_REASON'] }];

const metAtPreparation = ['requirements_received'];

// Bitrix24 default pipeline, example rules (alert mode): PREPARATION and PREPAYMENT_INVOICE required;
// PREPARATION exits with amount + companyId + goal requirements_received; PREPAYMENT_INVOICE with
// amount + closeDate + a planned next contact; fast track NEW → FINAL_INVOICE on goal ready_to_buy.
describe('evaluateTransition verdicts (Bitrix24 default pipeline)', () => {
  it.each<[string, Case, TransitionVerdict, Expected[]]>([
    ['the next stage, nothing required to leave NEW', { steps: route('NEW', 'PREPARATION') }, 'ok', []],
    ['a jump over both required stages', { steps: route('NEW', 'FINAL_INVOICE') }, 'violation', [skipped('PREPARATION', 'PREPAYMENT_INVOICE')]],
    ['a jump over one required stage', { steps: route('NEW', 'PREPARATION', 'EXECUTING'), reachedGoals: metAtPreparation }, 'violation', [skipped('PREPAYMENT_INVOICE')]],
    ['a jump over a stage that is not required', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'FINAL_INVOICE') }, 'ok', []],
    ['the fast track with its goal reached', { steps: route('NEW', 'FINAL_INVOICE'), reachedGoals: ['ready_to_buy'] }, 'fast_track', []],
    ['the fast track goal, but another target', { steps: route('NEW', 'EXECUTING'), reachedGoals: ['ready_to_buy'] }, 'violation', [skipped('PREPARATION', 'PREPAYMENT_INVOICE')]],
    ['the fast track target without its goal', { steps: route('NEW', 'FINAL_INVOICE'), reachedGoals: ['requirements_received'] }, 'violation', [skipped('PREPARATION', 'PREPAYMENT_INVOICE')]],
    ['a forward move with exit conditions met', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE'), reachedGoals: metAtPreparation }, 'ok', []],
    ['exit: amount still 0', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE'), reachedGoals: metAtPreparation, deal: { amount: 0 } }, 'violation', [unmet({ fields: ['amount'] })]],
    ['exit: no company', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE'), reachedGoals: metAtPreparation, deal: { companyId: null } }, 'violation', [unmet({ fields: ['companyId'] })]],
    ['exit: goal not reached', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE') }, 'violation', [unmet({ goals: ['requirements_received'] })]],
    ['exit: no next contact planned', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING'), hasPlannedNextContact: false }, 'violation', [unmet({ nextContact: true })]],
    ['exit: a custom field left empty', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING'), config: (c) => c.pipelines[0].stages[2].exitConditions.fieldsFilled.push('UF_CRM_INN'), deal: { fields: { UF_CRM_INN: '  ' } } }, 'violation', [unmet({ fields: ['UF_CRM_INN'] })]],
    ['exit: everything missing at once', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING'), hasPlannedNextContact: false, deal: { amount: null, closeDate: null } }, 'violation', [unmet({ fields: ['amount', 'closeDate'], nextContact: true })]],
    ['a skip and unmet exit conditions together', { steps: route('NEW', 'PREPARATION', 'FINAL_INVOICE'), deal: { amount: 0 } }, 'violation', [skipped('PREPAYMENT_INVOICE'), unmet({ fields: ['amount'], goals: ['requirements_received'] })]],
    ['a backward move', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'PREPARATION') }, 'backward', []],
    ['back to the start, skipping nothing required on the way', { steps: route('NEW', 'PREPARATION', 'NEW') }, 'backward', []],
    ['a required stage visited earlier counts as passed', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'NEW', 'PREPARATION', 'FINAL_INVOICE'), reachedGoals: metAtPreparation }, 'ok', []],
    // PREPARATION → NEW is missing from the host's history; the deal did stand in PREPARATION.
    ['a stage entered before a gap in the host history counts as passed', { steps: { history: walk('NEW', 'PREPARATION'), transition: move('NEW', 'PREPAYMENT_INVOICE') } }, 'ok', []],
    ['the stage the deal was created in counts as passed', { steps: route('PREPARATION', 'NEW', 'PREPAYMENT_INVOICE') }, 'ok', []],
    ['won after the full funnel', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON'), reachedGoals: metAtPreparation }, 'ok', []],
    ['won straight from NEW is a skip', { steps: route('NEW', 'WON') }, 'violation', [skipped('PREPARATION', 'PREPAYMENT_INVOICE')]],
    ['won straight from PREPARATION is judged on exit conditions too', { steps: route('NEW', 'PREPARATION', 'WON'), deal: { companyId: null } }, 'violation', [skipped('PREPAYMENT_INVOICE'), unmet({ fields: ['companyId'], goals: ['requirements_received'] })]],
    ['lost with a loss reason', { steps: route('NEW', 'LOSE') }, 'failure', []],
    ['lost without a loss reason', { steps: route('NEW', 'PREPARATION', 'LOSE'), deal: { fields: { UF_CRM_LOSS_REASON: '' } } }, 'violation', [noLossReason]],
    ['the second failure stage without a loss reason', { steps: route('NEW', 'APOLOGY'), deal: { fields: {} } }, 'violation', [noLossReason]],
    ['lost without a reason when none is required', { steps: route('NEW', 'LOSE'), deal: { fields: {} }, config: (c) => delete c.pipelines[0].skipping.requireLossReasonField }, 'failure', []],
    ['lost skipping every stage is still just lost', { steps: route('NEW', 'LOSE'), deal: { amount: 0 } }, 'failure', []],
    ['reopened from lost to won: judged from the last working stage', { steps: route('NEW', 'PREPARATION', 'LOSE', 'WON'), reachedGoals: metAtPreparation }, 'violation', [skipped('PREPAYMENT_INVOICE')]],
    ['reopened from lost to the stage it was lost at', { steps: route('NEW', 'PREPARATION', 'LOSE', 'PREPARATION') }, 'ok', []],
    ['reopened from lost to an earlier stage', { steps: route('NEW', 'PREPARATION', 'LOSE', 'NEW') }, 'backward', []],
    ['the app\'s own rollback', { steps: route('NEW', 'FINAL_INVOICE', 'NEW'), ownMove: true }, 'own_move', []],
    ['the app\'s own goal move that would be a skip', { steps: route('NEW', 'FINAL_INVOICE'), ownMove: true }, 'own_move', []],
    ['a move in from another pipeline', { steps: { history: [], transition: move('C3:NEW', 'FINAL_INVOICE', { fromPipelineId: '3' }) } }, 'pipeline_change', []],
    ['a pipeline without rules', { steps: route('NEW', 'FINAL_INVOICE'), config: (c) => (c.pipelines = []) }, 'not_configured', []],
    ['a stage the cached pipeline does not know', { steps: route('NEW', 'UC_NEWSTAGE') }, 'not_configured', []],
    ['the deal created straight into a later stage', { steps: { history: [], transition: move(null, 'FINAL_INVOICE') } }, 'ok', []],
    ['mode off: a skip', { steps: route('NEW', 'FINAL_INVOICE'), config: (c) => (c.pipelines[0].skipping.mode = 'off') }, 'ok', []],
    ['mode off: exit conditions unmet', { steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE'), config: (c) => (c.pipelines[0].skipping.mode = 'off') }, 'ok', []],
    ['mode off: lost without a reason', { steps: route('NEW', 'LOSE'), deal: { fields: {} }, config: (c) => (c.pipelines[0].skipping.mode = 'off') }, 'failure', []],
  ])('%s', (_name, c, verdict, violations) => {
    const decision = judge(c);
    expect(decision.verdict).toBe(verdict);
    expect(decision.violations.map((v) => [v.kind, v.skippedStageIds, v.missing])).toEqual(violations);
    if (violations.length === 0) expect(decision.actions).toEqual([]);
  });
});

// B2B example (enforce mode, English): Qualification, Offer, Negotiation required; fast tracks
// Identification → Offer on goal needs_clear, Qualification → Negotiation when "Repeat customer" = yes.
describe('evaluateTransition verdicts (B2B pipeline)', () => {
  const b2b = { rules: b2bFiveStageRules, pipeline: b2bFiveStagePipelines, deal: { pipelineId: B2B_PIPELINE_ID } };
  const b2bRoute = (...stageIds: string[]) => {
    const { history, transition } = route(...stageIds);
    const inB2b = (t: StageTransition) => ({ ...t, pipelineId: B2B_PIPELINE_ID, fromPipelineId: t.fromStageId === null ? null : B2B_PIPELINE_ID });
    return { history: history.map(inB2b), transition: inB2b(transition) };
  };
  const qualifiedCompany = { reachedGoals: ['qualified'] };

  it.each<[string, Case, TransitionVerdict, Expected[]]>([
    ['goal fast track Identification → Offer', { steps: b2bRoute(B.identification, B.offer), reachedGoals: ['needs_clear'] }, 'fast_track', []],
    ['the goal fast track does not excuse exit conditions', { steps: b2bRoute(B.identification, B.offer), reachedGoals: ['needs_clear'], deal: { contactId: null } }, 'violation', [unmet({ fields: ['contactId'] })]],
    ['field fast track: repeat customer', { steps: b2bRoute(B.identification, B.qualification, B.negotiation), ...qualifiedCompany, deal: { fields: { 'Repeat customer': 'yes' } } }, 'fast_track', []],
    ['field fast track: a multi-value field holding the value', { steps: b2bRoute(B.identification, B.qualification, B.negotiation), ...qualifiedCompany, deal: { fields: { 'Repeat customer': ['yes'] } } }, 'fast_track', []],
    ['field fast track: another value', { steps: b2bRoute(B.identification, B.qualification, B.negotiation), ...qualifiedCompany, deal: { fields: { 'Repeat customer': 'no' } } }, 'violation', [skipped(B.offer)]],
    ['field fast track: field absent', { steps: b2bRoute(B.identification, B.qualification, B.negotiation), ...qualifiedCompany }, 'violation', [skipped(B.offer)]],
    ['amoCRM won (142) judged like any forward move', { steps: b2bRoute(B.identification, B.qualification, B.won), ...qualifiedCompany }, 'violation', [skipped(B.offer, B.negotiation)]],
    ['amoCRM lost (143) without a loss reason', { steps: b2bRoute(B.identification, B.lost) }, 'violation', [['loss_reason_missing', [], { ...none, fields: ['Loss reason'] }]]],
  ])('%s', (_name, c, verdict, violations) => {
    const decision = judge(c, b2b);
    expect(decision.verdict).toBe(verdict);
    expect(decision.violations.map((v) => [v.kind, v.skippedStageIds, v.missing])).toEqual(violations);
  });

  it('a number in the config matches the same number stored as a string', () => {
    const decision = judge(
      {
        steps: b2bRoute(B.identification, B.qualification, B.negotiation),
        ...qualifiedCompany,
        config: (c) => (c.pipelines[0].skipping.fastTracks[1].when = { fieldEquals: { field: 'Segment', value: 3 } }),
        deal: { fields: { Segment: '3' } },
      },
      b2b,
    );
    expect(decision.verdict).toBe('fast_track');
  });
});

describe('evaluateTransition actions', () => {
  const skip = route('NEW', 'FINAL_INVOICE');
  const ruSkip = '«Acme: 40 laptops» перемещена из «New» в «Final invoice» в обход обязательных стадий: «Preparing documents», «Prepayment invoice».';

  it('alert: one notification per head of sales, one comment, one fix task', () => {
    const decision = judge({ steps: skip });
    const message = `Сделка ${ruSkip}`;
    const tag = `stageguard:violation:501:${skip.transition.hostHistoryId}`;
    expect(decision.violations.map((v) => v.message)).toEqual([message]);
    expect(decision.actions).toEqual([
      { kind: 'notify', slug: 'notify:1', userId: '1', message, tag: `${tag}:1` },
      { kind: 'comment', slug: 'comment', dealId: '501', text: message },
      {
        kind: 'create_task',
        slug: 'fix-task',
        dealId: '501',
        title: 'Исправить нарушение порядка стадий: Acme: 40 laptops',
        description: message,
        responsibleId: '17',
        deadline: NEXT_WORKING_DAY_END,
      },
    ]);
  });

  it('enforce: the same, the rollback to the stage left, and a note about it', () => {
    const decision = judge({ steps: skip, config: (c) => (c.pipelines[0].skipping.mode = 'enforce') });
    const text = `Сделка ${ruSkip}\nСделка «Acme: 40 laptops» возвращена на стадию «New».`;
    expect(decision.actions.map((a) => a.slug)).toEqual(['notify:1', 'comment', 'fix-task', 'rollback']);
    expect(decision.actions[1]).toEqual({ kind: 'comment', slug: 'comment', dealId: '501', text });
    expect(decision.actions[3]).toEqual({ kind: 'move_stage', slug: 'rollback', dealId: '501', pipelineId: '0', stageId: 'NEW', reason: 'rollback' });
  });

  it('enforce on a reopened deal rolls back to the stage actually left, not the one judged from', () => {
    const decision = judge({
      steps: route('NEW', 'PREPARATION', 'LOSE', 'WON'),
      reachedGoals: metAtPreparation,
      config: (c) => (c.pipelines[0].skipping.mode = 'enforce'),
    });
    expect(decision.actions.at(-1)).toMatchObject({ kind: 'move_stage', stageId: 'LOSE', reason: 'rollback' });
  });

  it('several violations still make one notification, comment and task', () => {
    const decision = judge({ steps: route('NEW', 'PREPARATION', 'FINAL_INVOICE'), deal: { amount: 0 }, config: (c) => (c.locale = 'en') });
    expect(decision.actions.map((a) => a.slug)).toEqual(['notify:1', 'comment', 'fix-task']);
    expect(decision.actions[1]).toEqual({
      kind: 'comment',
      slug: 'comment',
      dealId: '501',
      text:
        'Deal «Acme: 40 laptops» was moved from «Preparing documents» to «Final invoice», skipping required stages: «Prepayment invoice».\n' +
        'Deal «Acme: 40 laptops» left stage «Preparing documents» before its exit conditions were met: fields not filled: «Amount»; goals not reached: «Requirements received».',
    });
  });

  it.each<[string, (c: RulesConfig) => void, string[]]>([
    ['no alert list: every head of sales', (c) => { c.pipelines[0].skipping.alertUserIds = []; c.headsOfSales = ['1', '2']; }, ['notify:1', 'notify:2', 'comment', 'fix-task']],
    ['an alert list repeating a user: notified once', (c) => (c.pipelines[0].skipping.alertUserIds = ['3', '4', '3']), ['notify:3', 'notify:4', 'comment', 'fix-task']],
    ['no fix task configured', (c) => (c.pipelines[0].skipping.createFixTask = false), ['notify:1', 'comment']],
  ])('recipients and tasks: %s', (_name, config, slugs) => {
    expect(judge({ steps: skip, config }).actions.map((a) => a.slug)).toEqual(slugs);
  });

  it.each([
    ['the responsible', { responsibleId: '17' }, { byUserId: '23' }, '17'],
    ['the mover, when nobody is responsible', { responsibleId: null }, { byUserId: '23' }, '23'],
    ['nobody', { responsibleId: null }, { byUserId: null }, undefined],
  ])('the fix task goes to %s', (_name, deal, by, assignee) => {
    const steps = { history: walk('NEW'), transition: move('NEW', 'FINAL_INVOICE', by) };
    const task = judge({ steps, deal }).actions.find((a) => a.kind === 'create_task');
    expect(task?.responsibleId).toBe(assignee);
  });

  it.each([
    ['ru', 'Сделка «Acme: 40 laptops» переведена в «Deal lost» без причины отказа (поле «UF_CRM_LOSS_REASON»).'],
    ['en', 'Deal «Acme: 40 laptops» was moved to «Deal lost» without a loss reason (field «UF_CRM_LOSS_REASON»).'],
    ['pl', 'Transakcja «Acme: 40 laptops» została przeniesiona do «Deal lost» bez podania przyczyny utraty (pole «UF_CRM_LOSS_REASON»).'],
  ] as const)('loss reason message in %s', (locale, message) => {
    const decision = judge({ steps: route('NEW', 'LOSE'), deal: { fields: {} }, config: (c) => (c.locale = locale) });
    expect(decision.violations[0].message).toBe(message);
  });

  it.each([
    ['ru', 'Сделка «Acme: 40 laptops» покинула стадию «Prepayment invoice», не выполнив условия выхода: не заполнены поля «Сумма», «UF_X»; не запланирован следующий контакт.'],
    ['en', 'Deal «Acme: 40 laptops» left stage «Prepayment invoice» before its exit conditions were met: fields not filled: «Amount», «UF_X»; no next contact planned.'],
    ['pl', 'Transakcja «Acme: 40 laptops» opuściła etap «Prepayment invoice» przed spełnieniem warunków wyjścia: niewypełnione pola: «Kwota», «UF_X»; brak zaplanowanego następnego kontaktu.'],
  ] as const)('exit conditions message in %s', (locale, message) => {
    const decision = judge({
      steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING'),
      hasPlannedNextContact: false,
      deal: { amount: 0 },
      config: (c) => {
        c.locale = locale;
        c.pipelines[0].stages[2].exitConditions.fieldsFilled.push('UF_X');
      },
    });
    expect(decision.violations.map((v) => v.message)).toEqual([message]);
  });

  it('goal titles in messages follow the locale, English when a locale has none', () => {
    const decision = judge({ steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE'), config: (c) => (c.locale = 'pl') });
    expect(decision.violations[0].message).toContain('nieosiągnięte cele: «Requirements received»');
    const ru = judge({ steps: route('NEW', 'PREPARATION', 'PREPAYMENT_INVOICE') });
    expect(ru.violations[0].message).toContain('не достигнуты цели «Требования получены»');
  });
});

import type { ActionSpec } from '../../src/domain/actions.js';
import type { Deal } from '../../src/domain/crm.js';
import { evaluateGoal, type GoalInput } from '../../src/rules/goal-reaction.js';
import type { Reaction, RulesConfig } from '../../src/rules/rules-config.schema.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/examples/bitrix24-default.rules.js';
import { B2B_PIPELINE_ID, B2B_STAGE as B, b2bFiveStagePipelines, b2bFiveStageRules } from '../../src/rules/examples/b2b-five-stage.rules.js';
import { dealAt } from './rules-fixtures.js';

// Friday 15:00 Moscow / 13:00 Warsaw.
const NOW = new Date('2025-03-14T12:00:00Z');

interface Case {
  goalCode: string;
  stageId: string;
  deal?: Partial<Deal>;
  config?: (c: RulesConfig) => void;
  fromDealField?: boolean;
  bestConverterByStage?: Record<string, string | undefined>;
}

function bitrixGoal(c: Case) {
  const config = bitrix24DefaultRules();
  c.config?.(config);
  return evaluateGoal(input(c, config, bitrix24DefaultPipelines()[0], dealAt(c.stageId, c.deal)));
}

function b2bGoal(c: Case) {
  const config = b2bFiveStageRules();
  c.config?.(config);
  return evaluateGoal(input(c, config, b2bFiveStagePipelines()[0], dealAt(c.stageId, { pipelineId: B2B_PIPELINE_ID, currency: 'PLN', ...c.deal })));
}

function input(c: Case, config: RulesConfig, pipeline: GoalInput['pipeline'], deal: Deal): GoalInput {
  return {
    config,
    pipeline,
    deal,
    goalCode: c.goalCode,
    fromDealField: c.fromDealField ?? true,
    stats: { bestConverterByStage: c.bestConverterByStage ?? { PREPAYMENT_INVOICE: '42', [B.won]: '142-champion' } },
    now: NOW,
  };
}

/** Replace the reactions of the Bitrix24 goal "requirements_received" (stage PREPARATION). */
const reactions = (list: Reaction[]) => (c: RulesConfig) => (c.pipelines[0].goals[1].reactions = list);

describe('evaluateGoal: the Bitrix24 "requirements received" goal end to end', () => {
  it('moves, hands over, sets the company status, sets the legal task, comments, clears the mark', () => {
    expect(bitrixGoal({ goalCode: 'requirements_received', stageId: 'PREPARATION' })).toEqual({
      errors: [],
      actions: [
        { kind: 'move_stage', slug: 'move', dealId: '501', pipelineId: '0', stageId: 'PREPAYMENT_INVOICE', reason: 'goal' },
        { kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '42' },
        { kind: 'set_client_field', slug: 'client-field:2', entity: 'company', entityId: '900', field: 'COMPANY_TYPE', value: 'CUSTOMER' },
        {
          kind: 'create_task',
          slug: 'task:3',
          dealId: '501',
          title: 'Legal: approve contract for Acme: 40 laptops',
          description: 'Сделка 501, сумма 120000 RUB',
          responsibleId: '7',
          // one working day from Friday: Monday 18:00 Moscow
          deadline: '2025-03-17T15:00:00.000Z',
        },
        { kind: 'comment', slug: 'comment:4', dealId: '501', text: 'Требования клиента получены, договор передан юристам.' },
        { kind: 'clear_goal_mark', slug: 'clear-goal-mark', dealId: '501' },
      ],
    });
  });

  it('leaves the mark alone when the goal came from the app tab or an activity', () => {
    const outcome = bitrixGoal({ goalCode: 'requirements_received', stageId: 'PREPARATION', fromDealField: false });
    expect(outcome.actions.map((a) => a.slug)).toEqual(['move', 'assign', 'client-field:2', 'task:3', 'comment:4']);
  });
});

describe('evaluateGoal: goals that cannot be applied', () => {
  it.each<[string, Case, string]>([
    ['a goal of another stage', { goalCode: 'requirements_received', stageId: 'NEW' }, 'goal "requirements_received" belongs to stage "PREPARATION", the deal is at "NEW"'],
    ['an unknown goal', { goalCode: 'teleported', stageId: 'PREPARATION' }, 'goal "teleported" is not configured for pipeline "0"'],
    ['a pipeline without rules', { goalCode: 'requirements_received', stageId: 'PREPARATION', config: (c) => (c.pipelines = []) }, 'goal "requirements_received" is not configured for pipeline "0"'],
  ])('%s: an error and no actions, not even clearing the mark', (_name, c, error) => {
    expect(bitrixGoal(c)).toEqual({ actions: [], errors: [error] });
  });
});

describe('evaluateGoal: each reaction', () => {
  const at = { goalCode: 'requirements_received', stageId: 'PREPARATION', fromDealField: false };

  it.each<[string, Case, ActionSpec[], string[]]>([
    ['move to a stage', { ...at, config: reactions([{ type: 'moveToStage', stageId: 'EXECUTING' }]) },
      [{ kind: 'move_stage', slug: 'move', dealId: '501', pipelineId: '0', stageId: 'EXECUTING', reason: 'goal' }], []],
    ['move to a stage the host has since removed', { ...at, config: reactions([{ type: 'moveToStage', stageId: 'UC_OLD' }]) },
      [], ['reaction 0 (moveToStage): stage "UC_OLD" no longer exists']],
    ['assign to a user', { ...at, config: reactions([{ type: 'assign', to: 'user', userId: '33' }]) },
      [{ kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '33' }], []],
    ['assign to the current responsible: nothing to do', { ...at, config: reactions([{ type: 'assign', to: 'user', userId: '17' }]) }, [], []],
    ['assign to the owner of the target stage', { ...at, config: reactions([{ type: 'moveToStage', stageId: 'PREPAYMENT_INVOICE' }, { type: 'assign', to: 'stage_owner' }]) },
      [
        { kind: 'move_stage', slug: 'move', dealId: '501', pipelineId: '0', stageId: 'PREPAYMENT_INVOICE', reason: 'goal' },
        { kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '5' },
      ], []],
    ['assign to the owner of a stage without one', { ...at, config: reactions([{ type: 'assign', to: 'stage_owner', stageId: 'EXECUTING' }]) },
      [], ['reaction 0 (assign): no owner known for stage "EXECUTING"']],
    ['assign to the best converter of a named stage', { ...at, config: reactions([{ type: 'assign', to: 'best_converter', stageId: 'EXECUTING' }]), bestConverterByStage: { EXECUTING: '61' } },
      [{ kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '61' }], []],
    ['assign to the best converter at the goal stage when the goal does not move', { ...at, config: reactions([{ type: 'assign', to: 'best_converter' }]), bestConverterByStage: { PREPARATION: '62', PREPAYMENT_INVOICE: '42' } },
      [{ kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '62' }], []],
    ['assign to a best converter nobody knows', { ...at, bestConverterByStage: {}, config: reactions([{ type: 'assign', to: 'best_converter' }, { type: 'comment', textTemplate: 'still here' }]) },
      [{ kind: 'comment', slug: 'comment:1', dealId: '501', text: 'still here' }], ['reaction 0 (assign): no best converter known for stage "PREPARATION"']],
    ['set a contact field', { ...at, config: reactions([{ type: 'setClientField', entity: 'contact', field: 'UF_IMPORTANCE', value: 'high' }]) },
      [{ kind: 'set_client_field', slug: 'client-field:0', entity: 'contact', entityId: '901', field: 'UF_IMPORTANCE', value: 'high' }], []],
    ['set a company field on a deal without a company', { ...at, deal: { companyId: null }, config: reactions([{ type: 'setClientField', entity: 'company', field: 'COMPANY_TYPE', value: 'CUSTOMER' }]) },
      [], ['reaction 0 (setClientField): the deal has no company']],
    ['a task for the responsible, due in hours', { ...at, config: reactions([{ type: 'createTask', titleTemplate: 'Call {{deal.fields.UF_CRM_LOSS_REASON}}', assignee: 'responsible', due: { hours: 4 } }]) },
      [{ kind: 'create_task', slug: 'task:0', dealId: '501', title: 'Call Too expensive', description: '', responsibleId: '17', deadline: '2025-03-14T16:00:00.000Z' }], []],
    ['a task for the head of sales', { ...at, config: (c) => { c.headsOfSales = ['1', '2']; reactions([{ type: 'createTask', titleTemplate: 'Review {{deal.title}}', assignee: 'head_of_sales', due: { hours: 0.5 } }])(c); } },
      [{ kind: 'create_task', slug: 'task:0', dealId: '501', title: 'Review Acme: 40 laptops', description: '', responsibleId: '1', deadline: '2025-03-14T12:30:00.000Z' }], []],
    ['a task for the responsible goes to the one the goal hands the deal to', { ...at, config: reactions([{ type: 'createTask', titleTemplate: 'x', assignee: 'responsible', due: { hours: 1 } }, { type: 'assign', to: 'user', userId: '33' }]) },
      [
        { kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '33' },
        { kind: 'create_task', slug: 'task:0', dealId: '501', title: 'x', description: '', responsibleId: '33', deadline: '2025-03-14T13:00:00.000Z' },
      ], []],
    ['a task for the responsible stays with the current one when the hand-over fails', { ...at, bestConverterByStage: {}, config: reactions([{ type: 'assign', to: 'best_converter' }, { type: 'createTask', titleTemplate: 'x', assignee: 'responsible', due: { hours: 1 } }]) },
      [{ kind: 'create_task', slug: 'task:1', dealId: '501', title: 'x', description: '', responsibleId: '17', deadline: '2025-03-14T13:00:00.000Z' }],
      ['reaction 0 (assign): no best converter known for stage "PREPARATION"']],
    ['a task for the responsible of a deal without one', { ...at, deal: { responsibleId: null }, config: reactions([{ type: 'createTask', titleTemplate: 'x', assignee: 'responsible', due: { hours: 1 } }]) },
      [], ['reaction 0 (createTask): nobody to assign the task to ("responsible")']],
    ['notify the heads of sales', { ...at, config: (c) => { c.headsOfSales = ['1', '2']; reactions([{ type: 'notify', userIds: 'heads_of_sales', messageTemplate: '{{deal.title}}: {{deal.amount}}' }])(c); } },
      [
        { kind: 'notify', slug: 'notify:0:1', userId: '1', message: 'Acme: 40 laptops: 120000', tag: 'stageguard:goal:501:requirements_received:0:1' },
        { kind: 'notify', slug: 'notify:0:2', userId: '2', message: 'Acme: 40 laptops: 120000', tag: 'stageguard:goal:501:requirements_received:0:2' },
      ], []],
    ['notify listed users', { ...at, config: reactions([{ type: 'notify', userIds: ['9', '9', '8'], messageTemplate: 'ping {{deal.id}}' }]) },
      [
        { kind: 'notify', slug: 'notify:0:9', userId: '9', message: 'ping 501', tag: 'stageguard:goal:501:requirements_received:0:9' },
        { kind: 'notify', slug: 'notify:0:8', userId: '8', message: 'ping 501', tag: 'stageguard:goal:501:requirements_received:0:8' },
      ], []],
    ['notify heads of sales when there are none', { ...at, config: (c) => { c.headsOfSales = []; reactions([{ type: 'notify', userIds: 'heads_of_sales', messageTemplate: 'x' }])(c); } },
      [], ['reaction 0 (notify): nobody to notify']],
    ['comment with a template', { ...at, config: reactions([{ type: 'comment', textTemplate: 'Goal reached on {{deal.title}} {{deal.unknown}}' }]) },
      [{ kind: 'comment', slug: 'comment:0', dealId: '501', text: 'Goal reached on Acme: 40 laptops ' }], []],
  ])('%s', (_name, c, actions, errors) => {
    expect(bitrixGoal(c)).toEqual({ actions, errors });
  });

  it('emits actions move → assign → client field → task → notify → comment, whatever the config order', () => {
    const outcome = bitrixGoal({
      ...at,
      config: reactions([
        { type: 'comment', textTemplate: 'c' },
        { type: 'notify', userIds: ['9'], messageTemplate: 'n' },
        { type: 'createTask', titleTemplate: 't', assignee: { userId: '7' }, due: { hours: 1 } },
        { type: 'setClientField', entity: 'company', field: 'F', value: 'v' },
        { type: 'assign', to: 'user', userId: '33' },
        { type: 'moveToStage', stageId: 'EXECUTING' },
        { type: 'comment', textTemplate: 'c2' },
      ]),
      fromDealField: true,
    });
    expect(outcome.actions.map((a) => a.slug)).toEqual(['move', 'assign', 'client-field:3', 'task:2', 'notify:1:9', 'comment:0', 'comment:6', 'clear-goal-mark']);
  });
});

describe('evaluateGoal: the B2B negotiation goals', () => {
  const negotiation = { stageId: B.negotiation };

  it('"requirements received": company status, a legal task for the next working day in Warsaw, a comment', () => {
    expect(b2bGoal({ ...negotiation, goalCode: 'requirements_received' })).toEqual({
      errors: [],
      actions: [
        { kind: 'set_client_field', slug: 'client-field:0', entity: 'company', entityId: '900', field: 'Client status', value: 'Negotiating' },
        {
          kind: 'create_task',
          slug: 'task:1',
          dealId: '501',
          title: 'Legal: approve contract for Acme: 40 laptops',
          description: '',
          responsibleId: '102',
          // Monday 16:00 in Warsaw (CET, UTC+1)
          deadline: '2025-03-17T15:00:00.000Z',
        },
        { kind: 'comment', slug: 'comment:2', dealId: '501', text: 'Requirements received; contract sent to legal.' },
        { kind: 'clear_goal_mark', slug: 'clear-goal-mark', dealId: '501' },
      ],
    });
  });

  it('"ready to buy": the best closer takes over, an invoice task in 4 hours, the heads of sales hear of it', () => {
    expect(b2bGoal({ ...negotiation, goalCode: 'ready_to_buy', fromDealField: false })).toEqual({
      errors: [],
      actions: [
        { kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '142-champion' },
        {
          kind: 'create_task',
          slug: 'task:1',
          dealId: '501',
          title: 'Send the invoice for Acme: 40 laptops (120000 PLN)',
          description: '',
          // "responsible" is the new one: the task is for whoever must act next
          responsibleId: '142-champion',
          deadline: '2025-03-14T16:00:00.000Z',
        },
        { kind: 'notify', slug: 'notify:2:100', userId: '100', message: 'Acme: 40 laptops is ready to buy', tag: 'stageguard:goal:501:ready_to_buy:2:100' },
      ],
    });
  });

  it('"refused": to Lost (amoCRM 143), company marked, head of sales told', () => {
    expect(b2bGoal({ ...negotiation, goalCode: 'refused', fromDealField: false }).actions).toEqual([
      { kind: 'move_stage', slug: 'move', dealId: '501', pipelineId: B2B_PIPELINE_ID, stageId: '143', reason: 'goal' },
      { kind: 'set_client_field', slug: 'client-field:1', entity: 'company', entityId: '900', field: 'Client status', value: 'Refused' },
      { kind: 'notify', slug: 'notify:2:100', userId: '100', message: 'Acme: 40 laptops: the client refused', tag: 'stageguard:goal:501:refused:2:100' },
    ]);
  });

  it('"postponed": a follow-up 15 working days out (over the weekends), the reason in the comment', () => {
    const outcome = b2bGoal({ ...negotiation, goalCode: 'postponed', fromDealField: false, deal: { fields: { 'Postpone reason': 'budget in Q3' } } });
    expect(outcome.actions).toEqual([
      // 15 working days after Friday 14 March: Friday 4 April, 16:00 CEST (DST began 30 March)
      { kind: 'create_task', slug: 'task:0', dealId: '501', title: 'Follow up on Acme: 40 laptops', description: '', responsibleId: '17', deadline: '2025-04-04T14:00:00.000Z' },
      { kind: 'comment', slug: 'comment:1', dealId: '501', text: 'Postponed by the client: budget in Q3' },
    ]);
  });

  it('"qualified": moved to Offer and handed to the Offer stage owner', () => {
    expect(b2bGoal({ stageId: B.qualification, goalCode: 'qualified', fromDealField: false }).actions).toEqual([
      { kind: 'move_stage', slug: 'move', dealId: '501', pipelineId: B2B_PIPELINE_ID, stageId: B.offer, reason: 'goal' },
      { kind: 'set_responsible', slug: 'assign', dealId: '501', userId: '101' },
    ]);
  });
});

import type { Pipeline, Stage, StageSemantics } from '../../domain/crm.js';
import type { RulesConfig } from '../rules-config.schema.js';

// Bitrix24's default deal pipeline ("category 0"): the stage ids every new portal starts with
// (crm.dealcategory.stage.list?id=0). Stages of other categories are prefixed "C<n>:".
const STAGES: [id: string, name: string, semantics: StageSemantics][] = [
  ['NEW', 'New', 'process'],
  ['PREPARATION', 'Preparing documents', 'process'],
  ['PREPAYMENT_INVOICE', 'Prepayment invoice', 'process'],
  ['EXECUTING', 'In progress', 'process'],
  ['FINAL_INVOICE', 'Final invoice', 'process'],
  ['WON', 'Deal won', 'success'],
  ['LOSE', 'Deal lost', 'failure'],
  ['APOLOGY', 'Analyze failure', 'failure'],
];

export function bitrix24DefaultPipelines(): Pipeline[] {
  const stages: Stage[] = STAGES.map(([id, name, semantics], i) => ({ id, pipelineId: '0', name, sort: (i + 1) * 10, semantics }));
  return [{ id: '0', name: 'General', sort: 10, isDefault: true, stages }];
}

/**
 * Documents and a prepayment invoice must not be skipped; a client who is ready to buy at first
 * contact may go straight from New to the final invoice. "Preparing documents" is where this pipeline
 * negotiates, so the negotiation goals live there. User ids: 1 = head of sales, 7 = legal.
 */
export function bitrix24DefaultRules(): RulesConfig {
  return {
    locale: 'ru',
    headsOfSales: ['1'],
    workingTime: { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: ['2025-01-01', '2025-05-09'] },
    pipelines: [
      {
        pipelineId: '0',
        stages: [
          { stageId: 'NEW', required: false, exitConditions: { fieldsFilled: [], goalsReached: [], nextContactPlanned: false }, maxDaysInStage: 3 },
          {
            stageId: 'PREPARATION',
            required: true,
            exitConditions: { fieldsFilled: ['amount', 'companyId'], goalsReached: ['requirements_received'], nextContactPlanned: false },
            maxDaysInStage: 10,
          },
          {
            stageId: 'PREPAYMENT_INVOICE',
            required: true,
            exitConditions: { fieldsFilled: ['amount', 'closeDate'], goalsReached: [], nextContactPlanned: true },
            maxDaysInStage: 7,
            ownerUserId: '5',
          },
          { stageId: 'EXECUTING', required: false, exitConditions: { fieldsFilled: [], goalsReached: [], nextContactPlanned: false }, maxDaysInStage: 30 },
        ],
        goals: [
          {
            code: 'ready_to_buy',
            stageId: 'NEW',
            title: { ru: 'Готов купить', en: 'Ready to buy' },
            reactions: [
              { type: 'notify', userIds: 'heads_of_sales', messageTemplate: 'Клиент готов купить: {{deal.title}} ({{deal.amount}})' },
              { type: 'comment', textTemplate: 'Клиент готов купить сразу — можно выставлять финальный счёт.' },
            ],
          },
          {
            code: 'requirements_received',
            stageId: 'PREPARATION',
            title: { ru: 'Требования получены', en: 'Requirements received' },
            reactions: [
              { type: 'moveToStage', stageId: 'PREPAYMENT_INVOICE' },
              { type: 'assign', to: 'best_converter' },
              { type: 'setClientField', entity: 'company', field: 'COMPANY_TYPE', value: 'CUSTOMER' },
              {
                type: 'createTask',
                titleTemplate: 'Legal: approve contract for {{deal.title}}',
                description: 'Сделка {{deal.id}}, сумма {{deal.amount}} {{deal.currency}}',
                assignee: { userId: '7' },
                due: { workingDays: 1 },
              },
              { type: 'comment', textTemplate: 'Требования клиента получены, договор передан юристам.' },
            ],
          },
          {
            code: 'refused',
            stageId: 'PREPARATION',
            title: { ru: 'Отказ', en: 'Refused' },
            reactions: [
              { type: 'moveToStage', stageId: 'LOSE' },
              { type: 'notify', userIds: 'heads_of_sales', messageTemplate: 'Отказ клиента: {{deal.title}}' },
            ],
          },
          {
            code: 'postponed',
            stageId: 'PREPARATION',
            title: { ru: 'Отложено', en: 'Postponed' },
            reactions: [
              { type: 'createTask', titleTemplate: 'Вернуться к сделке {{deal.title}}', assignee: 'responsible', due: { workingDays: 10 } },
              { type: 'comment', textTemplate: 'Клиент попросил вернуться позже.' },
            ],
          },
        ],
        skipping: {
          mode: 'alert',
          alertUserIds: ['1'],
          createFixTask: true,
          requireLossReasonField: 'UF_CRM_LOSS_REASON',
          fastTracks: [{ fromStageId: 'NEW', toStageId: 'FINAL_INVOICE', when: { goalReached: 'ready_to_buy' } }],
        },
      },
    ],
  };
}

import type { Pipeline, Stage } from '../../domain/crm.js';
import type { RulesConfig } from '../rules-config.schema.js';

// A five-stage B2B funnel as it looks on amoCRM: numeric ids, and the closing stages 142 (won) and
// 143 (lost) that amoCRM puts in every pipeline.
export const B2B_PIPELINE_ID = '7001';
export const B2B_STAGE = {
  identification: '61001',
  qualification: '61002',
  offer: '61003',
  negotiation: '61004',
  won: '142',
  lost: '143',
} as const;

export function b2bFiveStagePipelines(): Pipeline[] {
  const stage = (id: string, name: string, sort: number, semantics: Stage['semantics'] = 'process'): Stage => ({
    id,
    pipelineId: B2B_PIPELINE_ID,
    name,
    sort,
    semantics,
  });
  return [
    {
      id: B2B_PIPELINE_ID,
      name: 'B2B',
      sort: 1,
      isDefault: true,
      stages: [
        stage(B2B_STAGE.identification, 'Identification', 10),
        stage(B2B_STAGE.qualification, 'Qualification', 20),
        stage(B2B_STAGE.offer, 'Offer', 30),
        stage(B2B_STAGE.negotiation, 'Negotiation', 40),
        stage(B2B_STAGE.won, 'Won', 10000, 'success'),
        stage(B2B_STAGE.lost, 'Lost', 11000, 'failure'),
      ],
    },
  ];
}

/**
 * Qualification, Offer and Negotiation are required. Two fast tracks: a client whose needs are clear on
 * the first call goes from Identification straight to an Offer; a repeat customer skips Offer and
 * goes from Qualification to Negotiation. User ids: 100 = head of sales, 101 = offer desk, 102 = legal.
 * It also carries a discipline section; the Bitrix24 example has none and runs on the defaults.
 */
export function b2bFiveStageRules(): RulesConfig {
  const S = B2B_STAGE;
  return {
    locale: 'en',
    headsOfSales: ['100'],
    workingTime: { timeZone: 'Europe/Warsaw', days: [1, 2, 3, 4, 5], start: '08:00', end: '16:00', holidays: ['2025-11-11', '2025-12-25'] },
    pipelines: [
      {
        pipelineId: B2B_PIPELINE_ID,
        stages: [
          { stageId: S.identification, required: false, exitConditions: { fieldsFilled: ['contactId'], goalsReached: [], nextContactPlanned: false } },
          {
            stageId: S.qualification,
            required: true,
            exitConditions: { fieldsFilled: ['companyId'], goalsReached: ['qualified'], nextContactPlanned: false },
            maxDaysInStage: 14,
          },
          {
            stageId: S.offer,
            required: true,
            exitConditions: { fieldsFilled: ['amount'], goalsReached: [], nextContactPlanned: true },
            maxDaysInStage: 10,
            ownerUserId: '101',
          },
          {
            stageId: S.negotiation,
            required: true,
            exitConditions: { fieldsFilled: ['amount', 'closeDate'], goalsReached: ['ready_to_buy'], nextContactPlanned: false },
            maxDaysInStage: 21,
            ownerUserId: '100',
          },
        ],
        goals: [
          {
            code: 'needs_clear',
            stageId: S.identification,
            title: { ru: 'Потребность ясна с первого звонка', en: 'Needs clear on first call', pl: 'Potrzeby jasne od pierwszej rozmowy' },
            reactions: [{ type: 'comment', textTemplate: 'Needs are clear; an offer can follow directly.' }],
          },
          {
            code: 'qualified',
            stageId: S.qualification,
            title: { ru: 'Клиент квалифицирован', en: 'Qualified', pl: 'Zakwalifikowany' },
            reactions: [
              { type: 'moveToStage', stageId: S.offer },
              { type: 'assign', to: 'stage_owner' },
            ],
          },
          {
            code: 'requirements_received',
            stageId: S.negotiation,
            title: { ru: 'Требования получены', en: 'Requirements received', pl: 'Wymagania otrzymane' },
            reactions: [
              { type: 'setClientField', entity: 'company', field: 'Client status', value: 'Negotiating' },
              { type: 'createTask', titleTemplate: 'Legal: approve contract for {{deal.title}}', assignee: { userId: '102' }, due: { workingDays: 1 } },
              { type: 'comment', textTemplate: 'Requirements received; contract sent to legal.' },
            ],
          },
          {
            code: 'ready_to_buy',
            stageId: S.negotiation,
            title: { ru: 'Готов купить', en: 'Ready to buy', pl: 'Gotowy do zakupu' },
            reactions: [
              { type: 'assign', to: 'best_converter', stageId: S.won },
              { type: 'createTask', titleTemplate: 'Send the invoice for {{deal.title}} ({{deal.amount}} {{deal.currency}})', assignee: 'responsible', due: { hours: 4 } },
              { type: 'notify', userIds: 'heads_of_sales', messageTemplate: '{{deal.title}} is ready to buy' },
            ],
          },
          {
            code: 'refused',
            stageId: S.negotiation,
            title: { ru: 'Отказ', en: 'Refused', pl: 'Odmowa' },
            reactions: [
              { type: 'moveToStage', stageId: S.lost },
              { type: 'setClientField', entity: 'company', field: 'Client status', value: 'Refused' },
              { type: 'notify', userIds: ['100'], messageTemplate: '{{deal.title}}: the client refused' },
            ],
          },
          {
            code: 'postponed',
            stageId: S.negotiation,
            title: { ru: 'Отложено', en: 'Postponed', pl: 'Odłożone' },
            reactions: [
              { type: 'createTask', titleTemplate: 'Follow up on {{deal.title}}', assignee: 'responsible', due: { workingDays: 15 } },
              { type: 'comment', textTemplate: 'Postponed by the client: {{deal.fields.Postpone reason}}' },
            ],
          },
        ],
        skipping: {
          mode: 'enforce',
          alertUserIds: [],
          createFixTask: true,
          requireLossReasonField: 'Loss reason',
          fastTracks: [
            { fromStageId: S.identification, toStageId: S.offer, when: { goalReached: 'needs_clear' } },
            { fromStageId: S.qualification, toStageId: S.negotiation, when: { fieldEquals: { field: 'Repeat customer', value: 'yes' } } },
          ],
        },
        // Identification has no maxDaysInStage, so it stalls after 3 working days; the other stages
        // after their own maxDaysInStage (working days). Leads are answered within an hour of work.
        discipline: {
          stalledAfterWorkingDays: 3,
          requireNextContact: true,
          nextContactGraceHours: 4,
          firstResponseSlaMinutes: 60,
          escalateAfterHours: 24,
          overdueTasks: true,
          digest: { enabled: true, hourLocal: 8 },
        },
      },
    ],
  };
}

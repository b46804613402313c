import type { Deal, StageTransition } from '../../src/domain/crm.js';

/** A deal in Bitrix24's default pipeline with everything the example rules ask for filled in. */
export function dealAt(stageId: string, overrides: Partial<Deal> = {}): Deal {
  return {
    id: '501',
    pipelineId: '0',
    stageId,
    title: 'Acme: 40 laptops',
    responsibleId: '17',
    amount: 120000,
    currency: 'RUB',
    closeDate: '2025-04-30T00:00:00+03:00',
    probability: 60,
    companyId: '900',
    contactId: '901',
    createdAt: '2025-03-01T09:00:00+03:00',
    updatedAt: '2025-03-10T12:00:00+03:00',
    goalMark: null,
    fields: { UF_CRM_LOSS_REASON: 'Too expensive' },
    ...overrides,
  };
}

let historyId = 0;

/** One stage move; the deal's creation when `from` is null. */
export function move(from: string | null, to: string, overrides: Partial<StageTransition> = {}): StageTransition {
  historyId += 1;
  return {
    dealId: '501',
    pipelineId: '0',
    fromPipelineId: from === null ? null : '0',
    fromStageId: from,
    toStageId: to,
    at: '2025-03-10T09:00:00Z',
    byUserId: '17',
    hostHistoryId: `h${historyId}`,
    ...overrides,
  };
}

/** Transitions walking the deal through `stageIds` from its creation in the first one. */
export function walk(...stageIds: string[]): StageTransition[] {
  return stageIds.map((to, i) => move(i === 0 ? null : stageIds[i - 1], to));
}

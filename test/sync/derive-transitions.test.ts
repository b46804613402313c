import { deriveTransitions } from '../../src/sync/derive-transitions.js';
import type { StageHistoryEntry } from '../../src/domain/crm.js';

const h = (id: string, stageId: string, at: string, pipelineId = '0'): StageHistoryEntry => ({
  id,
  dealId: '7',
  pipelineId,
  stageId,
  at,
  byUserId: '3',
});

const created = h('1', 'NEW', '2026-11-01T10:00:00Z');
const prep = h('2', 'PREPARATION', '2026-11-02T10:00:00Z');
const invoice = h('3', 'PREPAYMENT_INVOICE', '2026-11-03T10:00:00Z');
const moved = h('4', 'C2:NEW', '2026-11-04T10:00:00Z', '2');

describe('deriveTransitions', () => {
  it.each([
    ['full history, nothing known', [created, prep, invoice], [], [
      [null, 'NEW'],
      ['NEW', 'PREPARATION'],
      ['PREPARATION', 'PREPAYMENT_INVOICE'],
    ]],
    ['history delivered in reverse order', [invoice, prep, created], [], [
      [null, 'NEW'],
      ['NEW', 'PREPARATION'],
      ['PREPARATION', 'PREPAYMENT_INVOICE'],
    ]],
    ['only the unknown rows are new, with their real predecessor', [created, prep, invoice], ['1', '2'], [['PREPARATION', 'PREPAYMENT_INVOICE']]],
    ['everything known: nothing new', [created, prep, invoice], ['1', '2', '3'], []],
    ['a move to another pipeline', [created, moved], ['1'], [['NEW', 'C2:NEW']]],
    ['a repeated stage row is not a move', [created, h('5', 'NEW', '2026-11-01T11:00:00Z'), prep], [], [
      [null, 'NEW'],
      ['NEW', 'PREPARATION'],
    ]],
    ['same second: host ids decide', [h('11', 'B', '2026-11-01T10:00:00Z'), h('10', 'A', '2026-11-01T10:00:00Z')], [], [
      [null, 'A'],
      ['A', 'B'],
    ]],
  ] as const)('%s', (_name, history, known, expected) => {
    const out = deriveTransitions([...history], new Set(known));
    expect(out.map((t) => [t.fromStageId, t.toStageId])).toEqual(expected);
  });

  it('carries pipeline ids for a cross-pipeline move', () => {
    const [t] = deriveTransitions([created, moved], new Set(['1']));
    expect(t).toMatchObject({ fromPipelineId: '0', pipelineId: '2', hostHistoryId: '4', at: '2026-11-04T10:00:00Z' });
  });
});

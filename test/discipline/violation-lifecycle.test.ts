import fc from 'fast-check';
import { DISCIPLINE_KINDS, type DisciplineFinding, type DisciplineKind } from '../../src/discipline/discipline-finding.js';
import { planViolationChanges, type OpenViolation, type ViolationPlan, type ViolationPlanInput } from '../../src/discipline/violation-lifecycle.js';

const NOW = new Date('2025-03-17T09:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

/** A finding reduced to what the lifecycle reads; the details do not matter to it. */
function finding(kind: DisciplineKind, dedupeKey: string, settledAt: string | null = null): DisciplineFinding {
  const shape = {
    kind,
    dedupeKey,
    entity: 'deal',
    dealId: dedupeKey.split(':')[1] ?? 'd',
    dealTitle: 'Acme',
    managerId: '17',
    pipelineId: '0',
    stageId: 'NEW',
    settledAt,
    details: {},
  };
  return shape as unknown as DisciplineFinding;
}

function violation(kind: string, dedupeKey: string, detectedHoursAgo: number, escalated = false): OpenViolation {
  return { kind, dedupeKey, detectedAt: hoursAgo(detectedHoursAgo), escalatedAt: escalated ? hoursAgo(1) : null };
}

const stalled = finding('deal_stalled', 'deal_stalled:1:NEW');
const lateAnswer = finding('slow_first_response', 'slow_first_response:2', '2025-03-17T07:17:00.000Z');
const SCAN = [...DISCIPLINE_KINDS];

const cases: [string, Partial<ViolationPlanInput>, Partial<ViolationPlan>][] = [
  ['a new finding is opened', { findings: [stalled] }, { open: [stalled] }],
  ['the same finding twice in one run is opened once', { findings: [stalled, stalled] }, { open: [stalled] }],
  ['already open, an hour old: nothing', { findings: [stalled], open: [violation('deal_stalled', stalled.dedupeKey, 1)] }, {}],
  ['open 23 h 59 min: not yet escalated', { findings: [stalled], open: [violation('deal_stalled', stalled.dedupeKey, 23 + 59 / 60)] }, {}],
  ['open 24 h: escalated', { findings: [stalled], open: [violation('deal_stalled', stalled.dedupeKey, 24)] }, { escalate: [stalled.dedupeKey] }],
  ['escalated before: not again', { findings: [stalled], open: [violation('deal_stalled', stalled.dedupeKey, 72, true)] }, {}],
  ['a shorter threshold escalates sooner', { findings: [stalled], open: [violation('deal_stalled', stalled.dedupeKey, 4)], escalateAfterHours: 4 }, { escalate: [stalled.dedupeKey] }],
  ['the condition cleared: resolved', { findings: [], open: [violation('deal_stalled', stalled.dedupeKey, 30, true)] }, { resolve: [stalled.dedupeKey] }],
  ['a transition violation is not the scan\'s to resolve', { findings: [], open: [violation('stage_skipped', 'transition:9:stage_skipped', 30)] }, {}],
  ['a kind left out of the scan is left alone', { findings: [], open: [violation('task_overdue', 'task_overdue:1:t1', 30)], scanKinds: ['deal_stalled'] }, {}],
  ['a late answer seen for the first time: opened and resolved at once', { findings: [lateAnswer] }, { open: [lateAnswer], resolve: [lateAnswer.dedupeKey] }],
  ['a late answer already on record: nothing', { findings: [lateAnswer], resolvedKeys: [lateAnswer.dedupeKey] }, {}],
  ['an unanswered deal that got its late answer: resolved, not escalated', { findings: [lateAnswer], open: [violation('slow_first_response', lateAnswer.dedupeKey, 48)] }, { resolve: [lateAnswer.dedupeKey] }],
];

describe('planViolationChanges', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const plan = planViolationChanges({ now: NOW, findings: [], open: [], escalateAfterHours: 24, scanKinds: SCAN, ...input });
    expect(plan).toEqual({ open: [], resolve: [], escalate: [], ...expected });
  });
});

// The shell's side of the plan, in memory: record the new ones, resolve, mark escalations.
function apply(state: { open: OpenViolation[]; resolvedKeys: string[] }, plan: ViolationPlan, now: Date) {
  const resolved = new Set(plan.resolve);
  const escalated = new Set(plan.escalate);
  const open = [
    ...state.open,
    ...plan.open.map((f) => ({ kind: f.kind, dedupeKey: f.dedupeKey, detectedAt: now.toISOString(), escalatedAt: null })),
  ]
    .filter((v) => !resolved.has(v.dedupeKey))
    .map((v) => (escalated.has(v.dedupeKey) ? { ...v, escalatedAt: now.toISOString() } : v));
  return { open, resolvedKeys: [...state.resolvedKeys, ...plan.resolve] };
}

describe('planViolationChanges: applying a plan leaves nothing to do', () => {
  const kind = fc.constantFrom<DisciplineKind>(...DISCIPLINE_KINDS);
  const keyOf = (k: string, n: number) => `${k}:${n}`;
  const findingArb = fc.record({ kind, n: fc.integer({ min: 0, max: 5 }), settled: fc.boolean() }).map(({ kind, n, settled }) =>
    finding(kind, keyOf(kind, n), settled && kind === 'slow_first_response' ? '2025-03-17T07:00:00.000Z' : null),
  );
  const openArb = fc.uniqueArray(
    fc.record({
      kind: fc.constantFrom<string>(...DISCIPLINE_KINDS, 'stage_skipped'),
      n: fc.integer({ min: 0, max: 5 }),
      age: fc.integer({ min: 0, max: 96 * 60 }),
      escalated: fc.boolean(),
    }),
    { selector: (v) => keyOf(v.kind, v.n) },
  );
  const inputArb = fc.record({
    findings: fc.array(findingArb, { maxLength: 12 }),
    open: openArb,
    resolvedKeys: fc.array(fc.record({ n: fc.integer({ min: 0, max: 5 }) }).map(({ n }) => keyOf('slow_first_response', n)), { maxLength: 3 }),
    scanKinds: fc.subarray<string>([...DISCIPLINE_KINDS]),
    escalateAfterHours: fc.integer({ min: 1, max: 72 }),
    laterMinutes: fc.integer({ min: 0, max: 48 * 60 }),
  });

  it('re-planning with the same inputs after applying yields nothing; later, at most escalations', () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const open = x.open.map((v) => ({
          kind: v.kind,
          dedupeKey: keyOf(v.kind, v.n),
          detectedAt: new Date(NOW.getTime() - v.age * 60_000).toISOString(),
          escalatedAt: v.escalated ? NOW.toISOString() : null,
        }));
        const base = { findings: x.findings, escalateAfterHours: x.escalateAfterHours, scanKinds: x.scanKinds };
        const first = planViolationChanges({ ...base, now: NOW, open, resolvedKeys: x.resolvedKeys });
        const state = apply({ open, resolvedKeys: x.resolvedKeys }, first, NOW);
        expect(planViolationChanges({ ...base, now: NOW, ...state })).toEqual({ open: [], resolve: [], escalate: [] });

        const then = new Date(NOW.getTime() + x.laterMinutes * 60_000);
        const later = planViolationChanges({ ...base, now: then, ...state });
        expect([later.open, later.resolve]).toEqual([[], []]);
        expect(planViolationChanges({ ...base, now: then, ...apply(state, later, then) })).toEqual({ open: [], resolve: [], escalate: [] });
      }),
      { numRuns: 500 },
    );
  });

  it('never opens a key that is already open, never resolves a kind outside the scan unless it settled', () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const open = x.open.map((v) => ({ kind: v.kind, dedupeKey: keyOf(v.kind, v.n), detectedAt: NOW.toISOString(), escalatedAt: null }));
        const plan = planViolationChanges({ now: NOW, findings: x.findings, open, escalateAfterHours: x.escalateAfterHours, scanKinds: x.scanKinds, resolvedKeys: x.resolvedKeys });
        const openKeys = new Set(open.map((v) => v.dedupeKey));
        expect(plan.open.filter((f) => openKeys.has(f.dedupeKey))).toEqual([]);
        const settled = new Set(x.findings.filter((f) => f.settledAt !== null).map((f) => f.dedupeKey));
        const outside = open.filter((v) => !x.scanKinds.includes(v.kind) && !settled.has(v.dedupeKey)).map((v) => v.dedupeKey);
        expect(plan.resolve.filter((k) => outside.includes(k))).toEqual([]);
        expect(new Set(plan.open.map((f) => f.dedupeKey)).size).toBe(plan.open.length);
      }),
      { numRuns: 300 },
    );
  });
});

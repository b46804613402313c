import type { DisciplineFinding } from './discipline-finding.js';

/** A violation row the shell has not resolved yet (violations.resolved_at IS NULL). */
export interface OpenViolation {
  kind: string;
  dedupeKey: string;
  detectedAt: string | Date;
  escalatedAt: string | Date | null;
}

export interface ViolationPlanInput {
  now: Date;
  /** This run's findings over the scan's scope (runDisciplineChecks). */
  findings: readonly DisciplineFinding[];
  /**
   * The open violations in the same scope: the same portal and pipeline as the findings. Violations
   * outside the scope must not be given, or they are resolved for not being found.
   */
  open: readonly OpenViolation[];
  escalateAfterHours: number;
  /** Kinds this run judged in full. Open violations of other kinds (transition checks) are left alone. */
  scanKinds: readonly string[];
  /**
   * Dedupe keys of settled findings (settledAt set) that were already recorded and resolved. The plan
   * cannot tell "recorded earlier" from "never seen" on its own; the shell looks these up by the
   * settled findings' keys. Omitted: none.
   */
  resolvedKeys?: readonly string[];
}

export interface ViolationPlan {
  /** New violations: record each and alert once. */
  open: DisciplineFinding[];
  /** Dedupe keys of open violations whose condition cleared (or settled): resolve them. */
  resolve: string[];
  /** Dedupe keys open longer than escalateAfterHours and not escalated yet: escalate once. */
  escalate: string[];
}

const HOUR = 3_600_000;

/**
 * From what is wrong now and what is already on record to the changes that make the record match:
 * - a finding with no open violation → open (a settled one is opened and resolved in one go, unless
 *   it is in resolvedKeys: a late first answer is told once and left as history);
 * - an open violation of a scan kind that no finding backs any more → resolve;
 * - an open violation whose finding has settled → resolve;
 * - an open violation still in force, older than escalateAfterHours and never escalated → escalate.
 * Applying the plan and planning again with the same inputs yields nothing: each change removes its
 * own cause (new ones are on record, resolved ones are gone, escalated ones carry escalatedAt).
 */
export function planViolationChanges(input: ViolationPlanInput): ViolationPlan {
  const { now } = input;
  const scanKinds = new Set(input.scanKinds);
  const resolvedKeys = new Set(input.resolvedKeys ?? []);
  const openByKey = new Map(input.open.map((v) => [v.dedupeKey, v]));
  const plan: ViolationPlan = { open: [], resolve: [], escalate: [] };
  const seen = new Set<string>();

  for (const finding of input.findings) {
    if (seen.has(finding.dedupeKey)) continue;
    seen.add(finding.dedupeKey);
    const existing = openByKey.get(finding.dedupeKey);
    if (finding.settledAt !== null) {
      if (existing) plan.resolve.push(finding.dedupeKey);
      else if (!resolvedKeys.has(finding.dedupeKey)) {
        plan.open.push(finding);
        plan.resolve.push(finding.dedupeKey);
      }
      continue;
    }
    if (!existing) {
      plan.open.push(finding);
      continue;
    }
    const age = now.getTime() - new Date(existing.detectedAt).getTime();
    if (existing.escalatedAt === null && age >= input.escalateAfterHours * HOUR) plan.escalate.push(finding.dedupeKey);
  }

  for (const [key, violation] of openByKey) {
    if (scanKinds.has(violation.kind) && !seen.has(key)) plan.resolve.push(key);
  }
  return plan;
}

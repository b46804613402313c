import type { ActionSpec } from '../domain/actions.js';
import type { Locale, WorkingTime } from '../rules/rules-config.schema.js';
import { isWorkingDate, localDateAt, zonedTimeToUtc } from '../rules/working-time.js';
import { DISCIPLINE_KINDS } from './discipline-finding.js';
import { disciplineMessages } from './discipline-messages.js';

/** An open finding or violation row: the digest counts kinds. */
export interface DigestFinding {
  kind: string;
}

export interface DigestInput {
  locale: Locale;
  /** Open findings by responsible manager; null is "nobody responsible". */
  openFindingsByManager: ReadonlyMap<string | null, readonly DigestFinding[]>;
  managerNames: Readonly<Record<string, string>>;
  /** Where the head of sales sees the list; null leaves the link out. */
  dashboardUrl: string | null;
  /** What the digest covers, e.g. the pipeline's name; null for the whole portal. */
  scope?: string | null;
}

// Scan kinds first in the order a head of sales reads them, then the transition kinds.
const KIND_ORDER = [...DISCIPLINE_KINDS, 'stage_skipped', 'exit_conditions_unmet', 'loss_reason_missing'];

/**
 * The daily text for a head of sales: the total, then one line per manager — most open findings
 * first, nobody-responsible last — with the count per kind, and the dashboard link.
 */
export function buildDigest(input: DigestInput): string {
  const messages = disciplineMessages(input.locale);
  const scope = input.scope ?? null;
  const rows = [...input.openFindingsByManager]
    .filter(([, findings]) => findings.length > 0)
    .map(([managerId, findings]) => ({
      managerId,
      name: managerId === null ? messages.unassigned : (input.managerNames[managerId] ?? `#${managerId}`),
      findings,
    }));
  const total = rows.reduce((sum, row) => sum + row.findings.length, 0);
  const link = input.dashboardUrl ? [messages.dashboard(input.dashboardUrl)] : [];
  if (total === 0) return [messages.digestEmpty(scope), ...link].join('\n');

  rows.sort(
    (a, b) =>
      Number(a.managerId === null) - Number(b.managerId === null) ||
      b.findings.length - a.findings.length ||
      a.name.localeCompare(b.name, input.locale),
  );
  const lines = rows.map((row) => {
    const byKind = new Map<string, number>();
    for (const f of row.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    const rank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
    const kinds = [...byKind]
      .sort(([ka, a], [kb, b]) => b - a || rank(ka) - rank(kb) || ka.localeCompare(kb))
      .map(([kind, n]) => `${messages.kindLabel(kind)} ${n}`);
    return `• ${row.name}: ${row.findings.length} — ${kinds.join(', ')}`;
  });
  return [messages.digestHeader(total, scope), ...lines, ...link].join('\n');
}

/** Groups open findings or violation rows by their manager, for buildDigest. */
export function groupByManager<T extends DigestFinding & { managerId: string | null }>(items: readonly T[]): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    const group = groups.get(item.managerId);
    if (group) group.push(item);
    else groups.set(item.managerId, [item]);
  }
  return groups;
}

/**
 * Today's digest time, once it has come: hourLocal:00 on the local date of `now`, on working dates
 * only (no digest on a Sunday or a holiday). Null before that hour or on a day off. The shell sends
 * when the slot is later than the last one it sent, so a tick that was missed is made up later that
 * day, and two ticks after the hour send once.
 */
export function digestSlot(now: Date, hourLocal: number, wt: WorkingTime): Date | null {
  const today = localDateAt(now, wt.timeZone);
  if (!isWorkingDate(today, wt)) return null;
  const slot = zonedTimeToUtc(today, hourLocal, 0, wt.timeZone);
  return now.getTime() >= slot.getTime() ? slot : null;
}

/**
 * The digest as actions: one notify per head of sales, each with its own tag (see disciplineAlerts),
 * under one cause key per scope and slot so a retried send records nothing twice.
 */
export function digestNotifications(args: { text: string; headsOfSales: readonly string[]; scopeKey: string; slot: Date }): {
  causeKey: string;
  actions: ActionSpec[];
} {
  return {
    causeKey: `discipline-digest:${args.scopeKey}:${args.slot.toISOString()}`,
    actions: [...new Set(args.headsOfSales)].map((userId) => ({
      kind: 'notify',
      slug: `notify:${userId}`,
      userId,
      message: args.text,
      tag: `stageguard:discipline-digest:${args.scopeKey}:${userId}`,
    })),
  };
}

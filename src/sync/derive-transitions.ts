import type { StageHistoryEntry, StageTransition } from '../domain/crm.js';

/**
 * The host's stage history is the truth; events only say "look again". Every history row becomes
 * one transition whose `from` is the row before it, so the order is the host's, whatever order the
 * events came in, and a row already known (by its host id) is never derived twice.
 */
export function deriveTransitions(history: StageHistoryEntry[], knownHostIds: ReadonlySet<string>): StageTransition[] {
  const ordered = [...history].sort(compareHistory);
  const out: StageTransition[] = [];
  let prev: StageHistoryEntry | null = null;
  for (const row of ordered) {
    // Bitrix24 may write a row that repeats the current stage (e.g. a category move that keeps the
    // same semantic stage); it is not a move.
    const repeats = prev !== null && prev.stageId === row.stageId && prev.pipelineId === row.pipelineId;
    if (!repeats && !knownHostIds.has(row.id)) {
      out.push({
        dealId: row.dealId,
        pipelineId: row.pipelineId,
        fromPipelineId: prev?.pipelineId ?? null,
        fromStageId: prev?.stageId ?? null,
        toStageId: row.stageId,
        at: row.at,
        byUserId: row.byUserId,
        hostHistoryId: row.id,
      });
    }
    if (!repeats) prev = row;
  }
  return out;
}

function compareHistory(a: StageHistoryEntry, b: StageHistoryEntry): number {
  const t = Date.parse(a.at) - Date.parse(b.at);
  if (t !== 0) return t;
  // Same second: the host's ids grow with time.
  const na = Number(a.id);
  const nb = Number(b.id);
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.id.localeCompare(b.id);
}

import type { CrmConnector } from '../connectors/crm-connector.js';
import type { ActionSpec } from '../domain/actions.js';
import { actionMarker } from './action.repository.js';

export interface ExecutionResult {
  outcome: 'done' | 'skipped';
  hostResultId: string | null;
  note?: string;
}

/**
 * Carries out one action through the connector. `attempt` > 1 means an earlier attempt may have
 * reached the host before its worker died: creates look for their marker first, and a move checks
 * where the deal already is, so a retry never makes a second task, comment or move.
 */
export async function executeAction(connector: CrmConnector, spec: ActionSpec, idempotencyKey: string, attempt: number): Promise<ExecutionResult> {
  const marker = actionMarker(idempotencyKey);
  switch (spec.kind) {
    case 'move_stage': {
      if (attempt > 1) {
        const current = await connector.getDealWithHistory(spec.dealId);
        if (!current) return { outcome: 'skipped', hostResultId: null, note: 'deal no longer exists' };
        if (current.deal.stageId === spec.stageId && current.deal.pipelineId === spec.pipelineId) {
          return { outcome: 'done', hostResultId: null, note: 'already at the stage' };
        }
      }
      await connector.moveDeal(spec.dealId, spec.pipelineId, spec.stageId);
      return { outcome: 'done', hostResultId: null };
    }
    case 'set_responsible':
      await connector.setResponsible(spec.dealId, spec.userId);
      return { outcome: 'done', hostResultId: null };
    case 'set_client_field':
      await connector.setClientField(spec.entity, spec.entityId, spec.field, spec.value);
      return { outcome: 'done', hostResultId: null };
    case 'clear_goal_mark':
      await connector.clearGoalMark(spec.dealId);
      return { outcome: 'done', hostResultId: null };
    case 'create_task': {
      if (attempt > 1) {
        const found = await connector.findTaskByMarker(marker, spec.dealId);
        if (found) return { outcome: 'done', hostResultId: found.id, note: 'found by marker' };
      }
      const task = await connector.createTask({
        dealId: spec.dealId,
        title: spec.title,
        description: spec.description,
        responsibleId: spec.responsibleId,
        deadline: spec.deadline,
        marker,
      });
      return { outcome: 'done', hostResultId: task.id };
    }
    case 'comment': {
      if (attempt > 1) {
        const found = await connector.findCommentByMarker(marker, spec.dealId);
        if (found) return { outcome: 'done', hostResultId: found.id, note: 'found by marker' };
      }
      const comment = await connector.addComment(spec.dealId, spec.text, marker);
      return { outcome: 'done', hostResultId: comment.id };
    }
    case 'notify':
      // A repeat with the same tag replaces the earlier notification on the host: at-least-once is safe.
      await connector.notify(spec.userId, spec.message, spec.tag);
      return { outcome: 'done', hostResultId: null };
    case 'write_metrics_record': {
      // Keyed by the record's own key on the host: a retry rewrites the one record, never adds one.
      if (!connector.writeMetricsRecord) return { outcome: 'skipped', hostResultId: null, note: `${connector.host} keeps no metrics record` };
      const written = await connector.writeMetricsRecord(spec.record);
      return { outcome: 'done', hostResultId: written.id };
    }
  }
}

import type { MetricsRecord } from './metrics-record.js';

// Writes to a host, as data. Rules produce them; src/actions executes them through a CrmConnector.
// `slug` is unique within one decision; the idempotency key is the cause's key + slug, so the same
// cause evaluated twice (duplicate event, job retry) maps onto the same recorded action.

export type ActionSpec =
  | { kind: 'move_stage'; slug: string; dealId: string; pipelineId: string; stageId: string; reason: 'goal' | 'rollback' }
  | { kind: 'set_responsible'; slug: string; dealId: string; userId: string }
  | { kind: 'set_client_field'; slug: string; entity: 'company' | 'contact'; entityId: string; field: string; value: string }
  | { kind: 'clear_goal_mark'; slug: string; dealId: string }
  | {
      kind: 'create_task';
      slug: string;
      dealId: string;
      title: string;
      description: string;
      responsibleId: string;
      /** ISO date-time. */
      deadline: string;
    }
  | { kind: 'notify'; slug: string; userId: string; message: string; /** a repeat with the same tag replaces the earlier one */ tag: string }
  | { kind: 'comment'; slug: string; dealId: string; text: string }
  | { kind: 'write_metrics_record'; slug: string; record: MetricsRecord };

export type ActionKind = ActionSpec['kind'];

import type { Activity, Deal, HostUser, Lead, Pipeline, StageHistoryEntry } from '../domain/crm.js';
import type { MetricsRecord } from '../domain/metrics-record.js';

/**
 * The one interface both hosts implement. Rules, sync, actions and reports only ever see this.
 * Every method throws HostApiError (host-api-error.ts) on failure; throttling is waited out inside.
 * Writes that create something take a `marker`: a string the connector stores inside the created
 * object (task XML_ID / description, comment text) so `find*ByMarker` can tell after a crash
 * whether the create already happened.
 */
export interface CrmConnector {
  readonly host: 'bitrix24' | 'amocrm';

  listPipelines(): Promise<Pipeline[]>;
  listUsers(): Promise<HostUser[]>;

  /** The deal and its full stage history in one round trip; null when the deal no longer exists. */
  getDealWithHistory(dealId: string): Promise<{ deal: Deal; history: StageHistoryEntry[] } | null>;
  /**
   * Several deals with their histories in as few round trips as the host allows (Bitrix24: one
   * batch for up to 25). Deals missing from the answer no longer exist.
   */
  getDealsWithHistory?(dealIds: string[]): Promise<Map<string, { deal: Deal; history: StageHistoryEntry[] }>>;
  getActivity(activityId: string): Promise<Activity | null>;
  /** Leads kept apart from deals (Bitrix24); absent where a lead is a deal (amoCRM). Missing ids are gone. */
  getLeads?(leadIds: string[]): Promise<Map<string, Lead>>;
  listLeadsModifiedSince?(since: Date, afterId?: string): Promise<{ leads: Lead[]; nextAfterId: string | null }>;
  /** Completion and deadline of tasks we created (the overdue-task check); missing ids are gone. */
  getTaskStates?(taskIds: string[]): Promise<Map<string, { completed: boolean; deadline: string | null }>>;
  /** Deals modified at or after `since`, paged by id. */
  listDealsModifiedSince(since: Date, afterId?: string): Promise<{ deals: Deal[]; nextAfterId: string | null }>;
  listActivitiesModifiedSince(since: Date, afterId?: string): Promise<{ activities: Activity[]; nextAfterId: string | null }>;
  listStageHistory(dealIds: string[]): Promise<StageHistoryEntry[]>;

  moveDeal(dealId: string, pipelineId: string, stageId: string): Promise<void>;
  setResponsible(dealId: string, userId: string): Promise<void>;
  clearGoalMark(dealId: string): Promise<void>;
  setClientField(entity: 'company' | 'contact', entityId: string, field: string, value: string): Promise<void>;

  createTask(task: { dealId: string; title: string; description: string; responsibleId: string; deadline: string; marker: string }): Promise<{ id: string }>;
  findTaskByMarker(marker: string, dealId: string): Promise<{ id: string } | null>;
  addComment(dealId: string, text: string, marker: string): Promise<{ id: string }>;
  findCommentByMarker(marker: string, dealId: string): Promise<{ id: string } | null>;
  /** Notifications cannot be looked up afterwards: the tag makes a repeat replace, not duplicate. */
  notify(userId: string, message: string, tag: string): Promise<void>;
  /**
   * Creates or rewrites the host-side metrics record with this key (Bitrix24: a universal-list
   * element, by its code). Writing the same record twice leaves one. Absent on a host without one.
   */
  writeMetricsRecord?(record: MetricsRecord): Promise<{ id: string | null }>;
}

import type { Activity, Deal, Pipeline, StageSemantics } from '../domain/crm.js';
import type { PipelineRules, WorkingTime } from '../rules/rules-config.schema.js';

/** A deal as the scan needs it: a Deal (or its projection row) plus where it stands in its stage. */
export interface DisciplineDeal extends Pick<Deal, 'id' | 'title' | 'stageId' | 'responsibleId' | 'createdAt'> {
  /** ISO: when the deal entered its current stage (its creation if it never moved). */
  stageEnteredAt: string;
  /** Only 'process' deals are open; won and lost deals are left alone. */
  stageSemantics: StageSemantics;
}

/**
 * An activity on the deal. Activity has no completion time; where the host gives one (Bitrix24's
 * activity END_TIME on completion, amoCRM's task updated_at when is_completed flips) pass it, and a
 * completed activity counts as a sign of life then. Without it, at its start or deadline.
 */
export interface DisciplineActivity extends Activity {
  completedAt?: string | null;
}

/** A task Stageguard created on the host (a fix task, a goal reaction's task). */
export interface StageguardTask {
  id: string;
  dealId: string;
  /** The assignee: the one who is late. */
  responsibleId: string | null;
  title?: string | null;
  /** ISO. */
  deadline: string;
  completed: boolean;
}

/** Everything one scan of one pipeline of one portal looks at. Pure data; `now` is the scan's clock. */
export interface DisciplineScanInput {
  now: Date;
  pipeline: Pipeline;
  /** This pipeline's rules; its discipline section (or the defaults) and stages' maxDaysInStage. */
  rules: PipelineRules;
  workingTime: WorkingTime;
  /** The pipeline's deals. Closed ones may be included: they are judged only for a late first response. */
  deals: readonly DisciplineDeal[];
  /** Each deal's activities (not deleted), by deal id; a deal missing here has none. */
  activitiesByDeal: Readonly<Record<string, readonly DisciplineActivity[]>>;
  /** Open and completed tasks Stageguard created on these deals. */
  tasks: readonly StageguardTask[];
  /**
   * Deals created before this instant are not judged for their first response: their first contact
   * may predate what the projection knows (history imported at install). Typically the install time.
   * Null judges every deal given.
   */
  firstResponseSince: Date | null;
}

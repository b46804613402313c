import type { Deal } from '../domain/crm.js';
import type { StageRule } from './rules-config.schema.js';
import { isDealFieldFilled } from './deal-fields.js';

export interface MissingConditions {
  /** Deal field names as written in the config. */
  fields: string[];
  /** Goal codes. */
  goals: string[];
  nextContact: boolean;
}

/** What the deal still lacks to leave its stage forward; null when nothing. */
export function unmetExitConditions(
  stage: StageRule | undefined,
  deal: Deal,
  reachedGoals: readonly string[],
  hasPlannedNextContact: boolean,
): MissingConditions | null {
  if (!stage) return null;
  const { fieldsFilled, goalsReached, nextContactPlanned } = stage.exitConditions;
  const missing: MissingConditions = {
    fields: fieldsFilled.filter((field) => !isDealFieldFilled(deal, field)),
    goals: goalsReached.filter((code) => !reachedGoals.includes(code)),
    nextContact: nextContactPlanned && !hasPlannedNextContact,
  };
  const anything = missing.fields.length > 0 || missing.goals.length > 0 || missing.nextContact;
  return anything ? missing : null;
}

import { allPolicies, type QueuePolicy } from '../../src/queue/queue-policies.js';
import { bitrix24DefaultRules, type RulesConfig } from '../../src/rules/index.js';

/** Retries run at once in tests, so a drain sees them (no sleeps, no waiting out a backoff). */
export function immediateRetryPolicies(): QueuePolicy[] {
  return allPolicies().map((p) => ({ ...p, retryDelay: 0, retryBackoff: false }));
}

/**
 * The scenario config on Bitrix24's default pipeline, with the sandbox's people: heads of sales 1
 * and 2, the legal task to user 1, "requirements received" hands the deal to manager 5.
 */
export function scenarioRules(mode: 'alert' | 'enforce'): RulesConfig {
  const c = bitrix24DefaultRules();
  c.headsOfSales = ['1', '2'];
  c.locale = 'en';
  // Every day is a working day here, so the deadline arithmetic does not depend on the weekday the suite runs.
  c.workingTime = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '18:00', holidays: [] };
  const p = c.pipelines[0]!;
  p.skipping.mode = mode;
  p.skipping.alertUserIds = ['1', '2'];
  p.skipping.requireLossReasonField = undefined;
  const goal = p.goals.find((g) => g.code === 'requirements_received')!;
  goal.reactions = goal.reactions.map((r) => {
    if (r.type === 'assign') return { type: 'assign', to: 'user', userId: '5' };
    if (r.type === 'createTask') return { ...r, assignee: { userId: '1' } };
    return r;
  });
  return c;
}

import type { z } from 'zod';
import type { Pipeline } from '../domain/crm.js';
import { rulesConfigSchema, type RulesConfig } from './rules-config.schema.js';
import { crossCheckRulesConfig } from './rules-config.cross-check.js';

export interface RulesConfigError {
  /** Dot path into the submitted JSON, e.g. `pipelines.0.goals.2.reactions.0.stageId`. */
  path: string;
  message: string;
}

export type RulesConfigValidation = { ok: true; config: RulesConfig } | { ok: false; errors: RulesConfigError[] };

/**
 * Shape first, then references against the host's pipelines. Cross-checks only run on a
 * well-shaped config: on a broken shape they would mostly repeat the same mistake in other words.
 */
export function validateRulesConfig(input: unknown, pipelines: Pipeline[]): RulesConfigValidation {
  const parsed = rulesConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.flatMap((issue) => toErrors(issue)) };
  const errors = crossCheckRulesConfig(parsed.data, pipelines);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: parsed.data };
}

function toErrors(issue: z.core.$ZodIssue, prefix: PropertyKey[] = []): RulesConfigError[] {
  const path = [...prefix, ...issue.path].map(String);
  // When no union branch fits, zod keeps every branch's complaints. The branch with strictly fewest is
  // what the user meant ({"workingDays": 1.5} is a bad workingDays, not a bad hours); on a tie the
  // union's own message, which lists the accepted forms, says more.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const sizes = issue.errors.map((branch) => branch.length);
    const fewest = Math.min(...sizes);
    if (sizes.filter((n) => n === fewest).length === 1) {
      return issue.errors[sizes.indexOf(fewest)].flatMap((inner) => toErrors(inner, path));
    }
  }
  // zod reports unknown keys on the parent object; the UI wants to point at the key itself.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: `unknown field "${key}"` }));
  }
  return [{ path: path.join('.'), message: issue.message }];
}

import { z } from 'zod';

// Shape only. Whether ids point at real stages, codes are unique, etc. is checked against the host's
// pipelines in rules-config.validate.ts, because the schema alone cannot know them.
// Objects are strict so a misspelt key (`requried`) is reported instead of silently ignored.

const id = z.string().trim().min(1);
const goalCode = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, "_" or "-"');
const template = z.string().min(1);

export const LOCALES = ['ru', 'en', 'pl'] as const;
export const localeSchema = z.enum(LOCALES);

const localizedText = z.strictObject({ ru: z.string().min(1), en: z.string().min(1), pl: z.string().min(1).optional() });

const exitConditionsSchema = z.strictObject({
  fieldsFilled: z.array(z.string().min(1)).default([]),
  goalsReached: z.array(goalCode).default([]),
  nextContactPlanned: z.boolean().default(false),
});

export const stageRuleSchema = z.strictObject({
  stageId: id,
  required: z.boolean(),
  exitConditions: exitConditionsSchema.default({ fieldsFilled: [], goalsReached: [], nextContactPlanned: false }),
  /** WORKING days; a deal idle this long in the stage is stalled (overrides discipline.stalledAfterWorkingDays). */
  maxDaysInStage: z.number().positive().optional(),
  ownerUserId: id.optional(),
});

const moveToStage = z.strictObject({ type: z.literal('moveToStage'), stageId: id });

// stageId on stage_owner / best_converter: whose stage counts. Omitted, it is the goal's own
// moveToStage target, or the goal's stage when the goal does not move the deal.
const assign = z.discriminatedUnion('to', [
  z.strictObject({ type: z.literal('assign'), to: z.literal('user'), userId: id }),
  z.strictObject({ type: z.literal('assign'), to: z.literal('stage_owner'), stageId: id.optional() }),
  z.strictObject({ type: z.literal('assign'), to: z.literal('best_converter'), stageId: id.optional() }),
]);

const setClientField = z.strictObject({
  type: z.literal('setClientField'),
  entity: z.enum(['company', 'contact']),
  field: z.string().min(1),
  value: z.string(),
});

export const taskDueSchema = z.union(
  [z.strictObject({ hours: z.number().positive() }), z.strictObject({ workingDays: z.number().int().positive() })],
  { error: 'expected {"hours": n} or {"workingDays": n}' },
);

const taskAssignee = z.union([z.literal('responsible'), z.literal('head_of_sales'), z.strictObject({ userId: id })], {
  error: 'expected "responsible", "head_of_sales" or {"userId": "..."}',
});

const createTask = z.strictObject({
  type: z.literal('createTask'),
  titleTemplate: template,
  description: z.string().optional(),
  assignee: taskAssignee,
  due: taskDueSchema,
});

const notify = z.strictObject({
  type: z.literal('notify'),
  userIds: z.union([z.array(id).min(1), z.literal('heads_of_sales')], {
    error: 'expected a non-empty list of user ids or "heads_of_sales"',
  }),
  messageTemplate: template,
});

const comment = z.strictObject({ type: z.literal('comment'), textTemplate: template });

export const reactionSchema = z.discriminatedUnion('type', [moveToStage, assign, setClientField, createTask, notify, comment]);

export const goalRuleSchema = z.strictObject({
  code: goalCode,
  stageId: id,
  title: localizedText,
  reactions: z.array(reactionSchema).default([]),
});

const fastTrackCondition = z.union(
  [
    z.strictObject({ goalReached: goalCode }),
    z.strictObject({
      fieldEquals: z.strictObject({ field: z.string().min(1), value: z.union([z.string(), z.number(), z.boolean()]) }),
    }),
  ],
  { error: 'expected {"goalReached": code} or {"fieldEquals": {"field", "value"}}' },
);

export const fastTrackSchema = z.strictObject({ fromStageId: id, toStageId: id, when: fastTrackCondition });

export const skippingRulesSchema = z.strictObject({
  mode: z.enum(['off', 'alert', 'enforce']),
  alertUserIds: z.array(id).default([]),
  createFixTask: z.boolean().default(false),
  requireLossReasonField: z.string().min(1).optional(),
  fastTracks: z.array(fastTrackSchema).default([]),
});

export const disciplineDigestSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Local hour (portal time zone) on working days when the heads of sales get it. */
  hourLocal: z.number().int().min(0).max(23).default(9),
});

/**
 * The scheduled checks (src/discipline). A stage's maxDaysInStage is read as WORKING days and, where
 * set, replaces stalledAfterWorkingDays for that stage. Every key has a default, so `{}` is a complete
 * section; see disciplineOf for a pipeline without one.
 */
export const disciplineSchema = z.strictObject({
  /** An open deal with no activity and no stage change for this many working days is stalled. */
  stalledAfterWorkingDays: z.number().int().positive().default(5),
  /** An open deal must always have a planned contact, and not let it pass. */
  requireNextContact: z.boolean().default(true),
  /** Calendar hours after the last activity (or stage entry) before a missing next contact counts. */
  nextContactGraceHours: z.number().min(0).default(0),
  /** WORKING minutes from a deal's creation to its first call, email, chat or meeting. */
  firstResponseSlaMinutes: z.number().int().positive().default(30),
  /** Calendar hours an alerted violation may stay open before the heads of sales are told. */
  escalateAfterHours: z.number().positive().default(24),
  /** Report tasks that Stageguard created and that are past their deadline. */
  overdueTasks: z.boolean().default(true),
  digest: disciplineDigestSchema.prefault({}),
});

export const pipelineRulesSchema = z.strictObject({
  pipelineId: id,
  stages: z.array(stageRuleSchema).default([]),
  goals: z.array(goalRuleSchema).default([]),
  skipping: skippingRulesSchema,
  // Optional rather than defaulted: configs stored before the section existed parse back unchanged
  // (versioned configs are compared and shown as they were saved). Read it through disciplineOf.
  discipline: disciplineSchema.optional(),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const workingTimeSchema = z.strictObject({
  timeZone: z.string().min(1),
  days: z.array(z.number().int().min(1).max(7)).min(1),
  start: hhmm,
  end: hhmm,
  holidays: z.array(isoDate).default([]),
});

/**
 * What Stageguard writes back to the host from the reports, once a day at hourLocal on working days
 * (src/reports/writeback): the heads of sales' metrics digest, each planned manager's KPI line, and
 * the per-manager metrics record (Bitrix24: the universal list made at install).
 */
export const reportsWritebackSchema = z.strictObject({
  hourLocal: z.number().int().min(0).max(23).default(9),
  /** daily: since the previous working day; weekly: the past ISO week, on the first working day of the next. */
  digest: z.enum(['daily', 'weekly', 'off']).default('daily'),
  kpiLine: z.boolean().default(true),
  hostRecord: z.boolean().default(true),
});

export const rulesConfigSchema = z.strictObject({
  locale: localeSchema,
  headsOfSales: z.array(id).default([]),
  workingTime: workingTimeSchema,
  pipelines: z.array(pipelineRulesSchema),
  // Optional for the same reason as a pipeline's discipline: read it through reportsOf.
  reports: reportsWritebackSchema.optional(),
});

export type Locale = z.infer<typeof localeSchema>;
export type LocalizedText = z.infer<typeof localizedText>;
export type ExitConditions = z.infer<typeof exitConditionsSchema>;
export type StageRule = z.infer<typeof stageRuleSchema>;
export type Reaction = z.infer<typeof reactionSchema>;
export type TaskDue = z.infer<typeof taskDueSchema>;
export type GoalRule = z.infer<typeof goalRuleSchema>;
export type FastTrack = z.infer<typeof fastTrackSchema>;
export type SkippingRules = z.infer<typeof skippingRulesSchema>;
export type PipelineRules = z.infer<typeof pipelineRulesSchema>;
export type DisciplineRules = z.infer<typeof disciplineSchema>;
export type WorkingTime = z.infer<typeof workingTimeSchema>;
export type ReportsWriteback = z.infer<typeof reportsWritebackSchema>;
export type RulesConfig = z.infer<typeof rulesConfigSchema>;
/** What a caller may send: defaults not yet applied. */
export type RulesConfigInput = z.input<typeof rulesConfigSchema>;

/** The pipeline's discipline settings, with every default filled in when it has no section. */
export function disciplineOf(rules: Pick<PipelineRules, 'discipline'>): DisciplineRules {
  return rules.discipline ?? disciplineSchema.parse({});
}

/** The portal's write-back settings, with every default filled in when the config has no section. */
export function reportsOf(config: Pick<RulesConfig, 'reports'>): ReportsWriteback {
  return config.reports ?? reportsWritebackSchema.parse({});
}

import type { Pipeline } from '../domain/crm.js';
import type { PipelineRules, Reaction, RulesConfig, WorkingTime } from './rules-config.schema.js';
import type { RulesConfigError } from './rules-config.validate.js';
import { parseIsoDate, isValidTimeZone, minutesOfDay } from './working-time.js';
import { defaultReactionStageId } from './goal-stage.js';

type Report = (path: (string | number)[], message: string) => void;

/** Checks that need the host's pipelines or span several parts of the config. */
export function crossCheckRulesConfig(config: RulesConfig, pipelines: Pipeline[]): RulesConfigError[] {
  const errors: RulesConfigError[] = [];
  const report: Report = (path, message) => errors.push({ path: path.join('.'), message });

  checkWorkingTime(config.workingTime, (path, message) => report(['workingTime', ...path], message));
  // As with a pipeline's discipline section, only a reports section the user wrote is checked.
  if (config.reports && config.reports.digest !== 'off' && config.headsOfSales.length === 0) {
    report(['reports', 'digest'], 'the metrics digest goes to headsOfSales, which is empty: set headsOfSales or set the digest to "off"');
  }

  const seenPipelines = new Set<string>();
  config.pipelines.forEach((rules, i) => {
    const at: Report = (path, message) => report(['pipelines', i, ...path], message);
    if (seenPipelines.has(rules.pipelineId)) at(['pipelineId'], `pipeline "${rules.pipelineId}" is configured twice`);
    seenPipelines.add(rules.pipelineId);
    const pipeline = pipelines.find((p) => p.id === rules.pipelineId);
    if (!pipeline) {
      at(['pipelineId'], `unknown pipeline "${rules.pipelineId}"`);
      return;
    }
    checkPipelineRules(rules, pipeline, config, at);
  });
  return errors;
}

function checkPipelineRules(rules: PipelineRules, pipeline: Pipeline, config: RulesConfig, at: Report): void {
  const stageById = new Map(pipeline.stages.map((s) => [s.id, s]));
  const stageRef = (path: (string | number)[], stageId: string): boolean => {
    if (stageById.has(stageId)) return true;
    at(path, `stage "${stageId}" is not in pipeline "${pipeline.name}" (${pipeline.id})`);
    return false;
  };
  const goalCodes = new Set(rules.goals.map((g) => g.code));
  const goalRef = (path: (string | number)[], code: string): void => {
    if (!goalCodes.has(code)) at(path, `unknown goal "${code}" in this pipeline`);
  };

  const seenStages = new Set<string>();
  rules.stages.forEach((stage, j) => {
    if (!stageRef(['stages', j, 'stageId'], stage.stageId)) return;
    if (seenStages.has(stage.stageId)) at(['stages', j, 'stageId'], `stage "${stage.stageId}" is configured twice`);
    seenStages.add(stage.stageId);
    if (stage.required && stageById.get(stage.stageId)?.semantics !== 'process') {
      at(['stages', j, 'required'], 'only an in-process stage can be required; won and lost stages end the funnel');
    }
    stage.exitConditions.goalsReached.forEach((code, k) => goalRef(['stages', j, 'exitConditions', 'goalsReached', k], code));
  });

  const seenCodes = new Set<string>();
  rules.goals.forEach((goal, k) => {
    const goalAt: Report = (path, message) => at(['goals', k, ...path], message);
    if (seenCodes.has(goal.code)) goalAt(['code'], `goal code "${goal.code}" is used twice in this pipeline`);
    seenCodes.add(goal.code);
    stageRef(['goals', k, 'stageId'], goal.stageId);
    const counts = { moveToStage: 0, assign: 0 };
    goal.reactions.forEach((reaction, r) => {
      const reactionAt: Report = (path, message) => goalAt(['reactions', r, ...path], message);
      if (reaction.type === 'moveToStage' || reaction.type === 'assign') {
        counts[reaction.type] += 1;
        // Two moves or two assignees would race each other on the host; the later would silently win.
        if (counts[reaction.type] > 1) reactionAt(['type'], `a goal can have only one "${reaction.type}" reaction`);
      }
      const reactionStageRef = (path: (string | number)[], stageId: string) =>
        stageRef(['goals', k, 'reactions', r, ...path], stageId);
      checkReaction(reaction, goal.stageId, goal.reactions, config, rules, reactionStageRef, reactionAt);
    });
  });

  const skipping = rules.skipping;
  if (skipping.mode === 'alert' && skipping.alertUserIds.length === 0 && config.headsOfSales.length === 0) {
    at(['skipping', 'alertUserIds'], 'alert mode needs someone to alert: list user ids here or set headsOfSales');
  }
  skipping.fastTracks.forEach((track, t) => {
    const fromOk = stageRef(['skipping', 'fastTracks', t, 'fromStageId'], track.fromStageId);
    const toOk = stageRef(['skipping', 'fastTracks', t, 'toStageId'], track.toStageId);
    if (fromOk && toOk && stageById.get(track.toStageId)!.sort <= stageById.get(track.fromStageId)!.sort) {
      at(['skipping', 'fastTracks', t, 'toStageId'], 'a fast track must lead forward, to a later stage');
    }
    if ('goalReached' in track.when) goalRef(['skipping', 'fastTracks', t, 'when', 'goalReached'], track.when.goalReached);
  });

  checkDiscipline(rules, config, (path, message) => at(['discipline', ...path], message));
}

/**
 * Only a section the user wrote is checked: the defaults (digest on) must not turn a config saved
 * before discipline existed, or one without headsOfSales, into an invalid one.
 */
function checkDiscipline(rules: PipelineRules, config: RulesConfig, at: Report): void {
  const discipline = rules.discipline;
  if (!discipline) return;
  if (discipline.digest.enabled && config.headsOfSales.length === 0) {
    at(['digest', 'enabled'], 'the digest goes to headsOfSales, which is empty: set headsOfSales or turn the digest off');
  }
}

function checkReaction(
  reaction: Reaction,
  goalStageId: string,
  siblings: Reaction[],
  config: RulesConfig,
  rules: PipelineRules,
  stageRef: (path: (string | number)[], stageId: string) => boolean,
  at: Report,
): void {
  switch (reaction.type) {
    case 'moveToStage':
      if (stageRef(['stageId'], reaction.stageId) && reaction.stageId === goalStageId) {
        at(['stageId'], 'the goal already belongs to this stage; moving there does nothing');
      }
      return;
    case 'assign': {
      if (reaction.to === 'user') return;
      if (reaction.stageId !== undefined && !stageRef(['stageId'], reaction.stageId)) return;
      if (reaction.to === 'stage_owner') {
        const stageId = reaction.stageId ?? defaultReactionStageId(goalStageId, siblings);
        if (!rules.stages.find((s) => s.stageId === stageId)?.ownerUserId) {
          at(['to'], `stage "${stageId}" has no ownerUserId in stages`);
        }
      }
      return;
    }
    case 'createTask':
      if (reaction.assignee === 'head_of_sales' && config.headsOfSales.length === 0) {
        at(['assignee'], 'headsOfSales is empty');
      }
      return;
    case 'notify':
      if (reaction.userIds === 'heads_of_sales' && config.headsOfSales.length === 0) at(['userIds'], 'headsOfSales is empty');
      return;
    case 'setClientField':
    case 'comment':
      return;
  }
}

function checkWorkingTime(wt: WorkingTime, at: Report): void {
  if (!isValidTimeZone(wt.timeZone)) at(['timeZone'], `unknown IANA time zone "${wt.timeZone}"`);
  wt.days.forEach((day, i) => {
    if (wt.days.indexOf(day) !== i) at(['days', i], `day ${day} is listed twice`);
  });
  if (minutesOfDay(wt.end) <= minutesOfDay(wt.start)) at(['end'], 'the working day must end after it starts');
  wt.holidays.forEach((date, i) => {
    if (!parseIsoDate(date)) at(['holidays', i], `"${date}" is not a calendar date`);
  });
}

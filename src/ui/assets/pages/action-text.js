// What an action did or will do, in words, for the deal tab and the violations list.
import { formatDateTime } from '../components.js';
import { t } from '../i18n.js';

export function actionSummary(spec, names) {
  if (!spec) return '';
  switch (spec.kind) {
    case 'move_stage':
      return t('action.move_stage', { stage: names.stage(spec.stageId, spec.pipelineId) });
    case 'set_responsible':
      return t('action.set_responsible', { user: names.user(spec.userId) });
    case 'set_client_field':
      return t('action.set_client_field', { field: spec.field, value: spec.value });
    case 'clear_goal_mark':
      return t('action.clear_goal_mark');
    case 'create_task':
      return t('action.create_task', { title: spec.title, user: names.user(spec.responsibleId), due: formatDateTime(spec.deadline) });
    case 'notify':
      return t('action.notify', { user: names.user(spec.userId) });
    case 'comment':
      return t('action.comment', { text: spec.text });
    default:
      return spec.kind;
  }
}

export const ACTION_TONE = { pending: 'info', running: 'info', done: 'good', failed: 'bad', skipped: 'muted' };

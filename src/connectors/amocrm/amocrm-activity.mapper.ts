import type { Activity, ActivityKind } from '../../domain/crm.js';
import { amoIso } from './amocrm-lead.mapper.js';
import { isNotifyTaskText } from './amocrm-marker.js';
import type { AmoNote, AmoTask } from './amocrm-wire.types.js';

// Tasks and notes are separate id spaces on amoCRM, and notes live under their parent's endpoint
// (/api/v4/leads/notes/{id}), so an Activity id names where to read it again:
// `task:{id}` or `note:{leads|contacts|companies}:{id}` (the webhook parser makes the same ids).

export type AmoNoteParent = 'leads' | 'contacts' | 'companies';
export type AmoActivityRef = { type: 'task'; id: number } | { type: 'note'; parent: AmoNoteParent; id: number };

export function parseAmoActivityId(activityId: string): AmoActivityRef | null {
  const task = /^task:(\d+)$/.exec(activityId);
  if (task) return { type: 'task', id: Number(task[1]) };
  const note = /^note:(leads|contacts|companies):(\d+)$/.exec(activityId);
  if (note) return { type: 'note', parent: note[1] as AmoNoteParent, id: Number(note[2]) };
  return null;
}

/**
 * Default task types: 1 = call / follow-up, 2 = meeting; others are the account's own (tasks-api).
 * A follow-up task is a plan to call, not a call (calls arrive as call_in/call_out notes), so it
 * stays a 'task'; a meeting has no other record on amoCRM than its task, so it is the meeting.
 */
const TASK_KINDS: Record<number, ActivityKind> = { 2: 'meeting' };

/** null for our own notification tasks: they are messages to a manager, not work on a deal. */
export function amoTaskToActivity(task: AmoTask): Activity | null {
  if (isNotifyTaskText(task.text)) return null;
  const created = amoIso(task.created_at) ?? new Date(0).toISOString();
  const deadline = amoIso(task.complete_till);
  return {
    id: `task:${task.id}`,
    kind: TASK_KINDS[task.task_type_id] ?? 'task',
    direction: null,
    durationSec: typeof task.duration === 'number' && task.duration > 0 ? task.duration : null,
    completed: task.is_completed === true,
    responsibleId: task.responsible_user_id ? String(task.responsible_user_id) : null,
    dealIds: task.entity_type === 'leads' && task.entity_id ? [String(task.entity_id)] : [],
    subject: task.text ?? '',
    createdAt: created,
    // A task is due at complete_till; a meeting is also planned for then.
    startAt: task.task_type_id === 2 ? deadline : null,
    deadline,
  };
}

/**
 * Notes that are sales activity (events-and-notes note types): calls (params.duration in seconds,
 * params.phone), mail, SMS and chat. Every other note (common, service messages, attachments) is
 * not an activity: null.
 */
const NOTE_KINDS: Record<string, { kind: ActivityKind; direction: 'in' | 'out' | null }> = {
  call_in: { kind: 'call', direction: 'in' },
  call_out: { kind: 'call', direction: 'out' },
  amomail_message: { kind: 'email', direction: null },
  sms_in: { kind: 'chat', direction: 'in' },
  sms_out: { kind: 'chat', direction: 'out' },
  chat: { kind: 'chat', direction: null },
};

export const AMO_ACTIVITY_NOTE_TYPES = Object.keys(NOTE_KINDS);

export function amoNoteToActivity(note: AmoNote, parent: AmoNoteParent): Activity | null {
  const mapped = NOTE_KINDS[note.note_type];
  if (!mapped) return null;
  const params = note.params ?? {};
  const duration = Number(params.duration);
  const created = amoIso(note.created_at) ?? new Date(0).toISOString();
  const responsible = note.responsible_user_id || note.created_by;
  return {
    id: `note:${parent}:${note.id}`,
    kind: mapped.kind,
    direction: mapped.direction ?? mailDirection(params),
    durationSec: Number.isFinite(duration) && duration >= 0 && mapped.kind === 'call' ? duration : null,
    completed: true,
    responsibleId: responsible ? String(responsible) : null,
    dealIds: parent === 'leads' ? [String(note.entity_id)] : [],
    subject: subjectOf(note.note_type, params),
    createdAt: created,
    startAt: created,
    deadline: null,
  };
}

function mailDirection(params: Record<string, unknown>): 'in' | 'out' | null {
  if (params.income === true) return 'in';
  if (params.income === false) return 'out';
  return null;
}

function subjectOf(noteType: string, params: Record<string, unknown>): string {
  for (const key of ['subject', 'text', 'phone', 'call_result']) {
    const value = params[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return noteType;
}

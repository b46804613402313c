// Goals of each stage and what happens when one is reached (the reactions).
import { localized, section } from '../../components.js';
import { field, h, select } from '../../dom.js';
import { t } from '../../i18n.js';
import { choice, stageOptions, textInput } from './rules-inputs.js';
import { removeButton } from './rules-skipping.js';
import { userChips, userSelect } from './user-picker.js';

const REACTIONS = ['moveToStage', 'assign', 'setClientField', 'createTask', 'notify', 'comment'];

export function goalsSection(ctx, pipeline, rules, at) {
  return section(
    t('rules.goals'),
    h('p', { class: 'muted small' }, t('rules.goalsHint')),
    rules.goals.length ? rules.goals.map((goal, k) => goalCard(ctx, pipeline, rules, goal, `${at}.goals.${k}`, k)) : h('p', { class: 'muted' }, t('rules.noGoalsYet')),
    h(
      'button',
      {
        type: 'button',
        class: 'btn',
        id: 'rules-add-goal',
        onclick: () => {
          const stage = pipeline.stages.find((s) => s.semantics === 'process');
          rules.goals.push({ code: `goal_${rules.goals.length + 1}`, stageId: stage?.id ?? '', title: { ru: '', en: '' }, reactions: [] });
          ctx.changed();
          ctx.rerender();
        },
      },
      t('rules.addGoal'),
    ),
  );
}

/** A renamed goal keeps its references: exit conditions and fast tracks follow the new code. */
function renameGoal(rules, from, to) {
  if (!from || from === to) return;
  for (const s of rules.stages) {
    const list = s.exitConditions?.goalsReached;
    if (list) s.exitConditions.goalsReached = list.map((c) => (c === from ? to : c));
  }
  for (const track of rules.skipping.fastTracks ?? []) if (track.when.goalReached === from) track.when.goalReached = to;
}

function renameInPlace(root, from, to) {
  if (!root || !from || from === to) return;
  for (const el of root.querySelectorAll(`[data-goal-code="${CSS.escape(from)}"]`)) {
    el.setAttribute('data-goal-code', to);
    if (el.tagName === 'SPAN') el.textContent = to;
  }
  for (const option of root.querySelectorAll(`[data-goal-options] option[value="${CSS.escape(from)}"]`)) {
    option.value = to;
    option.textContent = to;
  }
}

function goalCard(ctx, pipeline, rules, goal, at, k) {
  let codeBefore = goal.code;
  const code = textInput(goal, 'code', ctx, { path: `${at}.code` });
  // No re-render here: "change" fires as focus moves on, and re-drawing would take away the very
  // field the user is moving into. The few places that show the code are renamed in place.
  code.addEventListener('change', () => {
    renameGoal(rules, codeBefore, goal.code);
    renameInPlace(code.closest('.pipeline-rules'), codeBefore, goal.code);
    codeBefore = goal.code;
  });
  goal.title ??= { ru: '', en: '' };
  const titleFor = (lang) => {
    const input = h('input', {
      type: 'text',
      value: goal.title[lang] ?? '',
      'data-path': `${at}.title.${lang}`,
      oninput: (e) => {
        // Polish is optional in the schema: an empty one is left out rather than sent as "".
        if (lang === 'pl' && e.target.value === '') delete goal.title.pl;
        else goal.title[lang] = e.target.value;
        ctx.changed();
      },
    });
    return field(`${t('rules.goalTitle')} (${lang.toUpperCase()})`, input);
  };
  return h(
    'div',
    { class: 'goal-card', 'data-path': at, 'data-goal': goal.code },
    h('h3', {}, localized(goal.title) || goal.code || `#${k + 1}`),
    h(
      'div',
      { class: 'form-grid' },
      field(t('rules.code'), code),
      field(t('rules.goalStage'), choice(goal, 'stageId', ctx, stageOptions(pipeline, { processOnly: true, blank: true }), { path: `${at}.stageId` })),
      titleFor('ru'),
      titleFor('en'),
      titleFor('pl'),
    ),
    h('h4', {}, t('rules.reactions')),
    h(
      'ol',
      { class: 'reactions' },
      (goal.reactions ??= []).map((r, i) => h('li', { class: 'reaction', 'data-path': `${at}.reactions.${i}` }, reactionEditor(ctx, pipeline, goal, r, `${at}.reactions.${i}`, i))),
    ),
    h(
      'div',
      { class: 'row' },
      select(
        {
          class: 'add-reaction',
          'aria-label': t('rules.addReaction'),
          onchange: (e) => {
            if (!e.target.value) return;
            goal.reactions.push(defaultReaction(e.target.value, pipeline, goal, ctx.state.users));
            ctx.changed();
            ctx.rerender();
          },
        },
        [['', t('rules.addReaction')], ...REACTIONS.map((r) => [r, t(`reaction.${r}`)])],
        '',
      ),
      removeButton(() => rules.goals.splice(k, 1), ctx, t('rules.removeGoal')),
    ),
  );
}

function defaultReaction(type, pipeline, goal, users) {
  switch (type) {
    case 'moveToStage':
      return { type, stageId: pipeline.stages.find((s) => s.id !== goal.stageId && s.semantics === 'process')?.id ?? '' };
    case 'assign':
      return { type, to: 'user', userId: users[0]?.id ?? '' };
    case 'setClientField':
      return { type, entity: 'company', field: '', value: '' };
    case 'createTask':
      return { type, titleTemplate: '', assignee: 'responsible', due: { hours: 24 } };
    case 'notify':
      return { type, userIds: 'heads_of_sales', messageTemplate: '' };
    default:
      return { type: 'comment', textTemplate: '' };
  }
}

function reactionEditor(ctx, pipeline, goal, r, at, i) {
  const replaceWith = (next) => {
    goal.reactions[i] = next;
    ctx.changed();
    ctx.rerender();
  };
  const head = h(
    'div',
    { class: 'row' },
    h('strong', {}, t(`reaction.${r.type}`)),
    removeButton(() => goal.reactions.splice(i, 1), ctx),
  );
  const users = ctx.state.users;
  switch (r.type) {
    case 'moveToStage':
      return [head, field(t('rules.toStage'), choice(r, 'stageId', ctx, stageOptions(pipeline, { blank: true }), { path: `${at}.stageId` }))];
    case 'assign':
      return [
        head,
        h(
          'div',
          { class: 'form-grid' },
          field(
            t('rules.assignTo'),
            select(
              { 'data-path': `${at}.to`, onchange: (e) => replaceWith(e.target.value === 'user' ? { type: 'assign', to: 'user', userId: users[0]?.id ?? '' } : { type: 'assign', to: e.target.value }) },
              ['user', 'stage_owner', 'best_converter'].map((v) => [v, t(`assignTo.${v}`)]),
              r.to,
            ),
          ),
          r.to === 'user'
            ? field(t('rules.user'), userSelect(users, r.userId, (v) => ((r.userId = v), ctx.changed()), { 'data-path': `${at}.userId` }))
            : field(
                t('rules.whoseStage'),
                select(
                  { 'data-path': `${at}.stageId`, onchange: (e) => (e.target.value ? (r.stageId = e.target.value) : delete r.stageId, ctx.changed()) },
                  [['', t('rules.defaultStage')], ...stageOptions(pipeline)],
                  r.stageId ?? '',
                ),
              ),
        ),
      ];
    case 'setClientField':
      return [
        head,
        h(
          'div',
          { class: 'form-grid' },
          field(t('rules.entity'), choice(r, 'entity', ctx, [['company', t('entity.company')], ['contact', t('entity.contact')]], { path: `${at}.entity` })),
          field(t('rules.field'), textInput(r, 'field', ctx, { path: `${at}.field` })),
          field(t('rules.value'), textInput(r, 'value', ctx, { path: `${at}.value` })),
        ),
      ];
    case 'createTask':
      return [head, taskEditor(ctx, r, at)];
    case 'notify': {
      const toHeads = r.userIds === 'heads_of_sales';
      return [
        head,
        h(
          'div',
          { class: 'form-grid' },
          field(
            t('rules.notifyWho'),
            select(
              { 'data-path': `${at}.userIds`, onchange: (e) => ((r.userIds = e.target.value === 'heads' ? 'heads_of_sales' : []), ctx.changed(), ctx.rerender()) },
              [['heads', t('rules.toHeads')], ['users', t('rules.toUsers')]],
              toHeads ? 'heads' : 'users',
            ),
          ),
          toHeads ? null : field(t('rules.users'), userChips(users, r.userIds, () => ctx.changed(), { 'data-path': `${at}.userIds` })),
          field(t('rules.message'), textInput(r, 'messageTemplate', ctx, { path: `${at}.messageTemplate`, placeholder: '{{deal.title}}' })),
        ),
      ];
    }
    default:
      return [head, field(t('rules.text'), textInput(r, 'textTemplate', ctx, { path: `${at}.textTemplate`, placeholder: '{{deal.title}}' }))];
  }
}

function taskEditor(ctx, r, at) {
  const users = ctx.state.users;
  const assigneeKind = typeof r.assignee === 'object' ? 'user' : r.assignee;
  const unit = 'workingDays' in (r.due ?? {}) ? 'workingDays' : 'hours';
  const amount = h('input', {
    type: 'number',
    class: 'narrow',
    min: 1,
    value: r.due?.[unit] ?? '',
    'data-path': `${at}.due.${unit}`,
    oninput: (e) => {
      r.due = { [unit]: Number.isFinite(Number(e.target.value)) && e.target.value !== '' ? Number(e.target.value) : e.target.value };
      ctx.changed();
    },
  });
  return h(
    'div',
    { class: 'form-grid' },
    field(t('rules.taskTitle'), textInput(r, 'titleTemplate', ctx, { path: `${at}.titleTemplate`, placeholder: '{{deal.title}}' })),
    field(t('rules.description'), textInput(r, 'description', ctx, { path: `${at}.description`, optional: true })),
    field(
      t('rules.assignee'),
      select(
        {
          'data-path': `${at}.assignee`,
          onchange: (e) => {
            r.assignee = e.target.value === 'user' ? { userId: users[0]?.id ?? '' } : e.target.value;
            ctx.changed();
            ctx.rerender();
          },
        },
        ['responsible', 'head_of_sales', 'user'].map((v) => [v, t(`assignee.${v}`)]),
        assigneeKind,
      ),
    ),
    assigneeKind === 'user' ? field(t('rules.user'), userSelect(users, r.assignee.userId, (v) => ((r.assignee = { userId: v }), ctx.changed()), { 'data-path': `${at}.assignee.userId` })) : null,
    field(
      t('rules.due'),
      h(
        'span',
        { class: 'inline-fields', 'data-path': `${at}.due` },
        amount,
        select(
          {
            'aria-label': t('rules.dueUnit'),
            onchange: (e) => {
              const value = r.due?.[unit];
              r.due = { [e.target.value]: value };
              ctx.changed();
              ctx.rerender();
            },
          },
          [['hours', t('rules.hours')], ['workingDays', t('rules.workingDays')]],
          unit,
        ),
      ),
    ),
  );
}

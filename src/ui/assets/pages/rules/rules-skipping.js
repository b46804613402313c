// Stage skipping: the mode, who is alerted, the fix task, the loss reason, and fast tracks.
import { section } from '../../components.js';
import { field, h, select } from '../../dom.js';
import { t } from '../../i18n.js';
import { checkbox, choice, stageOptions, textInput } from './rules-inputs.js';
import { userChips } from './user-picker.js';

export function skippingSection(ctx, pipeline, rules, at) {
  const sk = rules.skipping;
  const p = `${at}.skipping`;
  return section(
    t('rules.skipping'),
    h('p', { class: 'muted small' }, t('rules.skippingHint')),
    h(
      'div',
      { class: 'form-grid' },
      field(t('rules.mode'), choice(sk, 'mode', ctx, ['off', 'alert', 'enforce'].map((m) => [m, t(`mode.${m}`)]), { path: `${p}.mode` })),
      field(t('rules.alertUsers'), userChips(ctx.state.users, (sk.alertUserIds ??= []), () => ctx.changed(), { 'data-path': `${p}.alertUserIds` })),
      field(t('rules.lossReasonField'), textInput(sk, 'requireLossReasonField', ctx, { path: `${p}.requireLossReasonField`, optional: true, placeholder: 'UF_CRM_LOSS_REASON' })),
      checkbox(sk, 'createFixTask', ctx, { path: `${p}.createFixTask`, label: t('rules.createFixTask') }),
    ),
    h('h3', {}, t('rules.fastTracks')),
    fastTracks(ctx, pipeline, rules, p),
  );
}

function fastTracks(ctx, pipeline, rules, p) {
  const tracks = (rules.skipping.fastTracks ??= []);
  const goals = rules.goals.map((g) => [g.code, g.code]);
  const rows = tracks.map((track, i) => {
    const at = `${p}.fastTracks.${i}`;
    const isGoal = 'goalReached' in track.when;
    const kind = select(
      {
        'aria-label': t('rules.when'),
        onchange: (e) => {
          track.when = e.target.value === 'goal' ? { goalReached: rules.goals[0]?.code ?? '' } : { fieldEquals: { field: '', value: '' } };
          ctx.changed();
          ctx.rerender();
        },
      },
      [
        ['goal', t('rules.whenGoal')],
        ['field', t('rules.whenField')],
      ],
      isGoal ? 'goal' : 'field',
    );
    const condition = isGoal
      ? withGoalOptions(choice(track.when, 'goalReached', ctx, [['', '—'], ...goals], { path: `${at}.when.goalReached` }))
      : h(
          'span',
          { class: 'inline-fields' },
          textInput(track.when.fieldEquals, 'field', ctx, { path: `${at}.when.fieldEquals.field`, placeholder: t('rules.field') }),
          ' = ',
          textInput(track.when.fieldEquals, 'value', ctx, { path: `${at}.when.fieldEquals.value`, placeholder: t('rules.value') }),
        );
    return h(
      'div',
      { class: 'row', 'data-path': at },
      field(t('common.from'), choice(track, 'fromStageId', ctx, stageOptions(pipeline, { processOnly: true, blank: true }), { path: `${at}.fromStageId` })),
      field(t('common.to'), choice(track, 'toStageId', ctx, stageOptions(pipeline, { blank: true }), { path: `${at}.toStageId` })),
      field(t('rules.when'), h('span', { class: 'inline-fields' }, kind, condition), `${at}.when`),
      removeButton(() => tracks.splice(i, 1), ctx),
    );
  });
  return h(
    'div',
    { class: 'fast-tracks' },
    rows.length ? rows : h('p', { class: 'muted' }, t('rules.noFastTracks')),
    h(
      'button',
      {
        type: 'button',
        class: 'btn',
        onclick: () => {
          tracks.push({ fromStageId: '', toStageId: '', when: rules.goals.length ? { goalReached: rules.goals[0].code } : { fieldEquals: { field: '', value: '' } } });
          ctx.changed();
          ctx.rerender();
        },
      },
      t('rules.addFastTrack'),
    ),
  );
}

/** Marks a select whose options are goal codes, so a goal renamed in the editor renames them too. */
function withGoalOptions(el) {
  el.setAttribute('data-goal-options', '');
  return el;
}

export function removeButton(remove, ctx, label = t('rules.remove')) {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small btn-danger',
      onclick: () => {
        remove();
        ctx.changed();
        ctx.rerender();
      },
    },
    label,
  );
}

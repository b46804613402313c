// Per-stage rules: required or not, the exit conditions, the longest stay, the stage's owner.
// A stage without an entry in the config gets one on its first edit; until then its inputs have no
// path, because no error can point at an entry that does not exist.
import { section } from '../../components.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { userSelect } from './user-picker.js';

export function stagesSection(ctx, pipeline, rules, at) {
  const process = pipeline.stages.filter((s) => s.semantics === 'process');
  return section(
    t('rules.stages'),
    h('p', { class: 'muted small' }, t('rules.stagesHint')),
    h(
      'table',
      { class: 'table stages-table' },
      h(
        'thead',
        {},
        h('tr', {}, ...['rules.stage', 'rules.required', 'rules.maxDays', 'rules.owner', 'rules.exitFields', 'rules.exitGoals', 'rules.exitNextContact'].map((k) => h('th', {}, t(k)))),
      ),
      h('tbody', {}, process.map((stage) => stageRow(ctx, rules, at, stage))),
    ),
  );
}

function stageRow(ctx, rules, at, stage) {
  let index = rules.stages.findIndex((s) => s.stageId === stage.id);
  const pathed = [];
  const pathOf = (suffix) => (index < 0 ? null : suffix ? `${at}.stages.${index}.${suffix}` : `${at}.stages.${index}`);
  const mark = (el, suffix) => {
    pathed.push([el, suffix]);
    if (pathOf(suffix)) el.setAttribute('data-path', pathOf(suffix));
    return el;
  };
  const entry = () => {
    if (index < 0) {
      rules.stages.push({ stageId: stage.id, required: false, exitConditions: { fieldsFilled: [], goalsReached: [], nextContactPlanned: false } });
      index = rules.stages.length - 1;
      for (const [el, suffix] of pathed) el.setAttribute('data-path', pathOf(suffix));
    }
    const e = rules.stages[index];
    e.exitConditions ??= { fieldsFilled: [], goalsReached: [], nextContactPlanned: false };
    return e;
  };
  const cur = index >= 0 ? rules.stages[index] : null;
  const exit = cur?.exitConditions ?? { fieldsFilled: [], goalsReached: [], nextContactPlanned: false };
  const edit = (fn) => (e) => {
    fn(entry(), e.target);
    ctx.changed();
  };

  const goalBoxes = h(
    'div',
    { class: 'checks' },
    rules.goals.length
      ? rules.goals.map((g) =>
          h(
            'label',
            { class: 'check' },
            h('input', {
              type: 'checkbox',
              checked: (exit.goalsReached ?? []).includes(g.code),
              'data-goal-code': g.code,
              onchange: edit((s, el) => {
                const list = (s.exitConditions.goalsReached ??= []);
                s.exitConditions.goalsReached = el.checked ? [...new Set([...list, g.code])] : list.filter((c) => c !== g.code);
              }),
            }),
            h('span', { 'data-goal-code': g.code }, g.code),
          ),
        )
      : h('span', { class: 'muted small' }, t('rules.noGoalsYet')),
  );

  return mark(
    h(
      'tr',
      { 'data-stage': stage.id },
      mark(h('td', { class: 'stage-label' }, h('strong', {}, stage.name)), 'stageId'),
      h(
        'td',
        {},
        mark(
          h('input', { type: 'checkbox', name: 'required', checked: !!cur?.required, 'aria-label': `${t('rules.required')}: ${stage.name}`, onchange: edit((s, el) => (s.required = el.checked)) }),
          'required',
        ),
      ),
      h(
        'td',
        {},
        mark(
          h('input', {
            type: 'number',
            class: 'narrow',
            min: 1,
            value: cur?.maxDaysInStage ?? '',
            'aria-label': `${t('rules.maxDays')}: ${stage.name}`,
            oninput: edit((s, el) => {
              if (el.value === '') delete s.maxDaysInStage;
              else s.maxDaysInStage = Number.isFinite(Number(el.value)) ? Number(el.value) : el.value;
            }),
          }),
          'maxDaysInStage',
        ),
      ),
      h(
        'td',
        {},
        mark(
          userSelect(ctx.state.users, cur?.ownerUserId, (v) => {
            const s = entry();
            if (v) s.ownerUserId = v;
            else delete s.ownerUserId;
            ctx.changed();
          }, { 'aria-label': `${t('rules.owner')}: ${stage.name}` }),
          'ownerUserId',
        ),
      ),
      h(
        'td',
        {},
        mark(
          h('input', {
            type: 'text',
            value: (exit.fieldsFilled ?? []).join(', '),
            placeholder: 'amount, closeDate',
            'aria-label': `${t('rules.exitFields')}: ${stage.name}`,
            oninput: edit((s, el) => (s.exitConditions.fieldsFilled = el.value.split(',').map((x) => x.trim()).filter(Boolean))),
          }),
          'exitConditions.fieldsFilled',
        ),
      ),
      h('td', {}, mark(goalBoxes, 'exitConditions.goalsReached')),
      h(
        'td',
        {},
        mark(
          h('input', { type: 'checkbox', checked: !!exit.nextContactPlanned, 'aria-label': `${t('rules.exitNextContact')}: ${stage.name}`, onchange: edit((s, el) => (s.exitConditions.nextContactPlanned = el.checked)) }),
          'exitConditions.nextContactPlanned',
        ),
      ),
    ),
    '',
  );
}

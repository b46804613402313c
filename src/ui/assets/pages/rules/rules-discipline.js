// The scheduled discipline checks of a pipeline. The section is optional in the config: without it
// the defaults apply, shown here read-only until the admin chooses to set them.
import { section } from '../../components.js';
import { field, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { checkbox, textInput } from './rules-inputs.js';

// The schema's defaults (src/rules/rules-config.schema.ts, disciplineSchema): what "not set" means.
const DEFAULTS = {
  stalledAfterWorkingDays: 5,
  requireNextContact: true,
  nextContactGraceHours: 0,
  firstResponseSlaMinutes: 30,
  escalateAfterHours: 24,
  overdueTasks: true,
  digest: { enabled: true, hourLocal: 9 },
};

export function disciplineSection(ctx, rules, at) {
  const p = `${at}.discipline`;
  if (!rules.discipline) {
    return section(
      t('rules.discipline'),
      h('p', { class: 'muted small' }, t('rules.disciplineDefaults', { days: DEFAULTS.stalledAfterWorkingDays, sla: DEFAULTS.firstResponseSlaMinutes, hours: DEFAULTS.escalateAfterHours })),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'rules-set-discipline',
          onclick: () => {
            rules.discipline = structuredClone(DEFAULTS);
            ctx.changed();
            ctx.rerender();
          },
        },
        t('rules.setDiscipline'),
      ),
    );
  }
  const d = rules.discipline;
  d.digest ??= { ...DEFAULTS.digest };
  const number = (key, label) => field(label, textInput(d, key, ctx, { path: `${p}.${key}`, number: true, optional: true, placeholder: String(DEFAULTS[key]) }));
  return section(
    t('rules.discipline'),
    h(
      'div',
      { class: 'form-grid' },
      number('stalledAfterWorkingDays', t('rules.stalledAfter')),
      number('firstResponseSlaMinutes', t('rules.firstResponseSla')),
      number('nextContactGraceHours', t('rules.nextContactGrace')),
      number('escalateAfterHours', t('rules.escalateAfter')),
      field(t('rules.digestHour'), textInput(d.digest, 'hourLocal', ctx, { path: `${p}.digest.hourLocal`, number: true, optional: true, placeholder: '9' })),
    ),
    h(
      'div',
      { class: 'row' },
      checkbox(d, 'requireNextContact', ctx, { path: `${p}.requireNextContact`, label: t('rules.requireNextContact') }),
      checkbox(d, 'overdueTasks', ctx, { path: `${p}.overdueTasks`, label: t('rules.overdueTasks') }),
      checkbox(d.digest, 'enabled', ctx, { path: `${p}.digest.enabled`, label: t('rules.digestEnabled') }),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          onclick: () => {
            delete rules.discipline;
            ctx.changed();
            ctx.rerender();
          },
        },
        t('rules.useDefaults'),
      ),
    ),
  );
}

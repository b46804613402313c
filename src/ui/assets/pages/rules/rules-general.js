// Portal-wide settings: the language of messages, heads of sales, working time.
import { section } from '../../components.js';
import { field, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { choice, listInput, textInput } from './rules-inputs.js';
import { userChips } from './user-picker.js';

export function generalSection(ctx) {
  const { draft, users } = ctx.state;
  const wt = draft.workingTime;
  const days = h(
    'div',
    { class: 'days', 'data-path': 'workingTime.days' },
    [1, 2, 3, 4, 5, 6, 7].map((d) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          checked: wt.days.includes(d),
          onchange: (e) => {
            wt.days = e.target.checked ? [...new Set([...wt.days, d])].sort() : wt.days.filter((x) => x !== d);
            ctx.changed();
          },
        }),
        t(`day.${d}`),
      ),
    ),
  );
  return section(
    t('rules.general'),
    h(
      'div',
      { class: 'form-grid' },
      field(t('rules.locale'), choice(draft, 'locale', ctx, [['ru', 'Русский'], ['en', 'English'], ['pl', 'Polski']], { path: 'locale' }), 'locale'),
      field(t('rules.headsOfSales'), userChips(users, draft.headsOfSales, () => ctx.changed(), { 'data-path': 'headsOfSales' })),
      field(t('rules.timeZone'), textInput(wt, 'timeZone', ctx, { path: 'workingTime.timeZone', placeholder: 'Europe/Moscow' })),
      field(t('rules.workStart'), textInput(wt, 'start', ctx, { path: 'workingTime.start', type: 'time' })),
      field(t('rules.workEnd'), textInput(wt, 'end', ctx, { path: 'workingTime.end', type: 'time' })),
      field(t('rules.days'), days),
      field(t('rules.holidays'), listInput(wt, 'holidays', ctx, { path: 'workingTime.holidays', placeholder: '2025-12-31, 2026-01-01' })),
    ),
  );
}

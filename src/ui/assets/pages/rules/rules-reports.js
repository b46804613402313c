// What Stageguard writes back to the CRM from the reports (portal-wide). The section is optional in
// the config: without it the defaults apply, shown read-only until the admin chooses to set them.
import { section } from '../../components.js';
import { field, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { checkbox, choice, textInput } from './rules-inputs.js';

// The schema's defaults (src/rules/rules-config.schema.ts, reportsWritebackSchema).
const DEFAULTS = { hourLocal: 9, digest: 'daily', kpiLine: true, hostRecord: true };

export function reportsSection(ctx) {
  const { draft } = ctx.state;
  if (!draft.reports) {
    return section(
      t('rules.reports'),
      h('p', { class: 'muted small' }, t('rules.reportsDefaults', { hour: DEFAULTS.hourLocal })),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'rules-set-reports',
          onclick: () => {
            draft.reports = structuredClone(DEFAULTS);
            ctx.changed();
            ctx.rerender();
          },
        },
        t('rules.setReports'),
      ),
    );
  }
  const r = draft.reports;
  return section(
    t('rules.reports'),
    h(
      'div',
      { class: 'form-grid' },
      field(t('rules.reportsHour'), textInput(r, 'hourLocal', ctx, { path: 'reports.hourLocal', number: true, optional: true, placeholder: String(DEFAULTS.hourLocal) })),
      field(
        t('rules.reportsDigest'),
        choice(r, 'digest', ctx, [['daily', t('rules.reportsDigest.daily')], ['weekly', t('rules.reportsDigest.weekly')], ['off', t('rules.reportsDigest.off')]], { path: 'reports.digest' }),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      checkbox(r, 'kpiLine', ctx, { path: 'reports.kpiLine', label: t('rules.reportsKpiLine') }),
      checkbox(r, 'hostRecord', ctx, { path: 'reports.hostRecord', label: t('rules.reportsHostRecord') }),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          id: 'rules-reports-defaults',
          onclick: () => {
            delete draft.reports;
            ctx.changed();
            ctx.rerender();
          },
        },
        t('rules.useDefaults'),
      ),
    ),
  );
}

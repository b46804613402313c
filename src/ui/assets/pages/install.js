// Install progress: set-up and the history import, polled until done or failed.
import { api } from '../api.js';
import { errorNotice, formatNumber, progressBar, section } from '../components.js';
import { clear, h } from '../dom.js';
import { t } from '../i18n.js';

export async function render(main, { isCurrent }) {
  const body = h('div', { class: 'install' });
  main.append(section(t('install.title'), body));

  const poll = async () => {
    if (!isCurrent()) return;
    let s;
    try {
      s = await api('/api/install/status');
    } catch (err) {
      clear(body, errorNotice(err));
      return;
    }
    if (!isCurrent()) return;
    const imp = s.import;
    const importPct = imp && imp.total ? (imp.done / imp.total) * 100 : imp?.status === 'done' ? 100 : 0;
    // Set-up finishes before the import does: until both are through, the install is still running.
    const overall = s.state === 'done' && imp && (imp.status === 'running' || imp.status === 'pending') ? 'running' : s.state;
    const step = s.state === 'running' && s.step ? ` — ${t(`install.step.${s.step}`, {}, s.step)}` : '';
    clear(
      body,
      h('p', { class: 'install-state', 'data-state': overall }, t(`install.state.${overall}`), step),
      h('div', { class: 'install-bar', id: 'install-setup' }, h('span', {}, t('install.setup')), progressBar(s.percent, { tone: s.state === 'failed' ? 'poor' : 'info', label: t('install.setup') })),
      imp
        ? h(
            'div',
            { class: 'install-bar', id: 'install-import' },
            h('span', {}, t('install.import', { done: formatNumber(imp.done), total: imp.total === null ? '?' : formatNumber(imp.total) })),
            progressBar(importPct, { tone: imp.status === 'failed' ? 'poor' : 'info', label: t('install.importLabel') }),
          )
        : null,
      s.error ? h('p', { class: 'notice error', role: 'alert' }, s.error) : null,
    );
    const finished = s.state === 'failed' || (s.state === 'done' && (!imp || imp.status === 'done' || imp.status === 'failed'));
    if (!finished) setTimeout(poll, 2000);
  };
  await poll();
}

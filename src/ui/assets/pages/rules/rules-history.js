// Version history: who saved what when, the difference from the version before, and rollback
// (which saves the old config again as the newest version, so nothing is ever lost).
import { api } from '../../api.js';
import { errorNotice, formatDateTime, section } from '../../components.js';
import { clear, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { diffConfigs } from '../../json-diff.js';

export function historySection(ctx) {
  const { versions, readOnly } = ctx.state;
  const diffBox = h('div', { class: 'diff', id: 'rules-diff' });
  const newest = versions[0]?.version;

  const showDiff = async (version) => {
    clear(diffBox, h('p', { class: 'loading' }, t('common.loading')));
    try {
      const [after, before] = await Promise.all([
        api(`/api/rules/versions/${version}`),
        version > 1 ? api(`/api/rules/versions/${version - 1}`).catch(() => null) : Promise.resolve(null),
      ]);
      clear(diffBox, diffView(ctx, version, before?.config ?? null, after.config));
    } catch (err) {
      clear(diffBox, errorNotice(err));
    }
  };

  const rows = versions.map((v) => {
    const restore = h('span', { class: 'restore' });
    const askRestore = () =>
      clear(
        restore,
        h('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-confirm-restore': v.version, onclick: () => ctx.restore(v.version) }, t('rules.confirmRestore', { v: v.version })),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => clear(restore, restoreButton) }, t('common.cancel')),
      );
    const restoreButton = h('button', { type: 'button', class: 'btn btn-small', 'data-restore': v.version, onclick: askRestore }, t('rules.restore'));
    if (!readOnly && v.version !== newest) restore.append(restoreButton);
    return h(
      'tr',
      { 'data-version': v.version },
      h('td', {}, `v${v.version}`, v.version === newest ? ` · ${t('rules.active')}` : ''),
      h('td', {}, formatDateTime(v.createdAt)),
      h('td', {}, v.authorName ?? v.authorId),
      h('td', {}, v.comment ?? ''),
      h('td', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-small', 'data-diff': v.version, onclick: () => showDiff(v.version) }, t('rules.showDiff')), restore),
    );
  });

  return section(
    t('rules.history'),
    versions.length
      ? h(
          'table',
          { class: 'table', id: 'rules-versions' },
          h('thead', {}, h('tr', {}, ...['rules.version', 'rules.date', 'rules.author', 'rules.comment', ''].map((k) => h('th', {}, k ? t(k) : '')))),
          h('tbody', {}, rows),
        )
      : h('p', { class: 'muted' }, t('rules.noVersions')),
    diffBox,
  );
}

function diffView(ctx, version, before, after) {
  const changes = diffConfigs(before, after);
  const title = h('h3', {}, before ? t('rules.diffTitle', { from: version - 1, to: version }) : t('rules.diffFirst', { v: version }));
  if (!changes.length) return [title, h('p', { class: 'muted' }, t('rules.noChanges'))];
  return [
    title,
    h(
      'table',
      { class: 'table diff-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('rules.setting')), h('th', {}, t('rules.before')), h('th', {}, t('rules.after')))),
      h(
        'tbody',
        {},
        changes.map((c) =>
          h(
            'tr',
            { class: `diff-${c.kind}`, 'data-kind': c.kind },
            h('td', {}, h('code', {}, pathLabel(ctx, c.path))),
            h('td', { class: 'diff-before' }, show(c.before)),
            h('td', { class: 'diff-after' }, show(c.after)),
          ),
        ),
      ),
    ),
  ];
}

function show(value) {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Path segments with names: pipelines › Sales › stages › Offer › required. */
function pathLabel(ctx, path) {
  let pipeline = null;
  return path
    .map((seg) => {
      if (typeof seg === 'object') {
        if (seg.by === 'pipelineId') {
          pipeline = ctx.state.pipelines.find((p) => p.id === seg.id) ?? null;
          return pipeline?.name ?? seg.id;
        }
        if (seg.by === 'stageId') return pipeline?.stages.find((s) => s.id === seg.id)?.name ?? seg.id;
        return seg.id;
      }
      return String(seg);
    })
    .join(' › ');
}

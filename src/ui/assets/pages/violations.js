// Violations (filterable: manager, kind, stage, period) with what Stageguard did about each, and the
// audit log of every write to the host.
import { api } from '../api.js';
import { badge, emptyRow, errorNotice, formatDateTime, section, stageNames, userNames } from '../components.js';
import { clear, field, h, select } from '../dom.js';
import { t } from '../i18n.js';

export const VIOLATION_KINDS = [
  'stage_skipped',
  'exit_conditions_unmet',
  'loss_reason_missing',
  'deal_stalled',
  'next_contact_missing',
  'next_contact_overdue',
  'slow_first_response',
  'task_overdue',
];

export async function render(main) {
  const [users, pipelines] = await Promise.all([api('/api/users').catch(() => []), api('/api/pipelines').catch(() => [])]);
  const names = { user: userNames(users), stage: stageNames(pipelines) };
  const filter = { managerId: '', kind: '', stageId: '', from: '', to: '', open: '' };
  const results = h('div', { class: 'results' });
  const audit = h('div', { class: 'results' });

  const stageOptions = [['', t('common.all')]];
  for (const p of pipelines) for (const s of p.stages) stageOptions.push([s.id, pipelines.length > 1 ? `${p.name}: ${s.name}` : s.name]);

  const bind = (key) => (e) => {
    filter[key] = e.target.type === 'checkbox' ? (e.target.checked ? 'true' : '') : e.target.value;
    loadViolations();
  };
  const form = h(
    'div',
    { class: 'filters' },
    field(t('viol.manager'), select({ name: 'managerId', onchange: bind('managerId') }, [['', t('common.all')], ...users.map((u) => [u.id, u.name])], '')),
    field(t('viol.kind'), select({ name: 'kind', onchange: bind('kind') }, [['', t('common.all')], ...VIOLATION_KINDS.map((k) => [k, t(`kind.${k}`)])], '')),
    field(t('viol.stage'), select({ name: 'stageId', onchange: bind('stageId') }, stageOptions, '')),
    field(t('common.from'), h('input', { type: 'date', name: 'from', onchange: bind('from') })),
    field(t('common.to'), h('input', { type: 'date', name: 'to', onchange: bind('to') })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'open', onchange: bind('open') }), t('viol.openOnly')),
  );

  let seq = 0;
  async function loadViolations() {
    const mine = ++seq;
    try {
      // "to" is inclusive for a person picking a day; the API's bound is exclusive.
      const to = filter.to ? new Date(Date.parse(filter.to) + 86_400_000).toISOString().slice(0, 10) : '';
      const rows = await api('/api/violations', { query: { ...filter, to, limit: 200 } });
      if (mine !== seq) return;
      clear(results, violationsTable(rows, names));
    } catch (err) {
      if (mine === seq) clear(results, errorNotice(err));
    }
  }

  async function loadAudit() {
    try {
      clear(audit, auditTable(await api('/api/audit', { query: { limit: 100 } })));
    } catch (err) {
      clear(audit, errorNotice(err));
    }
  }

  main.append(section(t('viol.title'), form, results), section(t('audit.title'), audit));
  await Promise.all([loadViolations(), loadAudit()]);
}

/** What Stageguard did about a violation: the mode it ran in and the actions it recorded. */
function response(v) {
  const d = v.details ?? {};
  const parts = [];
  if (d.mode) parts.push(t(`mode.${d.mode}`));
  for (const kind of d.actions ?? []) parts.push(t(`actionKind.${kind}`));
  if (v.escalatedAt) parts.push(t('viol.escalated'));
  return parts.length ? parts.join(' · ') : '—';
}

function violationsTable(rows, names) {
  return h(
    'table',
    { class: 'table', id: 'violations-table' },
    h(
      'thead',
      {},
      h('tr', {}, ...['viol.detected', 'viol.kind', 'viol.deal', 'viol.manager', 'viol.stage', 'viol.response', 'viol.status'].map((k) => h('th', {}, t(k)))),
    ),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((v) =>
            h(
              'tr',
              { 'data-kind': v.kind, 'data-deal': v.dealId },
              h('td', {}, formatDateTime(v.detectedAt)),
              h('td', {}, badge(t(`kind.${v.kind}`, {}, v.kind), 'bad'), v.details?.message ? h('div', { class: 'muted small' }, v.details.message) : null),
              h('td', {}, subjectCell(v)),
              h('td', {}, names.user(v.managerId)),
              h('td', {}, names.stage(v.stageId, v.pipelineId)),
              h('td', {}, response(v)),
              h('td', {}, v.resolvedAt ? badge(t('viol.resolved'), 'good') : badge(t('viol.open'), 'warn')),
            ),
          )
        : emptyRow(7, t('viol.none')),
    ),
  );
}

// A Bitrix24 lead has no deal card here: it is named, not linked.
function subjectCell(v) {
  const title = v.details?.dealTitle ? ` ${v.details.dealTitle}` : '';
  if (v.details?.entity === 'lead') return h('span', { class: 'lead' }, `${t('viol.lead')} #${v.dealId}${title}`);
  return h('a', { href: `#/deal/${encodeURIComponent(v.dealId)}` }, `#${v.dealId}`);
}

function auditDetails(details) {
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

function auditTable(rows) {
  return h(
    'table',
    { class: 'table', id: 'audit-table' },
    h('thead', {}, h('tr', {}, ...['audit.at', 'audit.actor', 'audit.action', 'audit.details'].map((k) => h('th', {}, t(k))))),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((r) =>
            h('tr', {}, h('td', {}, formatDateTime(r.at)), h('td', {}, r.actor), h('td', {}, t(`auditAction.${r.action}`, {}, r.action)), h('td', { class: 'small' }, auditDetails(r.details))),
          )
        : emptyRow(4),
    ),
  );
}

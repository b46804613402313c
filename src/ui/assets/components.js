// Small pieces several pages share.
import { h } from './dom.js';
import { getLocale, t } from './i18n.js';

export function errorNotice(err) {
  const key =
    err?.status === 401
      ? 'common.sessionExpired'
      : err?.status === 403
        ? 'common.forbidden'
        : err?.status === 404
          ? 'common.notFound'
          : 'common.failed';
  return h('p', { class: 'notice error', role: 'alert' }, t(key), err?.status ? ` (${err.status})` : '');
}

/** A progress bar that can run past 100 % (a plan beaten) without drawing outside its track. */
export function progressBar(percent, { label, tone } = {}) {
  const p = Number.isFinite(percent) ? percent : 0;
  const fill = h('span', { class: ['bar-fill', tone ?? (p >= 100 ? 'good' : p >= 70 ? 'fair' : 'poor')] });
  fill.style.width = `${Math.max(0, Math.min(100, p))}%`;
  return h(
    'span',
    { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(p), 'aria-label': label ?? '' },
    fill,
    h('span', { class: 'bar-text' }, `${Math.round(p)} %`),
  );
}

export function formatDate(iso) {
  if (!iso) return '—';
  // A bare calendar day is that day wherever the user is, not UTC midnight shifted into their zone.
  const when = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00`) : new Date(iso);
  return when.toLocaleDateString(getLocale(), { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(getLocale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatNumber(n, digits = 0) {
  if (n === null || n === undefined || !Number.isFinite(Number(n))) return '—';
  return Number(n).toLocaleString(getLocale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatPercent(ratio) {
  if (ratio === null || ratio === undefined || !Number.isFinite(Number(ratio))) return '—';
  return `${(Number(ratio) * 100).toLocaleString(getLocale(), { maximumFractionDigits: 1 })} %`;
}

/** Index users by id once; a user the list does not know shows as "#id". */
export function userNames(users) {
  const byId = new Map(users.map((u) => [String(u.id), u.name]));
  return (id) => (id === null || id === undefined ? '—' : (byId.get(String(id)) ?? `#${id}`));
}

export function stageNames(pipelines) {
  const byKey = new Map();
  for (const p of pipelines) for (const s of p.stages) byKey.set(`${p.id}/${s.id}`, s.name).set(s.id, byKey.get(s.id) ?? s.name);
  return (stageId, pipelineId) => (stageId ? (byKey.get(`${pipelineId}/${stageId}`) ?? byKey.get(stageId) ?? stageId) : '—');
}

/** The text of a localized config title in the user's language, falling back to English then Russian. */
export function localized(text) {
  if (!text) return '';
  return text[getLocale()] ?? text.en ?? text.ru ?? '';
}

export function badge(text, tone) {
  return h('span', { class: ['badge', tone] }, text);
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function emptyRow(colspan, text = t('common.empty')) {
  return h('tr', { class: 'empty' }, h('td', { colspan }, text));
}

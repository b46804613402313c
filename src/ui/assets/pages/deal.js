// The deal tab: where this deal stands against the stage rules, and the goal buttons of its stage.
import { ApiError, api } from '../api.js';
import { badge, errorNotice, formatDateTime, formatNumber, localized, section, stageNames, userNames } from '../components.js';
import { clear, h } from '../dom.js';
import { t } from '../i18n.js';
import { ACTION_TONE, actionSummary } from './action-text.js';

const STATE_TONE = { passed: 'good', current: 'info', ahead: 'muted' };

export async function render(main, { arg }) {
  if (!arg) {
    main.append(h('p', { class: 'notice' }, t('deal.noDeal')));
    return;
  }
  const dealId = arg;
  const load = async () => {
    const [view, standing, users, pipelines] = await Promise.all([
      api(`/api/deals/${encodeURIComponent(dealId)}`),
      api(`/api/deals/${encodeURIComponent(dealId)}/standing`),
      api('/api/users').catch(() => []),
      api('/api/pipelines').catch(() => []),
    ]);
    return { view, standing, names: { user: userNames(users), stage: stageNames(pipelines) } };
  };

  const redraw = async (flash) => {
    let data;
    try {
      data = await load();
    } catch (err) {
      clear(main, err instanceof ApiError && err.status === 404 ? h('p', { class: 'notice error', role: 'alert' }, t('deal.notFound')) : errorNotice(err));
      return;
    }
    clear(main, ...layout(data, flash, markGoal));
  };

  async function markGoal(code, button) {
    button.disabled = true;
    try {
      const res = await api(`/api/deals/${encodeURIComponent(dealId)}/goals`, { method: 'POST', body: { code } });
      await redraw({ tone: 'good', text: res.status === 'already_reached' ? t('deal.goalAlready') : t('deal.goalMarked', { n: res.actions.length }) });
    } catch (err) {
      button.disabled = false;
      main.prepend(h('p', { class: 'notice error', role: 'alert' }, err.message));
    }
  }

  await redraw(null);
}

function layout({ view, standing, names }, flash, markGoal) {
  const { deal } = view;
  const stageName = (id) => names.stage(id, deal.pipelineId);
  return [
    h(
      'div',
      { class: 'deal-head' },
      h('h1', {}, deal.title || `#${deal.id}`),
      h(
        'div',
        { class: 'deal-meta' },
        badge(stageName(deal.stageId), 'info'),
        h('span', {}, `${t('deal.responsible')}: ${names.user(deal.responsibleId)}`),
        deal.amount ? h('span', {}, `${formatNumber(deal.amount, 2)} ${deal.currency ?? ''}`) : null,
      ),
    ),
    flash ? h('p', { class: ['notice', flash.tone], role: 'status' }, flash.text) : null,
    stagesCard(standing),
    h('div', { class: 'grid two' }, exitCard(standing), goalsCard(view, markGoal)),
    actionsCard(view, names),
    violationsCard(view, stageName),
  ];
}

function stagesCard(standing) {
  if (!standing.stages.length) return section(t('deal.stages'), h('p', { class: 'muted' }, t('deal.noPipeline')));
  return section(
    t('deal.stages'),
    h(
      'ol',
      { class: 'stage-track' },
      standing.stages.map((s) =>
        h(
          'li',
          {
            class: ['stage', `stage-${s.state}`, s.required && 'stage-required', s.state === 'skipped' && s.required && 'stage-violated', `sem-${s.semantics}`],
            'data-stage': s.id,
            'data-state': s.state,
            title: t(`stage.${s.state}`),
          },
          h('span', { class: 'stage-name' }, s.name),
          h('span', { class: 'stage-state' }, t(`stage.${s.state}`), s.required ? ` · ${t('deal.required')}` : ''),
        ),
      ),
    ),
    standing.configured ? null : h('p', { class: 'muted' }, t('deal.notConfigured')),
  );
}

function condition(label, met) {
  return h('li', { class: ['cond', met ? 'met' : 'missing'], 'data-met': String(met) }, h('span', { class: 'cond-mark' }, met ? '✓' : '✗'), label, ' ', badge(met ? t('deal.met') : t('deal.missing'), met ? 'good' : 'bad'));
}

function exitCard(standing) {
  const exit = standing.exit;
  if (!exit) return section(t('deal.exit'), h('p', { class: 'muted' }, t('deal.exitNone')));
  return section(
    t('deal.exit'),
    h(
      'ul',
      { class: 'conditions' },
      exit.fields.map((f) => condition(`${t('deal.field')}: ${t(`dealField.${f.name}`, {}, f.name)}`, f.met)),
      exit.goals.map((g) => condition(`${t('deal.goal')}: ${localized(g.title) || g.code}`, g.met)),
      exit.nextContact ? condition(t('deal.nextContact'), exit.nextContact.met) : null,
    ),
  );
}

function goalsCard(view, markGoal) {
  const reached = new Set(view.goalsReached.filter((g) => g.stageId === view.deal.stageId).map((g) => g.goalCode));
  const goals = view.goalsAvailable;
  return section(
    t('deal.goals'),
    goals.length
      ? h(
          'div',
          { class: 'goal-buttons' },
          goals.map((g) => {
            const done = reached.has(g.code);
            const button = h(
              'button',
              { type: 'button', class: ['btn', done ? 'btn-done' : 'btn-primary'], disabled: done, 'data-goal': g.code, onclick: () => markGoal(g.code, button) },
              done ? '✓ ' : '',
              localized(g.title) || g.code,
            );
            return button;
          }),
        )
      : h('p', { class: 'muted' }, t('deal.noGoals')),
  );
}

function actionsCard(view, names) {
  const rows = [...view.actions].reverse();
  return section(
    t('deal.actions'),
    rows.length
      ? h(
          'table',
          { class: 'table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('deal.action')), h('th', {}, t('deal.status')))),
          h(
            'tbody',
            {},
            rows.map((a) =>
              h(
                'tr',
                { 'data-action': a.kind },
                h('td', {}, h('strong', {}, t(`actionKind.${a.kind}`)), ' ', actionSummary(a.spec, names)),
                h('td', {}, badge(t(`actionStatus.${a.status}`), ACTION_TONE[a.status])),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('deal.noActions')),
  );
}

function violationsCard(view, stageName) {
  if (!view.violations.length) return null;
  return section(
    t('deal.violations'),
    h(
      'ul',
      { class: 'list' },
      view.violations.map((v) =>
        h(
          'li',
          {},
          badge(t(`kind.${v.kind}`, {}, v.kind), v.resolvedAt ? 'muted' : 'bad'),
          ' ',
          formatDateTime(v.detectedAt),
          ' · ',
          stageName(v.stageId),
          v.details?.message ? h('div', { class: 'muted' }, v.details.message) : null,
        ),
      ),
    ),
  );
}

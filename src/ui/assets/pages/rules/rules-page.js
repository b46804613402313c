// The rules editor: the portal's real pipelines and stages, the active config as a draft, validation
// beside each field as you type, save = a new version, and the version history with diff and rollback.
import { ApiError, api } from '../../api.js';
import { badge, errorNotice, formatDateTime, section } from '../../components.js';
import { clear, debounce, h } from '../../dom.js';
import { getLocale, t } from '../../i18n.js';
import { disciplineSection } from './rules-discipline.js';
import { generalSection } from './rules-general.js';
import { reportsSection } from './rules-reports.js';
import { goalsSection } from './rules-goals.js';
import { historySection } from './rules-history.js';
import { showErrors } from './rules-errors.js';
import { skippingSection } from './rules-skipping.js';
import { stagesSection } from './rules-stages.js';

export async function render(main, { claims }) {
  const [pipelines, users, active, versions] = await Promise.all([
    api('/api/pipelines'),
    api('/api/users').catch(() => []),
    api('/api/rules').catch((err) => (err instanceof ApiError && err.status === 404 ? null : Promise.reject(err))),
    api('/api/rules/versions'),
  ]);
  const state = {
    pipelines,
    users,
    active,
    versions,
    draft: structuredClone(active?.config ?? emptyConfig()),
    pipelineId: pipelines[0]?.id ?? null,
    errors: [],
    dirty: false,
    readOnly: claims.role !== 'admin',
    notice: null,
  };

  const root = h('div', { class: 'rules-editor' });
  main.append(root);

  const validateNow = async () => {
    const seq = (state.validationSeq = (state.validationSeq ?? 0) + 1);
    let errors = [];
    try {
      await api('/api/rules/validate', { method: 'POST', body: state.draft });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) return;
      errors = err.body?.errors ?? err.details ?? [];
    }
    if (seq !== state.validationSeq) return;
    state.errors = errors;
    showErrors(root, state);
    updateToolbar();
  };
  const validateSoon = debounce(validateNow, 300);

  const ctx = {
    state,
    changed() {
      state.dirty = true;
      state.notice = null;
      updateToolbar();
      validateSoon();
    },
    rerender: () => draw(),
    selectPipeline(id) {
      state.pipelineId = id;
      draw();
    },
    async save() {
      try {
        const saved = await api('/api/rules', { method: 'PUT', body: state.draft });
        await reload({ tone: 'good', text: t('rules.saved', { v: saved.version }) });
      } catch (err) {
        if (err instanceof ApiError && err.status === 400 && Array.isArray(err.details)) {
          state.errors = err.details;
          showErrors(root, state);
          updateToolbar();
          return;
        }
        state.notice = { tone: 'error', text: err.message };
        updateToolbar();
      }
    },
    async restore(version) {
      try {
        const saved = await api(`/api/rules/versions/${version}/restore`, { method: 'POST' });
        await reload({ tone: 'good', text: t('rules.restored', { from: version, v: saved.version }) });
      } catch (err) {
        state.notice = { tone: 'error', text: err.message };
        updateToolbar();
      }
    },
  };

  async function reload(notice) {
    const [fresh, versions] = await Promise.all([api('/api/rules'), api('/api/rules/versions')]);
    Object.assign(state, { active: fresh, versions, draft: structuredClone(fresh.config), dirty: false, errors: [], notice });
    draw();
  }

  const toolbar = h('div', { class: 'toolbar', id: 'rules-toolbar' });
  function updateToolbar() {
    const problems = state.errors.length;
    clear(
      toolbar,
      h(
        'div',
        { class: 'toolbar-info' },
        state.active
          ? t('rules.activeVersion', { v: state.active.version, who: state.active.authorName ?? state.active.authorId, at: formatDateTime(state.active.createdAt) })
          : t('rules.noRules'),
        ' ',
        state.dirty ? badge(t('rules.unsaved'), 'warn') : null,
        ' ',
        problems ? badge(t('rules.problems', { n: problems }), 'bad') : state.dirty ? badge(t('rules.valid'), 'good') : null,
      ),
      state.notice ? h('span', { class: ['notice', 'inline', state.notice.tone], role: 'status' }, state.notice.text) : null,
      state.readOnly
        ? h('span', { class: 'muted' }, t('rules.readOnly'))
        : h('button', { type: 'button', class: 'btn btn-primary', id: 'rules-save', disabled: !state.dirty, onclick: () => ctx.save() }, t('rules.save')),
    );
  }

  function draw() {
    updateToolbar();
    const editable = h('fieldset', { class: 'editor', disabled: state.readOnly });
    editable.append(h('div', { class: 'error-summary', id: 'rules-error-summary', role: 'alert' }), generalSection(ctx), reportsSection(ctx), pipelineTabs(ctx), pipelineSection(ctx));
    clear(root, toolbar, editable, historySection(ctx));
    showErrors(root, state);
  }

  function emptyConfig() {
    return {
      locale: getLocale(),
      headsOfSales: [],
      workingTime: { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Moscow', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] },
      pipelines: [],
    };
  }

  draw();
}

function pipelineTabs(ctx) {
  const { state } = ctx;
  return h(
    'div',
    { class: 'tabs', role: 'tablist' },
    state.pipelines.map((p) => {
      const index = state.draft.pipelines.findIndex((r) => r.pipelineId === p.id);
      return h(
        'button',
        { type: 'button', role: 'tab', class: ['tab', p.id === state.pipelineId && 'active'], 'aria-selected': String(p.id === state.pipelineId), 'data-pipeline': p.id, onclick: () => ctx.selectPipeline(p.id) },
        p.name,
        index < 0 ? h('span', { class: 'muted small' }, ` · ${t('rules.off')}`) : null,
      );
    }),
  );
}

function pipelineSection(ctx) {
  const { state } = ctx;
  const pipeline = state.pipelines.find((p) => p.id === state.pipelineId);
  if (!pipeline) return section(t('rules.pipeline'), h('p', { class: 'muted' }, t('rules.noPipelines')));
  const index = state.draft.pipelines.findIndex((r) => r.pipelineId === pipeline.id);
  if (index < 0) {
    return section(
      pipeline.name,
      h('p', { class: 'muted' }, t('rules.notConfigured')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'rules-add-pipeline',
          onclick: () => {
            state.draft.pipelines.push({ pipelineId: pipeline.id, stages: [], goals: [], skipping: { mode: 'off', alertUserIds: [], createFixTask: false, fastTracks: [] } });
            ctx.changed();
            ctx.rerender();
          },
        },
        t('rules.addPipeline'),
      ),
    );
  }
  const rules = state.draft.pipelines[index];
  const at = `pipelines.${index}`;
  return h(
    'div',
    { class: 'pipeline-rules', 'data-path': at },
    skippingSection(ctx, pipeline, rules, at),
    stagesSection(ctx, pipeline, rules, at),
    goalsSection(ctx, pipeline, rules, at),
    disciplineSection(ctx, rules, at),
    h(
      'p',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-danger',
          onclick: () => {
            state.draft.pipelines.splice(index, 1);
            ctx.changed();
            ctx.rerender();
          },
        },
        t('rules.removePipeline'),
      ),
    ),
  );
}

// Puts each validation error beside the field its path names. A path with no field on screen (a
// pipeline in another tab, a whole section) climbs to the nearest ancestor that has one; whatever
// still has no place goes to the summary at the top, so no error is ever invisible.
import { clear, h } from '../../dom.js';
import { t } from '../../i18n.js';

function byPath(root, path) {
  return root.querySelector(`[data-path="${CSS.escape(path)}"]`);
}

export function showErrors(root, state) {
  for (const old of root.querySelectorAll('.field-error')) old.remove();
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = root.querySelector('#rules-error-summary');
  if (!summary) return;
  clear(summary);
  const unplaced = [];
  for (const err of state.errors) {
    let path = err.path;
    let el = byPath(root, path);
    while (!el && path.includes('.')) {
      path = path.slice(0, path.lastIndexOf('.'));
      el = byPath(root, path);
    }
    // A section-level wrapper holds the whole pipeline: an error there would be far from its field.
    if (!el || el.classList.contains('pipeline-rules')) {
      unplaced.push(err);
      continue;
    }
    el.setAttribute('aria-invalid', 'true');
    const note = h('div', { class: 'field-error', role: 'alert', 'data-error-for': err.path }, err.message);
    // Table rows and cells take the message inside; anything else gets it right after the field.
    if (el.tagName === 'TR') el.firstElementChild.append(note);
    else if (el.tagName === 'TD') el.append(note);
    else (el.closest('.field') ?? el).after(note);
  }
  if (unplaced.length) {
    summary.append(
      h('strong', {}, t('rules.otherProblems')),
      h(
        'ul',
        {},
        unplaced.map((e) => h('li', { 'data-error-for': e.path }, h('code', {}, readablePath(e.path, state)), ' — ', e.message)),
      ),
    );
  }
  markTabs(root, state);
}

function markTabs(root, state) {
  for (const tab of root.querySelectorAll('.tab[data-pipeline]')) {
    tab.querySelector('.tab-problems')?.remove();
    const index = state.draft.pipelines.findIndex((r) => r.pipelineId === tab.dataset.pipeline);
    const n = index < 0 ? 0 : state.errors.filter((e) => e.path.startsWith(`pipelines.${index}.`) || e.path === `pipelines.${index}`).length;
    if (n) tab.append(h('span', { class: 'badge bad tab-problems' }, String(n)));
  }
}

/** "pipelines.1.goals.0.code" → "Sales: goals.0.code", naming the pipeline. */
function readablePath(path, state) {
  const m = /^pipelines\.(\d+)\.?(.*)$/.exec(path);
  if (!m) return path;
  const rules = state.draft.pipelines[Number(m[1])];
  const name = state.pipelines.find((p) => p.id === rules?.pipelineId)?.name ?? `#${m[1]}`;
  return m[2] ? `${name}: ${m[2]}` : name;
}

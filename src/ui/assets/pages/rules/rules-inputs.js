// Inputs bound to one key of an object inside the draft config. Each edit mutates the draft and calls
// ctx.changed(), which re-validates; `path` is the dot path the API names in its errors.
import { h, select } from '../../dom.js';

export function textInput(obj, key, ctx, { path, number = false, optional = false, placeholder, type } = {}) {
  return h('input', {
    type: type ?? (number ? 'number' : 'text'),
    value: obj[key] ?? '',
    placeholder,
    'data-path': path,
    step: number ? 'any' : undefined,
    oninput: (e) => {
      const raw = e.target.value;
      if (raw === '' && optional) delete obj[key];
      // A number field keeps what was typed if it is not a number yet, so the API can say why.
      else obj[key] = number && raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
      ctx.changed();
    },
  });
}

export function checkbox(obj, key, ctx, { path, label, onToggle } = {}) {
  const box = h('input', {
    type: 'checkbox',
    checked: !!obj[key],
    'data-path': path,
    onchange: (e) => {
      obj[key] = e.target.checked;
      ctx.changed();
      onToggle?.(e.target.checked);
    },
  });
  return label ? h('label', { class: 'check' }, box, label) : box;
}

/** A comma-separated list of strings ("amount, closeDate"). */
export function listInput(obj, key, ctx, { path, placeholder } = {}) {
  return h('input', {
    type: 'text',
    value: (obj[key] ?? []).join(', '),
    placeholder,
    'data-path': path,
    oninput: (e) => {
      obj[key] = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
      ctx.changed();
    },
  });
}

export function choice(obj, key, ctx, options, { path, structural = false } = {}) {
  return select(
    {
      'data-path': path,
      onchange: (e) => {
        obj[key] = e.target.value;
        ctx.changed();
        if (structural) ctx.rerender();
      },
    },
    options,
    obj[key],
  );
}

/** Options for a stage select: the pipeline's stages in funnel order. */
export function stageOptions(pipeline, { processOnly = false, blank = false } = {}) {
  const stages = pipeline.stages.filter((s) => !processOnly || s.semantics === 'process');
  return [...(blank ? [['', '—']] : []), ...stages.map((s) => [s.id, s.name])];
}

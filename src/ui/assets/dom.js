// A tiny DOM builder. Text always goes in as text nodes, never as HTML: deal titles, user names and
// messages come from the CRM, and the page holds a session token worth stealing.

/**
 * h('div', { class: 'x', onclick: fn, 'data-path': 'a.b' }, 'text', child, [more]).
 * Properties that are DOM properties (value, checked, disabled, selected, type) are set as properties.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'style') Object.assign(el.style, value);
    else if (key in PROPS) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

const PROPS = { value: 1, checked: 1, disabled: 1, selected: 1, type: 1, htmlFor: 1, min: 1, max: 1, step: 1 };

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Empties `el`, then appends `children` (nulls skipped, arrays flattened, strings as text). */
export function clear(el, ...children) {
  while (el.firstChild) el.firstChild.remove();
  return append(el, children);
}

/** A <select> with [value, label] options and the current value selected. */
export function select(attrs, options, current) {
  return h(
    'select',
    attrs,
    options.map(([value, label]) => h('option', { value, selected: String(value) === String(current ?? '') }, label)),
  );
}

/**
 * A labelled field wrapper; `path` ties validation messages from the API to this spot. Only a single
 * form control goes inside a <label>: a click on a label is forwarded to its first control, which in
 * a group of chips would be the first chip's remove button.
 */
export function field(label, control, path) {
  const single = control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement;
  return h(single ? 'label' : 'div', { class: 'field', 'data-path': path }, h('span', { class: 'field-label' }, label), control);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

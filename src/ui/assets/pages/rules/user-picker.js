// Users picked from the portal's users: one (a select) or several (chips plus an "add" select).
import { clear, h, select } from '../../dom.js';
import { t } from '../../i18n.js';

export function userSelect(users, current, onChange, attrs = {}) {
  const options = [['', '—'], ...users.map((u) => [u.id, u.name])];
  // A saved id the user list no longer has stays visible instead of silently turning into "—".
  if (current && !users.some((u) => u.id === current)) options.push([current, `#${current}`]);
  return select({ ...attrs, onchange: (e) => onChange(e.target.value) }, options, current ?? '');
}

/** Edits `list` (an array of user ids) in place and calls onChange after each edit. */
export function userChips(users, list, onChange, attrs = {}) {
  const box = h('div', { class: 'chips', ...attrs });
  const name = (id) => users.find((u) => u.id === id)?.name ?? `#${id}`;
  const draw = () => {
    clear(
      box,
      ...list.map((id, i) =>
        h(
          'span',
          { class: 'chip', 'data-user': id },
          name(id),
          h('button', { type: 'button', class: 'chip-x', 'aria-label': `${t('rules.remove')} ${name(id)}`, onclick: () => (list.splice(i, 1), draw(), onChange()) }, '×'),
        ),
      ),
      select(
        {
          class: 'chip-add',
          'aria-label': t('rules.addUser'),
          onchange: (e) => {
            if (e.target.value) list.push(e.target.value);
            draw();
            onChange();
          },
        },
        [['', t('rules.addUser')], ...users.filter((u) => !list.includes(u.id)).map((u) => [u.id, u.name])],
        '',
      ),
    );
  };
  draw();
  return box;
}

// Entry of every app page: reads the boot data the server rendered, then shows the requested page.
// Pages switch in place (hash routes), so the session embedded once serves the whole visit.
import { sessionClaims, setSessionToken } from './api.js';
import { errorNotice } from './components.js';
import { clear, h, select } from './dom.js';
import { LOCALES, getLocale, setLocale, t } from './i18n.js';

const boot = JSON.parse(document.getElementById('sg-boot').textContent);
setSessionToken(boot.session);
const claims = sessionClaims();
setLocale(rememberedLocale() ?? boot.locale);

const PAGES = {
  dashboard: { roles: ['admin', 'head'], load: () => import('./pages/dashboard.js') },
  deal: { roles: ['admin', 'head', 'manager'], load: () => import('./pages/deal.js') },
  rules: { roles: ['admin', 'head'], load: () => import('./pages/rules/rules-page.js') },
  violations: { roles: ['admin', 'head', 'manager'], load: () => import('./pages/violations.js') },
  install: { roles: ['admin'], load: () => import('./pages/install.js') },
};

const root = document.getElementById('app');
let current = null;

function route() {
  const [name, arg] = location.hash.replace(/^#\/?/, '').split('/');
  if (name && PAGES[name]) return { page: name, arg: arg ? decodeURIComponent(arg) : null };
  return { page: boot.page, arg: boot.page === 'deal' ? boot.dealId : null };
}

function navItems(active) {
  // The deal tab lives in the deal card: it gets no menu, the other pages are one frame of their own.
  if (boot.page === 'deal') return null;
  return h(
    'nav',
    { class: 'nav' },
    Object.entries(PAGES)
      .filter(([name, p]) => name !== 'deal' && p.roles.includes(claims.role))
      .map(([name]) => h('a', { href: `#/${name}`, class: ['nav-item', name === active && 'active'] }, t(`nav.${name}`))),
  );
}

function header(active) {
  const lang = select(
    { class: 'lang', 'aria-label': t('common.language'), onchange: (e) => switchLocale(e.target.value) },
    LOCALES.map((l) => [l, l.toUpperCase()]),
    getLocale(),
  );
  const who = claims.userName ? `${claims.userName} · ${t(`role.${claims.role}`)}` : t(`role.${claims.role}`);
  return h('header', { class: 'top' }, h('span', { class: 'brand' }, 'Stageguard'), navItems(active), h('span', { class: 'who' }, who), lang);
}

async function show() {
  const { page, arg } = route();
  const spec = PAGES[page];
  const main = h('main', { class: 'page', id: `page-${page}` });
  clear(root, header(page), main);
  document.title = `Stageguard · ${t(`nav.${page}`)}`;
  if (!spec.roles.includes(claims.role)) {
    main.append(h('p', { class: 'notice error', role: 'alert' }, t('common.forbidden')));
    root.dataset.ready = page;
    return;
  }
  const token = (current = {});
  main.append(h('p', { class: 'loading' }, t('common.loading')));
  try {
    const mod = await spec.load();
    if (current !== token) return;
    clear(main);
    await mod.render(main, { arg, boot, claims, isCurrent: () => current === token });
  } catch (err) {
    if (current !== token) return;
    clear(main, errorNotice(err));
  }
  root.dataset.ready = page;
}

function rememberedLocale() {
  // Storage can be blocked for a third-party frame; the portal's language is then the default.
  try {
    return localStorage.getItem('sg.locale');
  } catch {
    return null;
  }
}

function switchLocale(locale) {
  setLocale(locale);
  try {
    localStorage.setItem('sg.locale', locale);
  } catch {
    /* the choice then lasts for this page only */
  }
  document.documentElement.lang = locale;
  show();
}

window.addEventListener('hashchange', show);
document.documentElement.lang = getLocale();
show();

const TEXT = {
  ru: { title: 'Stageguard подключён', working: 'Настраиваем аккаунт amoCRM…', done: 'Готово. Stageguard установлен, окно можно закрыть.', failed: 'Не удалось завершить установку:' },
  en: { title: 'Stageguard is connected', working: 'Setting up your amoCRM account…', done: 'Done. Stageguard is installed; you may close this window.', failed: 'The installation could not finish:' },
  pl: { title: 'Stageguard połączony', working: 'Konfigurujemy konto amoCRM…', done: 'Gotowe. Stageguard jest zainstalowany, można zamknąć okno.', failed: 'Nie udało się zakończyć instalacji:' },
};

/**
 * What the admin's browser shows after amoCRM's consent page redirected it to us: the set-up job's
 * progress (webhooks, pipelines, goal field), polled with a short session of the installing admin.
 * Unlike Bitrix24 there is nothing to confirm to the host at the end.
 */
export function amocrmInstallPage(opts: { statusUrl: string; session: string; lang: 'ru' | 'en' | 'pl' }): string {
  const t = TEXT[opts.lang];
  const cfg = JSON.stringify({ statusUrl: opts.statusUrl, session: opts.session, t }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${opts.lang}"><head><meta charset="utf-8"><title>${t.title}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:32px;color:#333}progress{width:320px}</style></head>
<body><h2>${t.title}</h2><p id="msg">${t.working}</p><progress id="bar" max="100" value="5"></progress>
<script>
const cfg = ${cfg};
async function poll() {
  const r = await fetch(cfg.statusUrl, { headers: { authorization: 'Bearer ' + cfg.session } });
  const s = await r.json();
  document.getElementById('bar').value = s.percent || 5;
  if (s.state === 'done') { document.getElementById('msg').textContent = cfg.t.done; return; }
  if (s.state === 'failed') { document.getElementById('msg').textContent = cfg.t.failed + ' ' + (s.error || ''); return; }
  setTimeout(poll, 1000);
}
poll();
</script></body></html>`;
}

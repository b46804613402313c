const TEXT = {
  ru: { title: 'Установка Stageguard', working: 'Настраиваем портал…', done: 'Готово. Stageguard установлен.', failed: 'Не удалось завершить установку:' },
  en: { title: 'Installing Stageguard', working: 'Setting up your portal…', done: 'Done. Stageguard is installed.', failed: 'The installation could not finish:' },
  pl: { title: 'Instalacja Stageguard', working: 'Konfigurujemy portal…', done: 'Gotowe. Stageguard jest zainstalowany.', failed: 'Nie udało się zakończyć instalacji:' },
};

/**
 * The install page inside the Bitrix24 frame: waits for the set-up job (events and placements bound,
 * pipelines imported, goal field created) and only then calls BX24.installFinish().
 */
export function installPage(opts: { statusUrl: string; session: string; lang: 'ru' | 'en' | 'pl' }): string {
  const t = TEXT[opts.lang];
  const cfg = JSON.stringify({ statusUrl: opts.statusUrl, session: opts.session, t }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${opts.lang}"><head><meta charset="utf-8"><title>${t.title}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:32px;color:#333}progress{width:320px}</style>
<script src="https://api.bitrix24.com/api/v1/"></script></head>
<body><h2>${t.title}</h2><p id="msg">${t.working}</p><progress id="bar" max="100" value="5"></progress>
<script>
const cfg = ${cfg};
async function poll() {
  const r = await fetch(cfg.statusUrl, { headers: { authorization: 'Bearer ' + cfg.session } });
  const s = await r.json();
  document.getElementById('bar').value = s.percent || 5;
  if (s.state === 'done') {
    document.getElementById('msg').textContent = cfg.t.done;
    if (window.BX24) BX24.init(function () { BX24.installFinish(); });
    return;
  }
  if (s.state === 'failed') { document.getElementById('msg').textContent = cfg.t.failed + ' ' + (s.error || ''); return; }
  setTimeout(poll, 1000);
}
poll();
</script></body></html>`;
}

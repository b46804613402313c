import { allFeatures } from '../app/features.js';
import { startRuntime } from '../app/runtime.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../log/logger.js';
import { bitrix24DefaultRules } from '../rules/index.js';
import { RulesConfigRepository } from '../rules-store/rules-config.repository.js';
import { Bitrix24Sandbox, ManualClock } from '../sandbox/bitrix24/index.js';
import { InstallProgress } from '../install/install-progress.js';
import { issueSession } from '../ui/session.js';
import { liveMove, seedHistory, seededRandom } from './demo-history.js';

/**
 * `npm run demo`: Stageguard and a sandbox Bitrix24 portal with a sales team and four weeks of deals,
 * installed the way a real portal installs it, then a live stream of moves (some skipping stages) so
 * the dashboard, the alerts and the rules can be seen at work within a minute. The database is the
 * embedded one in ./.stageguard/demo-pg (or DATABASE_URL), kept apart from `npm start`'s.
 */
async function main(): Promise<void> {
  const clock = new ManualClock(new Date());
  const sandbox = new Bitrix24Sandbox({ clock, clientId: 'app.stageguard.demo', clientSecret: 'demo-client-secret', installFinished: false, scopes: ['crm', 'task', 'im', 'user', 'placement', 'lists', 'telephony'] });
  const { url: portalUrl } = await sandbox.start(Number(process.env.SANDBOX_PORT ?? 0));
  const now = new Date();
  const seeded = seedHistory(sandbox, clock, now);

  let config;
  try {
    const port = process.env.PORT ?? '3000';
    config = loadConfig({
      PG_DATA_DIR: './.stageguard/demo-pg',
      PG_PORT: '54339',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...process.env,
      PORT: port,
      ALLOW_INSECURE_LOOPBACK_HOSTS: 'true',
      BITRIX24_CLIENT_ID: sandbox.portal.clientId,
      BITRIX24_CLIENT_SECRET: sandbox.portal.clientSecret,
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) process.stderr.write(`${line}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const rt = await startRuntime({
    config,
    log,
    roles: { web: true, worker: true },
    features: allFeatures({ ui: { devEntry: { frameAncestors: [config.publicUrl, portalUrl] } } }),
    now: () => new Date(),
  });

  const install = await sandbox.openApplication(`${rt.url}/bitrix24/install`);
  if (install.status !== 200) throw new Error(`install failed: ${install.status} ${install.body}`);
  const [{ id: portalId }] = await rt.ctx.db.query(`SELECT id FROM portals WHERE host = 'bitrix24' AND external_id = $1`, [sandbox.portal.memberId]);
  const progress = new InstallProgress(rt.ctx.db);
  for (let i = 0; i < 120 && (await progress.get(portalId)).state !== 'done'; i++) await new Promise((r) => setTimeout(r, 500));
  sandbox.finishInstall();

  const rules = bitrix24DefaultRules();
  rules.headsOfSales = ['2'];
  rules.locale = 'ru';
  const p = rules.pipelines[0]!;
  p.skipping.alertUserIds = ['2'];
  p.skipping.requireLossReasonField = undefined;
  for (const g of p.goals) {
    g.reactions = g.reactions.map((r) => (r.type === 'assign' ? { type: 'assign', to: 'user', userId: '4' } : r.type === 'createTask' && typeof r.assignee === 'object' ? { ...r, assignee: { userId: '1' } } : r));
  }
  const repo = new RulesConfigRepository(rt.ctx.db);
  if (!(await repo.active(portalId))) await repo.save(portalId, rules, { id: '1', name: 'Demo admin' }, 'demo rules');
  await rt.ctx.queue.send('discipline-scan', { portalId });

  const link = (page: string, userId: string, role: 'admin' | 'head' | 'manager', extra = '') =>
    `${config.publicUrl}/app/dev/${page}?session=${issueSession({ portalId, userId, role, userName: `User ${userId}` }, rt.ctx.sessionSecret, 8 * 3600)}${extra}`;
  process.stdout.write(
    [
      '',
      `Stageguard demo: ${seeded.length} deals of a 3-manager team over four weeks, imported from the sandbox portal at ${portalUrl}`,
      `  Dashboard (head of sales): ${link('dashboard', '2', 'head')}`,
      `  Rules editor (admin):      ${link('rules', '1', 'admin')}`,
      `  Violations and audit:      ${link('violations', '2', 'head')}`,
      `  Deal tab (manager):        ${link('deal', '3', 'manager', `&dealId=${seeded[seeded.length - 1]}`)}`,
      '  A manager moves a deal every few seconds; some skip required stages. Ctrl+C stops.',
      '',
    ].join('\n'),
  );

  const rand = seededRandom(Date.now() % 100_000);
  const timer = setInterval(() => {
    clock.set(new Date());
    const move = liveMove(sandbox, rand);
    if (move) log.warn({ move }, 'demo: a manager moved a deal');
  }, Number(process.env.DEMO_MOVE_MS ?? 5000));

  const stop = async () => {
    clearInterval(timer);
    await rt.stop();
    await sandbox.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

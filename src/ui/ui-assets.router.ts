import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/**
 * The browser code is plain ES modules under src/ui/assets, served as written (no build step). The
 * build compiles only TypeScript into dist/, so from dist/src/ui the folder is found by walking up to
 * the package root, as the manifest is.
 */
export function uiAssetsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [path.join(dir, 'assets'), path.join(dir, 'src', 'ui', 'assets')]) {
      if (existsSync(path.join(candidate, 'main.js'))) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('src/ui/assets not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** chart.js's UMD bundle, straight from node_modules: the page loads no script from anyone else's server. */
export function chartJsFile(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return path.join(path.dirname(main), 'chart.umd.min.js');
}

/**
 * /app/assets/* and /app/vendor/chart.js. Public: they hold code, never data. "no-cache" means
 * revalidate by ETag on each load, so a deploy is picked up at once while unchanged files cost a 304.
 */
export function uiAssetsRouter(): Router {
  const router = Router();
  const headers = (res: express.Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };
  router.use('/assets', express.static(uiAssetsDir(), { index: false, setHeaders: headers }));
  const chart = chartJsFile();
  router.get('/vendor/chart.js', (_req, res) => {
    headers(res);
    res.type('application/javascript').sendFile(chart);
  });
  return router;
}

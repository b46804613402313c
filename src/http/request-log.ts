import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log/logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

const PREFIX = randomBytes(4).toString('hex');
let seq = 0;

/**
 * Request ids and request logs. Lighter than pino-http on purpose: the webhook endpoint answers
 * thousands of requests a second, so the child logger is built only when a handler logs, and the
 * completion line of high-volume paths is logged at debug.
 */
export function requestLog(log: Logger, opts: { quiet: (path: string) => boolean; debugOnly: (path: string) => boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : `${PREFIX}-${(++seq).toString(36)}`;
    req.id = id;
    res.setHeader('x-request-id', id);
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { get: () => (child ??= log.child({ reqId: id })), configurable: true });
    const started = process.hrtime.bigint();
    // amoCRM webhook URLs carry the account's secret: it must never reach a log line.
    const path = req.path.replace(/^(\/amocrm\/webhooks\/)[^/]+/, '$1[secret]');
    if (!opts.quiet(path)) {
      res.on('finish', () => {
        const level = res.statusCode >= 500 ? 'error' : opts.debugOnly(path) && res.statusCode < 400 ? 'debug' : 'info';
        if (!log.isLevelEnabled(level)) return;
        log[level](
          { reqId: id, method: req.method, path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
          'request completed',
        );
      });
    }
    next();
  };
}

import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../log/logger.js';

/** An error meant for the client: status + a stable code + a reason a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    // body-parser errors carry a status and a type ("entity.too.large", "entity.parse.failed").
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = err.type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
      res.status(status === 413 ? 400 : status).json({ error: code, message: err.message ?? 'Bad request' });
      return;
    }
    (req as any).log?.error({ err }, 'unhandled error') ?? log.error({ err }, 'unhandled error');
    res.status(500).json({ error: 'internal', message: 'Internal error' });
  };
}

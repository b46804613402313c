import type { NextFunction, Request, Response } from 'express';
import { problem } from './sandbox-hal.js';
import type { AmoSandboxClock } from './sandbox-clock.js';
import type { AmoSandboxOAuth } from './sandbox-oauth.js';

// What stands before every /api/v4 call: the account block, the bearer token, and the rate limit
// — "not more than 7 requests per second" per integration, 429 beyond it; repeated violations get
// the account blocked with a 403 on every request, in practice a plain nginx HTML page
// (docs/limitations, docs/http-codes; shared/protocols/amocrm.md §4). The window is a whole clock
// second; refused requests do not count against it (the docs do not say).

export interface AmoSandboxGateOptions {
  perSecond: number;
  /** After this many 429s the account is blocked (403 HTML) until unblock(); null = never. */
  blockAfter429s: number | null;
}

export interface AmoSandboxCall {
  method: string;
  path: string;
  status: number;
  at: number;
}

const BLOCK_PAGE = '<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>403 Forbidden</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n';

export class AmoSandboxGate {
  blocked = false;
  rateLimitHits = 0;
  readonly calls: AmoSandboxCall[] = [];
  private window = -1;
  private count = 0;

  constructor(
    private readonly clock: AmoSandboxClock,
    private readonly oauth: AmoSandboxOAuth,
    readonly options: AmoSandboxGateOptions,
  ) {}

  /** Records every call with the status it got, for tests that count calls. */
  recorder() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const at = this.clock.now();
      res.on('finish', () => this.calls.push({ method: req.method, path: req.path, status: res.statusCode, at }));
      next();
    };
  }

  guard() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (this.blocked) {
        res.status(403).type('text/html').send(BLOCK_PAGE);
        return;
      }
      const auth = this.oauth.authenticate(req.header('authorization'));
      if (!auth.ok) {
        problem(res, 401, 'Unauthorized', auth.detail);
        return;
      }
      const second = Math.floor(this.clock.now() / 1000);
      if (second !== this.window) {
        this.window = second;
        this.count = 0;
      }
      if (this.count >= this.options.perSecond) {
        this.rateLimitHits += 1;
        if (this.options.blockAfter429s !== null && this.rateLimitHits >= this.options.blockAfter429s) this.blocked = true;
        const retryAfter = Math.max(1, Math.ceil((this.window + 1) * 1000 - this.clock.now()) / 1000);
        problem(res, 429, 'Too Many Requests', 'You have sent too many requests in a given amount of time. Please try again later.', { retry_after: Math.ceil(retryAfter) });
        return;
      }
      this.count += 1;
      res.locals.userId = auth.userId;
      next();
    };
  }

  callCount(filter: { method?: string; path?: string | RegExp; status?: number } = {}): number {
    return this.calls.filter(
      (c) =>
        (filter.method === undefined || c.method === filter.method) &&
        (filter.status === undefined || c.status === filter.status) &&
        (filter.path === undefined || (typeof filter.path === 'string' ? c.path === filter.path : filter.path.test(c.path))),
    ).length;
  }
}

import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { HttpError } from '../http/http-errors.js';

export type SessionRole = 'admin' | 'head' | 'manager';

/** One portal, one user, one role: the whole authority of an API call. */
export interface Session {
  portalId: string;
  userId: string;
  userName?: string;
  role: SessionRole;
}

const ISSUER = 'stageguard';
const AUDIENCE = 'stageguard-api';

export function issueSession(session: Session, secret: string, ttlSeconds = 3600): string {
  return jwt.sign({ pid: session.portalId, uid: session.userId, un: session.userName, role: session.role }, secret, {
    algorithm: 'HS256',
    expiresIn: ttlSeconds,
    issuer: ISSUER,
    audience: AUDIENCE,
  });
}

export function verifySession(token: string, secret: string): Session {
  // The algorithm is pinned and exp is required: an unsigned ("alg": "none") or eternal token is refused.
  const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }) as jwt.JwtPayload;
  if (typeof claims.exp !== 'number') throw new Error('exp required');
  if (typeof claims.pid !== 'string' || typeof claims.uid !== 'string' || !['admin', 'head', 'manager'].includes(claims.role)) {
    throw new Error('malformed session');
  }
  return { portalId: claims.pid, userId: claims.uid, userName: claims.un, role: claims.role };
}

/** Every /api call carries `Authorization: Bearer <session>`; no cookies, so no CSRF surface in the host's frame. */
export function requireSession(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(header);
    if (!match) return next(new HttpError(401, 'no_session', 'Authorization: Bearer <session token> is required'));
    try {
      res.locals.session = verifySession(match[1]!, secret);
      next();
    } catch (err) {
      next(new HttpError(401, 'bad_session', `Session token refused: ${err instanceof Error ? err.message : 'invalid'}`));
    }
  };
}

export function sessionOf(res: Response): Session {
  const s = res.locals.session as Session | undefined;
  if (!s) throw new HttpError(401, 'no_session', 'No session');
  return s;
}

export function requireRole(...roles: SessionRole[]) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const s = sessionOf(res);
    if (!roles.includes(s.role)) return next(new HttpError(403, 'forbidden', `This needs the role ${roles.join(' or ')}`));
    next();
  };
}

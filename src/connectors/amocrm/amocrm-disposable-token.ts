import jwt from 'jsonwebtoken';
import { amoBaseDomain } from './amocrm-base-domain.js';
import type { JtiStore } from './amocrm-ports.js';

// The widget calls our backend with `self.$authorizedAjax()`, which adds `X-Auth-Token: <JWT>`
// (developers.kommo.com/docs/one-time-tokens; amocrm.com/developers/content/oauth/one-time-tokens-for-integrations):
// HS256 keyed with the integration's client secret; claims iss (account URL), aud (base address from
// our redirect_uri), jti (UUID), iat, nbf, exp (30 min), account_id, user_id, subdomain, client_uuid.
// The official SDK checks signature → aud → nbf/exp; we add client_uuid, iss ↔ subdomain, and a jti
// that is accepted once (the token is "one-time" by name, nothing on the host enforces it).

export type AmoDisposableTokenReason =
  | 'malformed'
  | 'bad_algorithm'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claims'
  | 'wrong_audience'
  | 'wrong_client'
  | 'wrong_issuer'
  | 'replayed';

export interface AmoWidgetIdentity {
  accountId: string;
  userId: string;
  subdomain: string;
  /** The account URL from `iss`. */
  issuer: string;
  jti: string;
  expiresAt: Date;
  /** Optional claim the SDK reads; null when absent. */
  isAdmin: boolean | null;
}

export type AmoDisposableTokenVerdict = { ok: true; identity: AmoWidgetIdentity } | { ok: false; reason: AmoDisposableTokenReason; message: string };

export interface AmoDisposableTokenOptions {
  /** The integration id: `client_uuid` must equal it. */
  clientId: string;
  clientSecret: string;
  /** Our base URL (scheme://host[:port]), what amoCRM derives `aud` from. */
  audience: string;
  jtiStore: JtiStore;
  /** Seconds of clock skew tolerated on nbf/exp. */
  clockToleranceSec?: number;
  /** Accept an http://127.0.0.1:port issuer (the sandbox). */
  allowInsecureLoopback?: boolean;
  now?: () => Date;
}

export class AmoDisposableTokenVerifier {
  private readonly audience: string;

  constructor(private readonly options: AmoDisposableTokenOptions) {
    this.audience = origin(options.audience) ?? options.audience;
  }

  async verify(token: string | null | undefined): Promise<AmoDisposableTokenVerdict> {
    if (typeof token !== 'string' || token === '' || token.length > 4096) return refuse('malformed', 'no token');
    const decoded = jwt.decode(token, { complete: true });
    if (decoded === null || typeof decoded.payload !== 'object') return refuse('malformed', 'not a JWT with a JSON payload');
    // Pinned before verification: `none`, HS512 (the Salesbot token) or RS* never reach the key.
    if (decoded.header.alg !== 'HS256') return refuse('bad_algorithm', `algorithm ${String(decoded.header.alg)} is not HS256`);

    const nowSec = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
    let claims: jwt.JwtPayload;
    try {
      const verified = jwt.verify(token, this.options.clientSecret, {
        algorithms: ['HS256'],
        clockTimestamp: nowSec,
        clockTolerance: this.options.clockToleranceSec ?? 10,
      });
      if (typeof verified === 'string') return refuse('malformed', 'payload is not an object');
      claims = verified;
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) return refuse('expired', `expired at ${err.expiredAt.toISOString()}`);
      if (err instanceof jwt.NotBeforeError) return refuse('not_yet_valid', `not valid before ${err.date.toISOString()}`);
      const message = err instanceof Error ? err.message : String(err);
      if (message === 'invalid signature') return refuse('bad_signature', 'signature does not match the client secret');
      return refuse('malformed', message);
    }

    const accountId = idClaim(claims.account_id);
    const userId = idClaim(claims.user_id);
    const { jti, exp, iss, subdomain, client_uuid: clientUuid } = claims as jwt.JwtPayload & { subdomain?: unknown; client_uuid?: unknown };
    if (accountId === null || userId === null || typeof jti !== 'string' || jti === '' || typeof exp !== 'number' || typeof iss !== 'string' || typeof subdomain !== 'string') {
      return refuse('missing_claims', 'account_id, user_id, jti, exp, iss and subdomain are required');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => typeof aud === 'string' && (origin(aud) ?? aud) === this.audience)) {
      return refuse('wrong_audience', `aud is not ${this.audience}`);
    }
    if (clientUuid !== this.options.clientId) return refuse('wrong_client', 'client_uuid is not this integration');
    const issuer = amoBaseDomain(iss, { allowInsecureLoopback: this.options.allowInsecureLoopback });
    if (!issuer.ok || (issuer.subdomain !== null && issuer.subdomain !== subdomain.toLowerCase())) {
      return refuse('wrong_issuer', 'iss is not the account named by subdomain');
    }
    // Last, so a token failing any other check cannot use up its jti.
    const expiresAt = new Date(exp * 1000);
    if (!(await this.options.jtiStore.claimOnce(jti, expiresAt))) return refuse('replayed', 'this token was already used');

    const isAdmin = (claims as { is_admin?: unknown }).is_admin;
    return {
      ok: true,
      identity: { accountId, userId, subdomain, issuer: iss, jti, expiresAt, isAdmin: typeof isAdmin === 'boolean' ? isAdmin : null },
    };
  }
}

function refuse(reason: AmoDisposableTokenReason, message: string): AmoDisposableTokenVerdict {
  return { ok: false, reason, message };
}

function idClaim(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return null;
}

function origin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

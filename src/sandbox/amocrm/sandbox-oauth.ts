import express, { type Router } from 'express';
import { randomBytes } from 'node:crypto';
import { unixOf, type AmoSandboxClock } from './sandbox-clock.js';

// The account's OAuth authority, as developers.kommo.com/docs/oauth-20 and /reference/get-token
// describe it: a code lives 20 minutes and works once; an access token 24 h; a refresh token 3
// months; every refresh returns a NEW refresh token.
// The doc says the old refresh token keeps working until the new pair is used (a network-error
// grace). This sandbox is stricter by default — the old one is refused at once — so a client that
// loses or fails to persist a rotated token is caught; `refreshGrace: 'until-new-used'` models the doc.

export interface AmoSandboxOAuthOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  codeTtlSec?: number;
  accessTtlSec?: number;
  refreshTtlSec?: number;
  refreshGrace?: 'none' | 'until-new-used';
}

export interface AmoSandboxTokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

type Auth = { ok: true; userId: number } | { ok: false; detail: string };

interface AccessRecord {
  userId: number;
  expiresAt: number;
  refreshToken: string;
  generation: number;
}

interface RefreshRecord {
  userId: number;
  expiresAt: number;
  state: 'live' | 'superseded' | 'dead';
  predecessor: string | null;
}

export class AmoSandboxOAuth {
  private readonly codes = new Map<string, { userId: number; expiresAt: number; used: boolean }>();
  private readonly access = new Map<string, AccessRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  /** revokeAll() moves to a new generation: tokens of earlier ones are dead. */
  private generation = 0;
  /** Every grant answered, for tests that count refreshes. */
  readonly grants: { grantType: string; ok: boolean; at: number }[] = [];

  constructor(
    private readonly options: AmoSandboxOAuthOptions,
    private readonly clock: AmoSandboxClock,
  ) {}

  issueCode(userId: number): string {
    const code = `def502${randomBytes(24).toString('hex')}`;
    this.codes.set(code, { userId, expiresAt: unixOf(this.clock) + (this.options.codeTtlSec ?? 1200), used: false });
    return code;
  }

  /** A pair without the code dance, for tests that start from an installed account. */
  issueTokens(userId: number): AmoSandboxTokenPair {
    return this.newPair(userId, null);
  }

  authenticate(authorization: string | undefined): Auth {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    if (!match) return { ok: false, detail: 'Authorization header is missing' };
    const record = this.access.get(match[1]);
    if (!record) return { ok: false, detail: 'Invalid access token' };
    if (record.generation !== this.generation) return { ok: false, detail: 'Access token has been revoked' };
    // An access token is a JWT with its own expiry (oauth-20); rotating the refresh token does not
    // end it early — the docs say nothing of that, so the sandbox does not either.
    if (record.expiresAt <= unixOf(this.clock)) return { ok: false, detail: 'Access token has expired' };
    this.retirePredecessor(record.refreshToken);
    return { ok: true, userId: record.userId };
  }

  /** Integration disabled by the admin: every token stops working (oauth-20 "Revocation"). */
  revokeAll(): void {
    this.generation += 1;
    for (const record of this.refresh.values()) record.state = 'dead';
  }

  router(): Router {
    const router = express.Router();
    router.post('/oauth2/access_token', express.json({ limit: '16kb' }), (req, res) => {
      const result = this.grant((req.body ?? {}) as Record<string, unknown>);
      this.grants.push({ grantType: String((req.body as Record<string, unknown> | undefined)?.grant_type ?? ''), ok: result.status === 200, at: unixOf(this.clock) });
      res.status(result.status).type(result.status === 200 ? 'application/json' : 'application/problem+json').send(JSON.stringify(result.body));
    });
    return router;
  }

  grant(body: Record<string, unknown>): { status: number; body: unknown } {
    if (body.client_id !== this.options.clientId) return oauthError(400, 'Check the `client_id` parameter');
    if (body.client_secret !== this.options.clientSecret) return oauthError(401, 'Client authentication failed');
    if (body.redirect_uri !== this.options.redirectUri) return oauthError(400, 'Check the `redirect_uri` parameter');
    const now = unixOf(this.clock);

    if (body.grant_type === 'authorization_code') {
      const code = typeof body.code === 'string' ? this.codes.get(body.code) : undefined;
      if (!code) return oauthError(400, 'Cannot decrypt the authorization code');
      if (code.used) return oauthError(400, 'Authorization code has been revoked');
      if (code.expiresAt <= now) return oauthError(400, 'Authorization code has expired');
      code.used = true;
      return { status: 200, body: this.tokenBody(this.newPair(code.userId, null)) };
    }
    if (body.grant_type === 'refresh_token') {
      const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
      const record = this.refresh.get(token);
      if (!record || record.state === 'dead' || record.expiresAt <= now) return oauthError(400, 'Invalid refresh token');
      this.retirePredecessor(token);
      record.state = this.options.refreshGrace === 'until-new-used' ? 'superseded' : 'dead';
      return { status: 200, body: this.tokenBody(this.newPair(record.userId, token)) };
    }
    return oauthError(400, 'Check the `grant_type` parameter');
  }

  private newPair(userId: number, predecessor: string | null): AmoSandboxTokenPair {
    const now = unixOf(this.clock);
    const accessTtl = this.options.accessTtlSec ?? 86_400;
    const refreshToken = `def50200${randomBytes(32).toString('hex')}`;
    const accessToken = `sbx.${randomBytes(24).toString('base64url')}`;
    this.refresh.set(refreshToken, { userId, expiresAt: now + (this.options.refreshTtlSec ?? 90 * 86_400), state: 'live', predecessor });
    this.access.set(accessToken, { userId, expiresAt: now + accessTtl, refreshToken, generation: this.generation });
    return { accessToken, refreshToken, expiresIn: accessTtl };
  }

  /** Using a new pair (its access token or its refresh token) ends the grace of the one before. */
  private retirePredecessor(refreshToken: string): void {
    const predecessor = this.refresh.get(refreshToken)?.predecessor;
    const old = predecessor ? this.refresh.get(predecessor) : undefined;
    if (old && old.state === 'superseded') old.state = 'dead';
  }

  private tokenBody(pair: AmoSandboxTokenPair): Record<string, unknown> {
    return { token_type: 'Bearer', expires_in: pair.expiresIn, access_token: pair.accessToken, refresh_token: pair.refreshToken, server_time: unixOf(this.clock) };
  }
}

/** The token endpoint's error shape seen in the wild (shared/protocols/amocrm.md §1). */
function oauthError(status: number, hint: string): { status: number; body: unknown } {
  return {
    status,
    body: {
      hint,
      title: status === 401 ? 'Unauthorized' : 'Некорректный запрос',
      type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
      status,
      detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
    },
  };
}

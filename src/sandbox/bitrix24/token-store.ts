// OAuth tokens as the authorization server keeps them (settings/oauth/auto-renewal.md): access tokens live
// an hour (configurable here), refresh tokens 180 days and ROTATE — every refresh returns a new refresh
// token and the one just used is dead at once. Authorization codes live 30 seconds (settings/oauth/index.md).

import { randomBytes } from 'node:crypto';
import type { SandboxClock } from './clock.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  userId: number;
}

interface AccessRecord {
  userId: number;
  expiresAt: number;
  revoked: boolean;
}

interface RefreshRecord {
  userId: number;
  expiresAt: number;
  /** Rotated away or revoked. */
  dead: boolean;
}

interface CodeRecord {
  userId: number;
  expiresAt: number;
  used: boolean;
}

export type AuthCheck = { ok: true; userId: number } | { ok: false; reason: 'unknown' | 'expired' };

const REFRESH_TTL_MS = 180 * 86_400_000;
const CODE_TTL_MS = 30_000;

/** 32 lowercase alphanumerics, the shape of the documented example tokens. */
export function randomToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export class TokenStore {
  private access = new Map<string, AccessRecord>();
  private refresh = new Map<string, RefreshRecord>();
  private codes = new Map<string, CodeRecord>();

  constructor(
    private readonly clock: SandboxClock,
    public accessTtlSec: number,
  ) {}

  issueAccess(userId: number): { token: string; expiresAt: number } {
    const token = randomToken();
    const expiresAt = this.clock.now() + this.accessTtlSec * 1000;
    this.access.set(token, { userId, expiresAt, revoked: false });
    return { token, expiresAt };
  }

  issuePair(userId: number): TokenPair {
    const access = this.issueAccess(userId);
    const refreshToken = randomToken();
    this.refresh.set(refreshToken, { userId, expiresAt: this.clock.now() + REFRESH_TTL_MS, dead: false });
    return { accessToken: access.token, refreshToken, accessExpiresAt: access.expiresAt, userId };
  }

  authenticate(token: string): AuthCheck {
    const record = this.access.get(token);
    if (!record || record.revoked) return { ok: false, reason: 'unknown' };
    if (record.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, userId: record.userId };
  }

  /** Rotation: the presented token dies before the new pair exists, so a replay can never succeed. */
  rotate(refreshToken: string): TokenPair | null {
    const record = this.refresh.get(refreshToken);
    if (!record || record.dead || record.expiresAt <= this.clock.now()) return null;
    record.dead = true;
    return this.issuePair(record.userId);
  }

  issueCode(userId: number): string {
    const code = randomToken();
    this.codes.set(code, { userId, expiresAt: this.clock.now() + CODE_TTL_MS, used: false });
    return code;
  }

  exchangeCode(code: string): TokenPair | null {
    const record = this.codes.get(code);
    if (!record || record.used || record.expiresAt <= this.clock.now()) return null;
    record.used = true;
    return this.issuePair(record.userId);
  }

  /** Every access token issued so far is now past its expiry; refresh tokens stay valid. */
  expireAccessTokens(): void {
    const past = this.clock.now() - 1;
    for (const record of this.access.values()) record.expiresAt = Math.min(record.expiresAt, past);
  }

  /** The portal withdrew the app's authorization: no access or refresh token works any more. */
  revokeAll(): void {
    for (const record of this.access.values()) record.revoked = true;
    for (const record of this.refresh.values()) record.dead = true;
    for (const record of this.codes.values()) record.used = true;
  }

  isLiveRefreshToken(token: string): boolean {
    const record = this.refresh.get(token);
    return !!record && !record.dead && record.expiresAt > this.clock.now();
  }
}

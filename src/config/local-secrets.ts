import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Secrets {
  tokenKey: string;
  sessionSecret: string;
  generated: boolean;
}

/**
 * `npm start` on a bare machine must work without setting keys by hand, so missing keys are
 * generated once into a 0600 file beside the embedded database and reused on the next start.
 * Production sets TOKEN_ENCRYPTION_KEY and SESSION_SECRET in the environment instead.
 */
export function resolveSecrets(opts: { tokenKey?: string; sessionSecret?: string; stateDir: string }): Secrets {
  if (opts.tokenKey && opts.sessionSecret) return { tokenKey: opts.tokenKey, sessionSecret: opts.sessionSecret, generated: false };
  const file = path.join(opts.stateDir, 'local-secrets.json');
  let stored: { tokenKey: string; sessionSecret: string };
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    mkdirSync(opts.stateDir, { recursive: true });
    stored = { tokenKey: randomBytes(32).toString('base64'), sessionSecret: randomBytes(48).toString('base64url') };
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  return {
    tokenKey: opts.tokenKey ?? stored.tokenKey,
    sessionSecret: opts.sessionSecret ?? stored.sessionSecret,
    generated: true,
  };
}

import { randomBytes } from 'node:crypto';
import type { TokenCipher } from '../security/token-cipher.js';

// amoCRM signs nothing on account webhooks (shared/protocols/amocrm.md §2.2), so the URL we
// register carries a per-account secret: {PUBLIC_URL}{webhooks path}/{secret}.
//
// The secret itself is never stored. Each install draws a fresh random nonce (kept in the portal's
// settings) and the secret is the server-keyed HMAC of account id + nonce: the set-up job, which
// registers the URL, can derive it again, a re-install changes it, and a copy of the database
// alone (without TOKEN_ENCRYPTION_KEY) gives nobody a URL that amoCRM would post to. What the
// webhook route compares against is the secret's digest, in the portal's application token slot
// (the slot Bitrix24 uses for its own proof of origin).

/** Settings key of the nonce the current webhook secret derives from. */
export const AMO_WEBHOOK_NONCE_SETTING = 'webhookNonce';

export function newAmoWebhookNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** URL-safe (base64url), 43 characters. */
export function amoWebhookSecret(cipher: TokenCipher, accountId: string, nonce: string): string {
  return cipher.digest(`amocrm-webhook-url|${accountId}|${nonce}`);
}

/** Where amoCRM posts for this secret. Every URL of ours starts with `amoWebhookUrlPrefix`. */
export function amoWebhookUrl(publicUrl: string, path: string, secret: string): string {
  return `${amoWebhookUrlPrefix(publicUrl, path)}${secret}`;
}

export function amoWebhookUrlPrefix(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/$/, '')}${path}/`;
}

import { createHash, timingSafeEqual } from 'node:crypto';

// amoCRM signs nothing on account webhooks (shared/protocols/amocrm.md §2.2: "No signature/HMAC is
// documented"). What authenticates a delivery is (1) a per-account secret we put in the destination
// URL when registering it, checked by the route, and (2) the body's `account[id]`, which must name
// the account that secret belongs to — so a secret leaked for one account cannot feed events into
// another. Both compare in constant time.

export type AmoWebhookVerdict = { ok: true } | { ok: false; reason: 'missing_account' | 'account_mismatch' | 'bad_secret' };

/** The body's `account[id]` against the account the URL secret belongs to. */
export function verifyAmoWebhook(accountIdInBody: string | null | undefined, expectedAccountId: string): AmoWebhookVerdict {
  if (accountIdInBody === null || accountIdInBody === undefined || accountIdInBody === '') return { ok: false, reason: 'missing_account' };
  return constantTimeEqual(accountIdInBody, expectedAccountId) ? { ok: true } : { ok: false, reason: 'account_mismatch' };
}

/** The secret path segment against the stored one. */
export function verifyAmoWebhookSecret(secretInUrl: string | null | undefined, expectedSecret: string): AmoWebhookVerdict {
  if (!secretInUrl || expectedSecret === '') return { ok: false, reason: 'bad_secret' };
  return constantTimeEqual(secretInUrl, expectedSecret) ? { ok: true } : { ok: false, reason: 'bad_secret' };
}

/** Hashing first gives equal-length inputs, so neither the content nor the length leaks through timing. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

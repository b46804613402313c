import { createHmac, timingSafeEqual } from 'node:crypto';

// When an admin disables the integration, amoCRM calls the "disable hook" URL from the integration
// settings (developers.kommo.com/docs/oauth-20):
//   GET https://…?client_uuid=<client_id>&account_id=32720107&signature=353c0e2d…
//   User-Agent: amoService-oAuth-Code-Sender/1.0
// signature = hex(HMAC-SHA256(key = client_secret, message = `${client_id}|${account_id}`)).
// Only a valid signature may drop tokens and stop jobs: the URL is public.

export type AmoDisableHookVerdict =
  | { ok: true; accountId: string }
  | { ok: false; reason: 'missing_parameters' | 'client_mismatch' | 'bad_signature' };

export function verifyAmoDisableHook(
  query: Record<string, unknown>,
  integration: { clientId: string; clientSecret: string },
): AmoDisableHookVerdict {
  const clientUuid = one(query.client_uuid);
  const accountId = one(query.account_id);
  const signature = one(query.signature);
  if (clientUuid === null || accountId === null || signature === null || !/^\d+$/.test(accountId)) {
    return { ok: false, reason: 'missing_parameters' };
  }
  if (clientUuid !== integration.clientId) return { ok: false, reason: 'client_mismatch' };
  const expected = amoDisableHookSignature(integration.clientId, accountId, integration.clientSecret);
  // Hex in any case; a wrong length or a non-hex character is simply a bad signature.
  const given = /^[0-9a-fA-F]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : null;
  if (given === null || !timingSafeEqual(given, Buffer.from(expected, 'hex'))) return { ok: false, reason: 'bad_signature' };
  return { ok: true, accountId };
}

/** What amoCRM sends; the sandbox signs its own disable hooks with it. */
export function amoDisableHookSignature(clientId: string, accountId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(`${clientId}|${accountId}`).digest('hex');
}

function one(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : null;
}

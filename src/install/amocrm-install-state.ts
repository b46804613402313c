import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The OAuth `state` of an install we started ourselves (the "Install" button that sends the
// admin to amoCRM's consent page): stateless, signed with the session secret and short-lived, so
// the redirect can tell a state we issued from one somebody made up. amoCRM's own marketplace
// install pushes a code with `from_widget=1` and no state (oauth-20); that path has none to check.

/** Long enough to read amoCRM's consent page; the code it leads to lives 20 minutes more. */
const STATE_TTL_SEC = 3600;

export function mintAmoInstallState(secret: string, now: Date): string {
  const body = `${Math.floor(now.getTime() / 1000) + STATE_TTL_SEC}.${randomBytes(12).toString('base64url')}`;
  return `${body}.${sign(secret, body)}`;
}

export function verifyAmoInstallState(state: string, secret: string, now: Date): boolean {
  const parts = state.split('.');
  if (parts.length !== 3 || !/^\d{1,12}$/.test(parts[0]!)) return false;
  const body = `${parts[0]}.${parts[1]}`;
  const given = Buffer.from(parts[2]!, 'utf8');
  const expected = Buffer.from(sign(secret, body), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return Number(parts[0]) > Math.floor(now.getTime() / 1000);
}

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`amocrm-install-state|${body}`).digest('base64url');
}

import { HostApiError } from '../host-api-error.js';
import type { AmoApiClient } from './amocrm-api.client.js';
import type { AmoAccount } from './amocrm-wire.types.js';

export interface AmoAccountInfo {
  /** The account id: what a portal is keyed by, and what every webhook names in `account[id]`. */
  id: string;
  subdomain: string;
  /** Leads carry no currency of their own; the account's is theirs. */
  currency: string | null;
  /** Whose authorization this is (the admin who installed). */
  currentUserId: string | null;
}

/**
 * GET /api/v4/account. Right after the code exchange it binds the tokens to an account id read
 * from the host itself (shared/protocols/amocrm.md §3 "Use after install to bind account_id ↔
 * tokens"), never from anything in the redirect URL.
 */
export async function readAmoAccount(api: AmoApiClient): Promise<AmoAccountInfo> {
  const { data } = await api.request<AmoAccount>('GET', '/api/v4/account', 'read');
  if (!data || typeof data.id !== 'number' || typeof data.subdomain !== 'string') {
    throw new HostApiError('UNKNOWN', 'GET /api/v4/account answered without id and subdomain', null, 'BAD_RESPONSE');
  }
  return {
    id: String(data.id),
    subdomain: data.subdomain,
    currency: typeof data.currency === 'string' && data.currency !== '' ? data.currency : null,
    currentUserId: typeof data.current_user_id === 'number' ? String(data.current_user_id) : null,
  };
}

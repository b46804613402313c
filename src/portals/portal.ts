import type { HostKind } from '../domain/crm.js';

export type PortalStatus = 'installing' | 'active' | 'needs_reauth' | 'blocked' | 'uninstalled';

/** An installed Bitrix24 portal or amoCRM account: the tenant every other row belongs to. */
export interface Portal {
  id: string;
  host: HostKind;
  /** Bitrix24 member_id or amoCRM account id. */
  externalId: string;
  domain: string;
  status: PortalStatus;
  locale: string;
  plan: string | null;
  clientEndpoint: string | null;
  serverEndpoint: string | null;
  settings: Record<string, unknown>;
  /** ISO; moves before this are history, never judged. */
  installedAt: string | null;
}

export interface PortalTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires. */
  expiresAt: Date;
}

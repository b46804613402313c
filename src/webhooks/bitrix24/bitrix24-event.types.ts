import type { FormObject } from './form-body.parser.js';

/** The `auth[...]` block of an event. Tokens are absent for robot/workflow-started events and for ONAPPUNINSTALL. */
export interface Bitrix24EventAuth {
  accessToken?: string;
  refreshToken?: string;
  /** Seconds. */
  expiresIn?: number;
  /** Unix seconds, seen in real payloads (mesilov/bitrix24-php-sdk#296), not in the docs example. */
  expires?: number;
  clientEndpoint?: string;
  serverEndpoint?: string;
  userId?: string;
  scope?: string;
  status?: string;
}

/** One event POST, as Bitrix24 sends it (docs: api-reference/events/index.md), with names normalized. */
export interface Bitrix24Event {
  /** Upper-cased: the docs show both `ONCRMACTIVITYADD` and `onCrmActivityAdd`. */
  name: string;
  memberId: string;
  applicationToken: string;
  domain: string;
  /** Unix seconds as sent ("date and time of the event sent from the queue"). */
  ts: string;
  /** `data[FIELDS][ID]`, the only entity data a CRM event carries. */
  entityId: string | null;
  eventHandlerId: string | null;
  data: FormObject;
  auth: Bitrix24EventAuth;
  /** sha256 hex of memberId|name|entityId|ts: the inbox unique key. */
  dedupeKey: string;
}

/**
 * OAuth data of an installation, from either the install POST (AUTH_ID, REFRESH_ID… plus DOMAIN and
 * PROTOCOL in the query; docs: settings/oauth/simple-way.md) or the ONAPPINSTALL event `auth[...]`
 * (api-reference/common/events/on-app-install.md). Both feed the same portal upsert.
 */
export interface Bitrix24InstallAuth {
  source: 'install_form' | 'onappinstall_event';
  memberId: string;
  /** Host name only, e.g. `portal.bitrix24.com` or `127.0.0.1:8080`. */
  domain: string;
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives, as sent. */
  expiresIn: number | null;
  /** Unix seconds, when the host said. */
  expires: number | null;
  /** The portal's REST base, e.g. `https://portal.bitrix24.com/rest/`. */
  clientEndpoint: string;
  /** The OAuth server's REST base, e.g. `https://oauth.bitrix.info/rest/`. */
  serverEndpoint: string;
  applicationToken: string | null;
  /** Scopes; the docs use both commas and spaces as separators. */
  scope: string[];
  /** L local | F free | D demo | T trial | P paid; informational only (app.info is the trusted source). */
  status: string | null;
  userId: string | null;
  lang: string | null;
  /** `DEFAULT` for the app page, a widget code otherwise; null for the event. */
  placement: string | null;
  placementOptions: Record<string, unknown> | null;
}

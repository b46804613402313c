import {
  parseBitrix24InstallEvent,
  parseBitrix24InstallForm,
} from '../../../src/webhooks/bitrix24/bitrix24-install.parser.js';
import { eventFixture } from './fixtures.js';
import { httpBuildQuery } from './http-build-query.js';

// The install POST as settings/oauth/simple-way.md lists it: DOMAIN, PROTOCOL, LANG, APP_SID in the
// query; everything else form fields in the body.
const INSTALL_BODY = {
  AUTH_ID: 'ahodg4hkl2zvsjxq1lmx6rzlzr8b3w5u',
  AUTH_EXPIRES: '3600',
  REFRESH_ID: '2lg086sxk6c7s2vq3q8j9y0fnt4q7rzd',
  SERVER_ENDPOINT: 'https://oauth.bitrix.info/rest/',
  APPLICATION_TOKEN: 'ec1b20745c6a6c2b3c7dd4f6c3f36f0b',
  APPLICATION_SCOPE: 'crm,entity,im,task',
  member_id: 'a223c6b3710f85df22e9377d6c4f7553',
  status: 'F',
  PLACEMENT: 'DEFAULT',
  PLACEMENT_OPTIONS: '{"ID":"8061"}',
};
const INSTALL_QUERY = { DOMAIN: 'portal.bitrix24.com', PROTOCOL: '1', LANG: 'en', APP_SID: 'dd8cec11e347088fe87c44870a9f1dba' };

describe('parseBitrix24InstallForm', () => {
  it('reads the install POST and builds the client endpoint from the query', () => {
    expect(parseBitrix24InstallForm(httpBuildQuery(INSTALL_BODY), INSTALL_QUERY)).toEqual({
      ok: true,
      auth: {
        source: 'install_form',
        memberId: 'a223c6b3710f85df22e9377d6c4f7553',
        domain: 'portal.bitrix24.com',
        accessToken: INSTALL_BODY.AUTH_ID,
        refreshToken: INSTALL_BODY.REFRESH_ID,
        expiresIn: 3600,
        expires: null,
        clientEndpoint: 'https://portal.bitrix24.com/rest/',
        serverEndpoint: 'https://oauth.bitrix.info/rest/',
        applicationToken: INSTALL_BODY.APPLICATION_TOKEN,
        scope: ['crm', 'entity', 'im', 'task'],
        status: 'F',
        userId: null,
        lang: 'en',
        placement: 'DEFAULT',
        placementOptions: { ID: '8061' },
      },
    });
  });

  it('PROTOCOL=0 (the sandbox portal) gives an http endpoint with its port', () => {
    const result = parseBitrix24InstallForm(httpBuildQuery(INSTALL_BODY), new URLSearchParams({ DOMAIN: '127.0.0.1:8089', PROTOCOL: '0' }));
    expect(result).toMatchObject({ ok: true, auth: { domain: '127.0.0.1:8089', clientEndpoint: 'http://127.0.0.1:8089/rest/', lang: null } });
  });

  it.each([
    ['AUTH_ID', 'missing "AUTH_ID"'],
    ['REFRESH_ID', 'missing "REFRESH_ID"'],
    ['member_id', 'missing "member_id"'],
    ['SERVER_ENDPOINT', 'missing "SERVER_ENDPOINT"'],
  ])('refuses a body without %s', (field, reason) => {
    const body: Record<string, string> = { ...INSTALL_BODY };
    delete body[field];
    expect(parseBitrix24InstallForm(httpBuildQuery(body), INSTALL_QUERY)).toEqual({ ok: false, reason });
  });

  it('refuses a missing or odd DOMAIN and bad PLACEMENT_OPTIONS', () => {
    expect(parseBitrix24InstallForm(httpBuildQuery(INSTALL_BODY), {})).toEqual({ ok: false, reason: 'missing "DOMAIN" in the query' });
    expect(parseBitrix24InstallForm(httpBuildQuery(INSTALL_BODY), { DOMAIN: 'evil.com/<script>' })).toMatchObject({ ok: true, auth: { domain: 'evil.com' } });
    expect(parseBitrix24InstallForm(httpBuildQuery(INSTALL_BODY), { DOMAIN: 'a b' })).toEqual({ ok: false, reason: 'missing "DOMAIN" in the query' });
    expect(parseBitrix24InstallForm(httpBuildQuery({ ...INSTALL_BODY, PLACEMENT_OPTIONS: '[1]' }), INSTALL_QUERY)).toEqual({
      ok: false,
      reason: '"PLACEMENT_OPTIONS" is not a JSON object',
    });
  });
});

describe('parseBitrix24InstallEvent', () => {
  it('reads the documented ONAPPINSTALL into the same shape', () => {
    expect(parseBitrix24InstallEvent(httpBuildQuery(eventFixture('onappinstall.json')))).toEqual({
      ok: true,
      auth: {
        source: 'onappinstall_event',
        memberId: 'a223c6b3710f85df22e9377d6c4f7553',
        domain: 'some-domain.bitrix24.com',
        accessToken: 's6p6eclrvim6da22ft9ch94ekreb52lv',
        refreshToken: '4s386p3q0tr8dy89xvmt96234v3dljg8',
        expiresIn: 3600,
        expires: null,
        clientEndpoint: 'https://some-domain.bitrix24.com/rest/',
        serverEndpoint: 'https://oauth.bitrix.info/rest/',
        applicationToken: '51856fefc120afa4b628cc82d3935cce',
        scope: ['imbot'],
        status: 'F',
        userId: null,
        lang: 'de',
        placement: null,
        placementOptions: null,
      },
    });
  });

  it('takes expires and user_id when a real portal sends them, and space-separated scopes', () => {
    const payload = structuredClone(eventFixture('onappinstall.json')) as Record<string, any>;
    payload.auth.expires = 1696530600;
    payload.auth.user_id = 1;
    payload.auth.scope = 'crm task im';
    expect(parseBitrix24InstallEvent(httpBuildQuery(payload))).toMatchObject({
      ok: true,
      auth: { expires: 1696530600, userId: '1', scope: ['crm', 'task', 'im'] },
    });
  });

  it('refuses other events and an install without tokens', () => {
    expect(parseBitrix24InstallEvent(httpBuildQuery(eventFixture('onappuninstall.json')))).toEqual({
      ok: false,
      reason: 'expected ONAPPINSTALL, got ONAPPUNINSTALL',
    });
    const payload = structuredClone(eventFixture('onappinstall.json')) as Record<string, any>;
    delete payload.auth.refresh_token;
    expect(parseBitrix24InstallEvent(httpBuildQuery(payload))).toEqual({ ok: false, reason: 'missing "auth[refresh_token]"' });
  });
});

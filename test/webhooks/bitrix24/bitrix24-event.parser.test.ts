import { createHash } from 'node:crypto';
import { parseBitrix24Event } from '../../../src/webhooks/bitrix24/bitrix24-event.parser.js';
import { eventFixture, rawFixture } from './fixtures.js';
import { httpBuildQuery } from './http-build-query.js';

const MEMBER = 'a223c6b3710f85df22e9377d6c4f7553';

function parseFixture(name: string) {
  const result = parseBitrix24Event(httpBuildQuery(eventFixture(name)));
  if (!result.ok) throw new Error(`fixture ${name} did not parse: ${result.reason}`);
  return result.event;
}

describe('parseBitrix24Event', () => {
  it('reads the documented raw ONCRMDEALUPDATE body', () => {
    const result = parseBitrix24Event(rawFixture('oncrmdealupdate.raw.txt'));
    expect(result).toEqual({
      ok: true,
      event: {
        name: 'ONCRMDEALUPDATE',
        memberId: MEMBER,
        applicationToken: '51856fefc120afa4b628cc82d3935cce',
        domain: 'some-domain.bitrix24.com',
        ts: '1736405807',
        entityId: '759',
        eventHandlerId: '201',
        data: { FIELDS: { ID: '759' } },
        auth: {
          accessToken: 's6p6eclrvim6da22ft9ch94ekreb52lv',
          refreshToken: '4s386p3q0tr8dy89xvmt96234v3dljg8',
          expiresIn: 3600,
          clientEndpoint: 'https://some-domain.bitrix24.com/rest/',
          serverEndpoint: 'https://oauth.bitrix.info/rest/',
          scope: 'crm',
          status: 'F',
        },
        dedupeKey: createHash('sha256').update(`${MEMBER}|ONCRMDEALUPDATE|759|1736405807`).digest('hex'),
      },
    });
  });

  it.each([
    ['oncrmdealadd.json', 'ONCRMDEALADD', '6641'],
    ['oncrmdealupdate.json', 'ONCRMDEALUPDATE', '759'],
    ['oncrmdealdelete.json', 'ONCRMDEALDELETE', '1765'],
    ['oncrmdealmovetocategory.json', 'ONCRMDEALMOVETOCATEGORY', '6675'],
    ['oncrmleadadd.json', 'ONCRMLEADADD', '1000983'],
    // The docs render activity events in camelCase; names are normalized to upper case.
    ['oncrmactivityadd.json', 'ONCRMACTIVITYADD', '999'],
    ['oncrmactivityupdate.json', 'ONCRMACTIVITYUPDATE', '999'],
    ['onappinstall.json', 'ONAPPINSTALL', null],
    ['onappupdate.json', 'ONAPPUPDATE', null],
    ['onappuninstall.json', 'ONAPPUNINSTALL', null],
  ])('%s → %s, entity %s', (fixture, name, entityId) => {
    const event = parseFixture(fixture);
    expect(event.name).toBe(name);
    expect(event.entityId).toBe(entityId);
    expect(event.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the move-to-category fields in data', () => {
    expect(parseFixture('oncrmdealmovetocategory.json').data).toEqual({ FIELDS: { ID: '6675', CATEGORY_ID: '1', STAGE_ID: 'C1:NEW' } });
  });

  it('accepts an automation-started event without tokens', () => {
    const event = parseFixture('oncrmdealupdate.robot.json');
    expect(event.auth).toEqual({ clientEndpoint: 'https://some-domain.bitrix24.com/rest/', serverEndpoint: 'https://oauth.bitrix.info/rest/' });
    expect(event.applicationToken).toBe('51856fefc120afa4b628cc82d3935cce');
  });

  it('uninstall carries no tokens, CLEAN stays a string', () => {
    const event = parseFixture('onappuninstall.json');
    expect(event.auth.accessToken).toBeUndefined();
    expect(event.data).toEqual({ LANGUAGE_ID: 'de', CLEAN: '1' });
  });

  it('the dedupe key differs by ts, entity, name and portal', () => {
    const base = eventFixture('oncrmdealupdate.json');
    const key = (patch: (e: Record<string, any>) => void) => {
      const copy = structuredClone(base) as Record<string, any>;
      patch(copy);
      const result = parseBitrix24Event(httpBuildQuery(copy));
      if (!result.ok) throw new Error(result.reason);
      return result.event.dedupeKey;
    };
    const original = key(() => undefined);
    expect(key((e) => (e.event = 'onCrmDealUpdate'))).toBe(original);
    expect(key((e) => (e.ts = '1736405808'))).not.toBe(original);
    expect(key((e) => (e.data.FIELDS.ID = '760'))).not.toBe(original);
    expect(key((e) => (e.event = 'ONCRMDEALADD'))).not.toBe(original);
    expect(key((e) => (e.auth.member_id = 'other'))).not.toBe(original);
  });

  it.each([
    ['missing event', (e: Record<string, any>) => delete e.event, 'missing "event"'],
    ['missing member_id', (e: Record<string, any>) => delete e.auth.member_id, 'missing "auth[member_id]"'],
    ['missing application_token', (e: Record<string, any>) => delete e.auth.application_token, 'missing "auth[application_token]"'],
    ['missing ts', (e: Record<string, any>) => delete e.ts, 'missing "ts"'],
    ['auth is a scalar', (e: Record<string, any>) => (e.auth = 'x'), 'missing "auth[member_id]"'],
  ])('refuses an event with %s', (_name, patch, reason) => {
    const copy = structuredClone(eventFixture('oncrmdealupdate.json')) as Record<string, any>;
    patch(copy);
    expect(parseBitrix24Event(httpBuildQuery(copy))).toEqual({ ok: false, reason });
  });

  it('refuses a malformed or oversized body with a reason', () => {
    expect(parseBitrix24Event('event=X&auth[__proto__][x]=1')).toEqual({ ok: false, reason: expect.stringMatching(/^malformed body: .*not allowed/) });
    expect(parseBitrix24Event('a=1', 2)).toEqual({ ok: false, reason: expect.stringMatching(/^malformed body: .*limit is 2/) });
    expect(parseBitrix24Event('x'.repeat(256 * 1024 + 1))).toMatchObject({ ok: false });
  });
});

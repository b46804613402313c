import { parseBitrix24Event } from '../../../src/webhooks/bitrix24/bitrix24-event.parser.js';
import { toHostEvent } from '../../../src/webhooks/bitrix24/bitrix24-host-event.mapper.js';
import type { HostEvent } from '../../../src/webhooks/bitrix24/host-event.js';
import { eventFixture } from './fixtures.js';
import { httpBuildQuery } from './http-build-query.js';

function hostEvent(payload: Record<string, unknown>): HostEvent {
  const result = parseBitrix24Event(httpBuildQuery(payload));
  if (!result.ok) throw new Error(result.reason);
  return toHostEvent(result.event);
}

describe('toHostEvent', () => {
  it.each([
    ['oncrmdealadd.json', { kind: 'deal_changed', entityId: '6641' }],
    ['oncrmdealupdate.json', { kind: 'deal_changed', entityId: '759' }],
    ['oncrmdealupdate.robot.json', { kind: 'deal_changed', entityId: '759' }],
    ['oncrmdealdelete.json', { kind: 'deal_deleted', entityId: '1765' }],
    ['oncrmdealmovetocategory.json', { kind: 'deal_moved_category', entityId: '6675', pipelineId: '1', stageId: 'C1:NEW' }],
    ['oncrmactivityadd.json', { kind: 'activity_changed', entityId: '999' }],
    ['oncrmactivityupdate.json', { kind: 'activity_changed', entityId: '999' }],
    ['oncrmleadadd.json', { kind: 'lead_changed', entityId: '1000983' }],
    ['onappinstall.json', { kind: 'app_installed', entityId: null, version: '1.0.0' }],
    ['onappupdate.json', { kind: 'app_updated', entityId: null, version: '2.1.0', previousVersion: '2.0.3' }],
    ['onappuninstall.json', { kind: 'app_uninstalled', entityId: null, cleanData: true }],
  ])('%s', (fixture, expected) => {
    expect(hostEvent(eventFixture(fixture))).toMatchObject(expected);
  });

  it('carries account, dedupe key and the event time', () => {
    const event = hostEvent(eventFixture('oncrmdealupdate.json'));
    expect(event.accountId).toBe('a223c6b3710f85df22e9377d6c4f7553');
    expect(event.occurredAt).toBe(new Date(1736405807 * 1000).toISOString());
    expect(event.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('CLEAN=0 keeps the data', () => {
    const payload = structuredClone(eventFixture('onappuninstall.json')) as Record<string, any>;
    payload.data.CLEAN = 0;
    expect(hostEvent(payload)).toMatchObject({ kind: 'app_uninstalled', cleanData: false });
  });

  it('ignores events it does not handle, and entity events without an id', () => {
    const other = structuredClone(eventFixture('oncrmdealupdate.json')) as Record<string, any>;
    other.event = 'ONCRMCONTACTUPDATE';
    expect(hostEvent(other)).toMatchObject({ kind: 'ignored', entityId: '759', reason: 'event ONCRMCONTACTUPDATE is not handled' });
    const noId = structuredClone(eventFixture('oncrmdealupdate.json')) as Record<string, any>;
    delete noId.data;
    expect(hostEvent(noId)).toMatchObject({ kind: 'ignored', entityId: null, reason: 'ONCRMDEALUPDATE without data[FIELDS][ID]' });
  });
});

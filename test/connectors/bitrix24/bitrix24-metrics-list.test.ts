import { METRICS_LIST_CODE } from '../../../src/connectors/bitrix24/bitrix24-metrics-list.js';
import type { MetricsRecordSchema } from '../../../src/domain/metrics-record.js';
import { capture, connectorHarness, TIME, useNock } from './support.js';

useNock();

const SCHEMA: MetricsRecordSchema = {
  name: 'Metrics',
  description: 'd',
  fields: [
    { code: 'MANAGER', type: 'employee', name: 'Manager' },
    { code: 'PERIOD', type: 'string', name: 'Period' },
    { code: 'CALLS_IN', type: 'number', name: 'Calls in' },
  ],
};
const LIST = { iblockId: 101, properties: { MANAGER: 'PROPERTY_1', PERIOD: 'PROPERTY_2', CALLS_IN: 'PROPERTY_3' } };
const RECORD = { key: 'stageguard-3-2026-11', title: 'Irina · 2026-11', values: { MANAGER: '3', PERIOD: '2026-11', CALLS_IN: 7, UNKNOWN: 1 } };
const listRow = { ID: '101', IBLOCK_TYPE_ID: 'lists', CODE: METRICS_LIST_CODE, NAME: 'Metrics' };
const err = (error: string, description = '') => ({ error, error_description: description });

describe('Bitrix24 metrics list', () => {
  it('creates the list when missing and adds every field with the list types', async () => {
    const { connector } = connectorHarness();
    capture('lists.get', { result: [], total: 0, time: TIME });
    const add = capture('lists.add', { result: 101, time: TIME });
    capture('lists.get', { result: [listRow], total: 1, time: TIME });
    capture('lists.field.get', { result: { NAME: { FIELD_ID: 'NAME', TYPE: 'NAME' } }, time: TIME });
    const fields = [capture('lists.field.add', { result: 'PROPERTY_1', time: TIME }), capture('lists.field.add', { result: 'PROPERTY_2', time: TIME }), capture('lists.field.add', { result: 'PROPERTY_3', time: TIME })];
    await expect(connector.ensureMetricsList(SCHEMA)).resolves.toEqual(LIST);
    expect(add[0]).toMatchObject({ IBLOCK_TYPE_ID: 'lists', IBLOCK_CODE: METRICS_LIST_CODE, FIELDS: { NAME: 'Metrics' } });
    expect(fields.map((f) => [f[0].FIELDS.CODE, f[0].FIELDS.TYPE])).toEqual([
      ['MANAGER', 'S:employee'],
      ['PERIOD', 'S'],
      ['CALLS_IN', 'N'],
    ]);
  });

  it('finds an existing list and adds only the fields it lacks', async () => {
    const { connector } = connectorHarness();
    capture('lists.get', { result: [listRow], total: 1, time: TIME });
    capture('lists.field.get', {
      result: { NAME: { FIELD_ID: 'NAME' }, PROPERTY_1: { FIELD_ID: 'PROPERTY_1', CODE: 'MANAGER' }, PROPERTY_2: { FIELD_ID: 'PROPERTY_2', CODE: 'PERIOD' } },
      time: TIME,
    });
    const added = capture('lists.field.add', { result: 'PROPERTY_3', time: TIME });
    await expect(connector.ensureMetricsList(SCHEMA)).resolves.toEqual(LIST);
    expect(added).toHaveLength(1);
  });

  it('a list made meanwhile by another set-up run counts as found', async () => {
    const { connector } = connectorHarness();
    capture('lists.get', { result: [], total: 0, time: TIME });
    capture('lists.add', err('ERROR_IBLOCK_ALREADY_EXISTS', 'Iblock already exists'), 400);
    capture('lists.get', { result: [listRow], total: 1, time: TIME });
    capture('lists.field.get', { result: { PROPERTY_1: { CODE: 'MANAGER' }, PROPERTY_2: { CODE: 'PERIOD' }, PROPERTY_3: { CODE: 'CALLS_IN' } }, time: TIME });
    await expect(connector.ensureMetricsList(SCHEMA)).resolves.toEqual(LIST);
  });

  it('a user who may not create lists gets a VALIDATION error (set-up carries on without the list)', async () => {
    const { connector } = connectorHarness();
    capture('lists.get', { result: [], total: 0, time: TIME });
    capture('lists.add', err('ACCESS_DENIED', 'Access denied'), 400);
    await expect(connector.ensureMetricsList(SCHEMA)).rejects.toMatchObject({ code: 'VALIDATION', hostCode: 'ACCESS_DENIED' });
  });

  it('writes a record by updating the element with its code: every field, unknown codes left out', async () => {
    const { connector } = connectorHarness({ goalFieldName: null, goalEnum: {}, metricsList: LIST });
    const sent = capture('lists.element.update', { result: true, time: TIME });
    await expect(connector.writeMetricsRecord(RECORD)).resolves.toEqual({ id: null });
    const { auth: _auth, ...params } = sent[0];
    expect(params).toEqual({
      IBLOCK_TYPE_ID: 'lists',
      IBLOCK_ID: 101,
      ELEMENT_CODE: 'stageguard-3-2026-11',
      FIELDS: { NAME: 'Irina · 2026-11', PROPERTY_1: '3', PROPERTY_2: '2026-11', PROPERTY_3: '7' },
    });
  });

  it('adds the element the first time (update finds none)', async () => {
    const { connector } = connectorHarness({ goalFieldName: null, goalEnum: {}, metricsList: LIST });
    capture('lists.element.update', err('ERROR_ELEMENT_NOT_FOUND', 'Element not found'), 400);
    const add = capture('lists.element.add', { result: 6901, time: TIME });
    await expect(connector.writeMetricsRecord(RECORD)).resolves.toEqual({ id: '6901' });
    expect(add[0].ELEMENT_CODE).toBe('stageguard-3-2026-11');
  });

  it('an add that lost the race (or whose answer was lost) turns into an update: never a second element', async () => {
    const { connector } = connectorHarness({ goalFieldName: null, goalEnum: {}, metricsList: LIST });
    capture('lists.element.update', err('ERROR_ELEMENT_NOT_FOUND', 'Element not found'), 400);
    capture('lists.element.add', err('ERROR_ELEMENT_ALREADY_EXISTS', 'Element already exists'), 400);
    const again = capture('lists.element.update', { result: true, time: TIME });
    await expect(connector.writeMetricsRecord(RECORD)).resolves.toEqual({ id: null });
    expect(again).toHaveLength(1);
  });

  it('without a list on record the write fails with a reason, touching nothing', async () => {
    const { connector } = connectorHarness();
    await expect(connector.writeMetricsRecord(RECORD)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('metrics list') });
  });
});

import { mapLead } from '../../../src/connectors/bitrix24/bitrix24-lead.mapper.js';

describe('mapLead (crm.lead.list rows)', () => {
  const row = { ID: '301', TITLE: 'Form', ASSIGNED_BY_ID: '3', STATUS_ID: 'NEW', STATUS_SEMANTIC_ID: 'P', DATE_CREATE: '2026-11-20T17:50:00+03:00' };
  it.each([
    ['in progress (P) is open', 'P', true],
    ['converted (S) is closed', 'S', false],
    ['junk (F) is closed', 'F', false],
    ['no semantic given: open', undefined, true],
  ])('%s', (_name, semantic, open) => {
    expect(mapLead({ ...row, STATUS_SEMANTIC_ID: semantic }).open).toBe(open);
  });

  it('reads id, title, responsible, status and the creation time with its offset', () => {
    expect(mapLead(row)).toEqual({ id: '301', title: 'Form', responsibleId: '3', statusId: 'NEW', open: true, createdAt: '2026-11-20T14:50:00.000Z' });
  });

  it('a lead nobody is responsible for', () => {
    expect(mapLead({ ...row, ASSIGNED_BY_ID: null }).responsibleId).toBeNull();
  });
});

// The portal a fresh sandbox starts with: a small sales team, two deal funnels, lead statuses, a few
// companies and contacts. Default-funnel stages copy the crm.status.list documentation example
// (api-reference/crm/status/crm-status-list.md) verbatim, APOLOGY with EXTRA.SEMANTICS "apology" included.

import type { ExtraSemantics, SandboxState, SandboxUser, StatusRecord } from './sandbox-state.js';

export const SEED_USERS = {
  admin: 1,
  headOfSales: 2,
  managerIrina: 3,
  managerDmitry: 4,
  managerSergey: 5,
  /** Dismissed: ACTIVE=false, still referenced by old deals. */
  formerManager: 6,
} as const;

export function seedPortal(state: SandboxState, now: number): void {
  const registered = now - 400 * 86_400_000;
  const user = (
    id: number,
    name: string,
    lastName: string,
    role: SandboxUser['role'],
    workPosition: string,
    active = true,
  ): SandboxUser => ({
    id,
    active,
    name,
    lastName,
    email: `${name.toLowerCase()}.${lastName.toLowerCase()}@example.com`,
    workPosition,
    departments: role === 'admin' ? [1] : [2],
    isAdmin: role === 'admin',
    role,
    registeredAt: registered,
  });
  state.users = [
    user(1, 'Olga', 'Sokolova', 'admin', 'Administrator'),
    user(2, 'Pavel', 'Orlov', 'head', 'Head of Sales'),
    user(3, 'Irina', 'Belova', 'manager', 'Sales Manager'),
    user(4, 'Dmitry', 'Volkov', 'manager', 'Sales Manager'),
    user(5, 'Sergey', 'Lebedev', 'manager', 'Sales Manager'),
    user(6, 'Anton', 'Gromov', 'manager', 'Sales Manager', false),
  ];

  state.categories = [
    { id: 0, name: 'General', sort: 300, isDefault: true },
    { id: 1, name: 'Repeat sales', sort: 200, isDefault: false },
  ];

  const statuses: StatusRecord[] = [];
  const add = (
    id: number,
    entityId: string,
    statusId: string,
    name: string,
    nameInit: string,
    sort: number,
    system: boolean,
    categoryId: number | null,
    color: string,
    extraSemantics: ExtraSemantics,
  ) => statuses.push({ id, entityId, statusId, name, nameInit, sort, system, categoryId, color, extraSemantics });

  add(101, 'DEAL_STAGE', 'NEW', 'New', 'New', 10, true, null, '#39A8EF', 'process');
  add(103, 'DEAL_STAGE', 'PREPARATION', 'Document preparation', '', 20, false, null, '#2FC6F6', 'process');
  add(105, 'DEAL_STAGE', 'PREPAYMENT_INVOICE', 'Prepayment invoice', '', 30, false, null, '#55D0E0', 'process');
  add(107, 'DEAL_STAGE', 'EXECUTING', 'In progress', '', 40, false, null, '#47E4C2', 'process');
  add(109, 'DEAL_STAGE', 'FINAL_INVOICE', 'Final invoice', '', 50, false, null, '#FFA900', 'process');
  add(111, 'DEAL_STAGE', 'WON', 'Deal successful', 'Deal successful', 60, true, null, '#7BD500', 'success');
  add(113, 'DEAL_STAGE', 'LOSE', 'Deal failed', 'Deal failed', 70, true, null, '#FF5752', 'failure');
  add(115, 'DEAL_STAGE', 'APOLOGY', 'Failure reason analysis', '', 80, false, null, '#FF5752', 'apology');

  add(201, 'DEAL_STAGE_1', 'C1:NEW', 'New', 'New', 10, true, 1, '#39A8EF', 'process');
  add(203, 'DEAL_STAGE_1', 'C1:PREPARATION', 'Qualification', '', 20, false, 1, '#2FC6F6', 'process');
  add(205, 'DEAL_STAGE_1', 'C1:EXECUTING', 'Proposal', '', 30, false, 1, '#47E4C2', 'process');
  add(207, 'DEAL_STAGE_1', 'C1:FINAL_INVOICE', 'Invoice', '', 40, false, 1, '#FFA900', 'process');
  add(209, 'DEAL_STAGE_1', 'C1:WON', 'Deal successful', 'Deal successful', 50, true, 1, '#7BD500', 'success');
  add(211, 'DEAL_STAGE_1', 'C1:LOSE', 'Deal failed', 'Deal failed', 60, true, 1, '#FF5752', 'failure');

  add(1, 'STATUS', 'NEW', 'Unassigned', 'Unassigned', 10, true, null, '#39A8EF', 'process');
  add(3, 'STATUS', 'IN_PROCESS', 'In progress', 'In progress', 20, true, null, '#2FC6F6', 'process');
  add(5, 'STATUS', 'PROCESSED', 'Processed', 'Processed', 30, true, null, '#FFA900', 'process');
  add(7, 'STATUS', 'CONVERTED', 'Good lead', 'Good lead', 40, true, null, '#7BD500', 'success');
  add(9, 'STATUS', 'JUNK', 'Junk lead', 'Junk lead', 50, true, null, '#FF5752', 'failure');
  state.statuses = statuses;

  const company = (id: number, title: string) =>
    state.putCrmEntity({
      id,
      entityTypeId: 4,
      fields: { ID: String(id), TITLE: title, COMPANY_TYPE: 'CUSTOMER', INDUSTRY: 'IT', ASSIGNED_BY_ID: '3' },
    });
  company(12, 'Northwind LLC');
  company(14, 'Contoso Trading');
  const contact = (id: number, name: string, lastName: string, companyId: number) =>
    state.putCrmEntity({
      id,
      entityTypeId: 3,
      fields: { ID: String(id), NAME: name, LAST_NAME: lastName, TYPE_ID: 'CLIENT', COMPANY_ID: String(companyId), ASSIGNED_BY_ID: '3' },
    });
  contact(21, 'Maria', 'Kuznetsova', 12);
  contact(23, 'Igor', 'Petrov', 14);
}

import type { AmoSandboxState, SbPipeline, SbStatus } from './sandbox-state.js';

// A small account: two pipelines (each with the system statuses — unsorted type 1, 142 won, 143
// lost — as crm_platform/leads_pipelines says every pipeline has), an admin and three managers,
// one company and one contact with a select field each.

export const SANDBOX_ADMIN_ID = 1001;
export const SANDBOX_MANAGER_IDS = [1002, 1003, 1004] as const;
export const SANDBOX_MAIN_PIPELINE_ID = 1000;
export const SANDBOX_PARTNER_PIPELINE_ID = 2000;
export const SANDBOX_COMPANY_ID = 5001;
export const SANDBOX_CONTACT_ID = 6001;
export const SANDBOX_COMPANY_STATUS_FIELD_ID = 700;
export const SANDBOX_CONTACT_IMPORTANCE_FIELD_ID = 701;

export function seedAmoSandbox(state: AmoSandboxState, nowSec: number): void {
  const account = state.accountId;
  state.users.set(SANDBOX_ADMIN_ID, { id: SANDBOX_ADMIN_ID, name: 'Anna Admin', email: 'admin@sandbox.test', lang: 'ru', is_admin: true, is_active: true });
  state.users.set(1002, { id: 1002, name: 'Boris Manager', email: 'boris@sandbox.test', lang: 'ru', is_admin: false, is_active: true });
  state.users.set(1003, { id: 1003, name: 'Vera Manager', email: 'vera@sandbox.test', lang: 'ru', is_admin: false, is_active: true });
  state.users.set(1004, { id: 1004, name: 'Gleb Former', email: 'gleb@sandbox.test', lang: 'ru', is_admin: false, is_active: false });

  const pipeline = (id: number, name: string, sort: number, isMain: boolean, stages: [number, string][]): SbPipeline => {
    const status = (sid: number, sname: string, ssort: number, type: 0 | 1, editable: boolean): SbStatus => ({
      id: sid,
      name: sname,
      sort: ssort,
      is_editable: editable,
      pipeline_id: id,
      color: '#99ccff',
      type,
      account_id: account,
    });
    return {
      id,
      name,
      sort,
      is_main: isMain,
      is_unsorted_on: isMain,
      is_archive: false,
      account_id: account,
      statuses: [
        ...(isMain ? [status(id * 10, 'Неразобранное', 10, 1, false)] : []),
        ...stages.map(([sid, sname], i) => status(sid, sname, (i + 2) * 10, 0, true)),
        status(142, 'Успешно реализовано', 10000, 0, false),
        status(143, 'Закрыто и не реализовано', 11000, 0, false),
      ],
    };
  };
  state.pipelines.push(
    pipeline(SANDBOX_MAIN_PIPELINE_ID, 'Продажи', 1, true, [
      [10001, 'Новый'],
      [10002, 'Квалификация'],
      [10003, 'Встреча'],
      [10004, 'Предложение'],
      [10005, 'Счёт'],
    ]),
    pipeline(SANDBOX_PARTNER_PIPELINE_ID, 'Партнёры', 2, false, [
      [20001, 'Контакт'],
      [20002, 'Переговоры'],
    ]),
  );

  state.customFields.set(SANDBOX_COMPANY_STATUS_FIELD_ID, {
    id: SANDBOX_COMPANY_STATUS_FIELD_ID,
    entity_type: 'companies',
    name: 'Client status',
    type: 'select',
    code: 'CLIENT_STATUS',
    sort: 510,
    is_api_only: false,
    enums: [
      { id: 7001, value: 'Hot', sort: 10 },
      { id: 7002, value: 'Warm', sort: 20 },
      { id: 7003, value: 'Cold', sort: 30 },
    ],
  });
  state.customFields.set(SANDBOX_CONTACT_IMPORTANCE_FIELD_ID, {
    id: SANDBOX_CONTACT_IMPORTANCE_FIELD_ID,
    entity_type: 'contacts',
    name: 'Importance',
    type: 'select',
    code: 'IMPORTANCE',
    sort: 510,
    is_api_only: false,
    enums: [
      { id: 7101, value: 'High', sort: 10 },
      { id: 7102, value: 'Low', sort: 20 },
    ],
  });
  state.clients.set(`companies:${SANDBOX_COMPANY_ID}`, { id: SANDBOX_COMPANY_ID, kind: 'companies', name: 'ООО Ромашка', responsible_user_id: 1002, created_at: nowSec, updated_at: nowSec, custom_fields_values: null });
  state.clients.set(`contacts:${SANDBOX_CONTACT_ID}`, { id: SANDBOX_CONTACT_ID, kind: 'contacts', name: 'Иван Петров', responsible_user_id: 1002, created_at: nowSec, updated_at: nowSec, custom_fields_values: null });
}

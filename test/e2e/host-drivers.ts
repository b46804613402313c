import type { FeatureOptions } from '../../src/app/features.js';
import type { Runtime } from '../../src/app/runtime.js';
import { isNotifyTaskText } from '../../src/connectors/amocrm/amocrm-marker.js';
import type { HostKind } from '../../src/domain/crm.js';
import type { QueuePolicy } from '../../src/queue/queue-policies.js';
import type { RulesConfig } from '../../src/rules/index.js';
import { SANDBOX_COMPANY_ID, SANDBOX_COMPANY_STATUS_FIELD_ID, SANDBOX_MAIN_PIPELINE_ID } from '../../src/sandbox/amocrm/sandbox-seed.js';
import { issueSession } from '../../src/ui/session.js';
import type { TestDatabase } from '../support/test-db.js';
import { startAmocrmE2E } from './amocrm-harness.js';
import { startBitrix24E2E } from './bitrix24-harness.js';

// One description of the rules scenarios for every host. A scenario speaks of logical stages
// (NEW, QUALIFY, …) and people (the heads of sales, a manager, …); each host's driver maps them to
// its own ids and does what a person does in that CRM's UI: create a deal (an amoCRM lead) at a
// stage, drag it, pick a goal in the card's field. Read-backs return what the app wrote on the host,
// in one shape: notifications (amoCRM has no notification API, so its driver reads the tasks the
// connector makes for them), tasks, comments (amoCRM notes), stage, responsible, client field.

/** The five-stage sales funnel both sandboxes have, plus the closing stages. */
export type LogicalStage = 'NEW' | 'QUALIFY' | 'PREPAY' | 'EXECUTE' | 'INVOICE' | 'WON' | 'LOST';
export type Person = 'head1' | 'head2' | 'manager' | 'manager2' | 'closer' | 'legal';

export interface HostNotification {
  userId: string;
  message: string;
}

export interface HostTask {
  title: string;
  responsibleId: string;
  /** Epoch ms, or null. */
  deadline: number | null;
}

export interface HostDriver {
  readonly host: HostKind;
  readonly t: TestDatabase;
  readonly rt: Runtime;
  readonly portalId: string;
  readonly pipelineId: string;
  stage(s: LogicalStage): string;
  /** The stage's name on the host (what messages quote). */
  stageName(s: LogicalStage): string;
  user(p: Person): string;
  /** The client field a goal reaction sets on the deal's company, as the config names it. */
  readonly clientField: { field: string; value: string };

  createDeal(d: { title: string; stage: LogicalStage; responsible: Person; amount: number }): Promise<string>;
  moveDeal(dealId: string, to: LogicalStage, as: Person): Promise<void>;
  /** The manager picks the goal in the deal card's goal field (Bitrix24 enumeration, amoCRM select). */
  markGoalInCard(dealId: string, goalCode: string, as: Person): Promise<void>;
  /** The app's own button: POST /api/deals/:id/goals with an admin session. Returns the HTTP status. */
  markGoalViaApi(dealId: string, goalCode: string): Promise<number>;
  /** The app's API with an admin session. */
  api(path: string, init?: RequestInit): Promise<Response>;

  dealStage(dealId: string): LogicalStage | string;
  responsible(dealId: string): string | null;
  /** The goal field's value in the card, null when empty. */
  goalMark(dealId: string): string | null;
  /** The client field on the scenario company. */
  clientFieldValue(): string | null;
  notifications(): HostNotification[];
  tasks(dealId: string): HostTask[];
  comments(dealId: string): string[];

  /** From now on host events wait for deliverTripleAndRun(). */
  holdEvents(): void;
  /** Deliver every held event three times, run every job (crashes included), until quiet. */
  deliverTripleAndRun(): Promise<void>;
  stop(): Promise<void>;
}

export interface DriverOptions {
  features?: FeatureOptions;
  policies?: QueuePolicy[];
}

export interface DriverFactory {
  host: HostKind;
  start(opts: DriverOptions): Promise<HostDriver>;
}

/**
 * The scenario config, the same for every host: the Bitrix24 default rules' shape (documents and
 * prepayment are required; a client ready to buy may jump NEW → INVOICE; "requirements received"
 * moves on, hands the deal over, marks the company, sets a legal task) with the host's ids.
 */
export function sharedScenarioRules(d: Pick<HostDriver, 'stage' | 'user' | 'pipelineId' | 'clientField'>, mode: 'alert' | 'enforce'): RulesConfig {
  const s = d.stage.bind(d);
  const u = d.user.bind(d);
  const open = { fieldsFilled: [], goalsReached: [], nextContactPlanned: false };
  return {
    locale: 'en',
    headsOfSales: [u('head1'), u('head2')],
    // Every day is a working day here, so the deadline arithmetic does not depend on the weekday the suite runs.
    workingTime: { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '18:00', holidays: [] },
    pipelines: [
      {
        pipelineId: d.pipelineId,
        stages: [
          { stageId: s('NEW'), required: false, exitConditions: open, maxDaysInStage: 3 },
          {
            stageId: s('QUALIFY'),
            required: true,
            exitConditions: { fieldsFilled: ['amount', 'companyId'], goalsReached: ['requirements_received'], nextContactPlanned: false },
            maxDaysInStage: 10,
          },
          {
            stageId: s('PREPAY'),
            required: true,
            exitConditions: { fieldsFilled: ['amount', 'closeDate'], goalsReached: [], nextContactPlanned: true },
            maxDaysInStage: 7,
            ownerUserId: u('closer'),
          },
          { stageId: s('EXECUTE'), required: false, exitConditions: open, maxDaysInStage: 30 },
        ],
        goals: [
          {
            code: 'ready_to_buy',
            stageId: s('NEW'),
            title: { ru: 'Готов купить', en: 'Ready to buy' },
            reactions: [
              { type: 'notify', userIds: 'heads_of_sales', messageTemplate: 'Ready to buy: {{deal.title}} ({{deal.amount}})' },
              { type: 'comment', textTemplate: 'The client is ready to buy at once: the final invoice may go out.' },
            ],
          },
          {
            code: 'requirements_received',
            stageId: s('QUALIFY'),
            title: { ru: 'Требования получены', en: 'Requirements received' },
            reactions: [
              { type: 'moveToStage', stageId: s('PREPAY') },
              { type: 'assign', to: 'user', userId: u('closer') },
              { type: 'setClientField', entity: 'company', field: d.clientField.field, value: d.clientField.value },
              {
                type: 'createTask',
                titleTemplate: 'Legal: approve contract for {{deal.title}}',
                description: 'Deal {{deal.id}}, {{deal.amount}} {{deal.currency}}',
                assignee: { userId: u('legal') },
                due: { workingDays: 1 },
              },
              { type: 'comment', textTemplate: 'Requirements received; the contract went to legal.' },
            ],
          },
          {
            code: 'refused',
            stageId: s('QUALIFY'),
            title: { ru: 'Отказ', en: 'Refused' },
            reactions: [
              { type: 'moveToStage', stageId: s('LOST') },
              { type: 'notify', userIds: 'heads_of_sales', messageTemplate: 'Refused: {{deal.title}}' },
            ],
          },
          {
            code: 'postponed',
            stageId: s('QUALIFY'),
            title: { ru: 'Отложено', en: 'Postponed' },
            reactions: [{ type: 'createTask', titleTemplate: 'Back to {{deal.title}}', assignee: 'responsible', due: { workingDays: 10 } }],
          },
        ],
        skipping: {
          mode,
          alertUserIds: [u('head1'), u('head2')],
          createFixTask: true,
          fastTracks: [{ fromStageId: s('NEW'), toStageId: s('INVOICE'), when: { goalReached: 'ready_to_buy' } }],
        },
      },
    ],
  };
}

function reverse<K extends string>(map: Record<K, string>, hostId: string): K | string {
  return (Object.keys(map) as K[]).find((k) => map[k] === hostId) ?? hostId;
}

function apiOf(rt: Runtime, portalId: string, adminUserId: string) {
  const admin = issueSession({ portalId, userId: adminUserId, role: 'admin' }, rt.ctx.sessionSecret);
  return (path: string, init: RequestInit = {}) =>
    fetch(`${rt.url}/api${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...(init.headers ?? {}) } });
}

// ---- Bitrix24 ----------------------------------------------------------------------------------

const B24_STAGES: Record<LogicalStage, string> = {
  NEW: 'NEW',
  QUALIFY: 'PREPARATION',
  PREPAY: 'PREPAYMENT_INVOICE',
  EXECUTE: 'EXECUTING',
  INVOICE: 'FINAL_INVOICE',
  WON: 'WON',
  LOST: 'LOSE',
};
/** Sandbox people: 1 admin, 2 head of sales, 3–5 managers. */
const B24_USERS: Record<Person, string> = { head1: '1', head2: '2', manager: '3', manager2: '4', closer: '5', legal: '1' };
const B24_COMPANY = 12;
const B24_GOAL_FIELD = 'UF_CRM_STAGEGUARD_GOAL';

export const bitrix24Driver: DriverFactory = {
  host: 'bitrix24',
  async start(opts) {
    const e = await startBitrix24E2E({ features: opts.features, policies: opts.policies });
    const sb = e.sandbox;
    const api = apiOf(e.rt, e.portalId, B24_USERS.head1);
    const company = () => (sb as unknown as { ctx: { state: { crmEntity(t: number, id: number): { fields: Record<string, unknown> } } } }).ctx.state.crmEntity(4, B24_COMPANY);
    return {
      host: 'bitrix24',
      t: e.t,
      rt: e.rt,
      portalId: e.portalId,
      pipelineId: '0',
      stage: (s) => B24_STAGES[s],
      stageName: (s) => sb.stages(0).find((st) => st.statusId === B24_STAGES[s])!.name,
      user: (p) => B24_USERS[p],
      clientField: { field: 'COMPANY_TYPE', value: 'CUSTOMER' },

      async createDeal(d) {
        const by = Number(B24_USERS[d.responsible]);
        return String(sb.createDeal({ title: d.title, stageId: B24_STAGES[d.stage], assignedById: by, opportunity: d.amount, companyId: B24_COMPANY }, by).id);
      },
      async moveDeal(dealId, to, as) {
        sb.moveDeal(Number(dealId), B24_STAGES[to], Number(B24_USERS[as]));
      },
      async markGoalInCard(dealId, goalCode, as) {
        const item = sb.userFields().find((f) => f.fieldName === B24_GOAL_FIELD)!.list.find((i) => i.xmlId === goalCode)!;
        sb.updateDeal(Number(dealId), { uf: { [B24_GOAL_FIELD]: item.id } }, Number(B24_USERS[as]));
      },
      async markGoalViaApi(dealId, goalCode) {
        return (await api(`/deals/${dealId}/goals`, { method: 'POST', body: JSON.stringify({ code: goalCode }) })).status;
      },
      api,

      dealStage: (dealId) => reverse(B24_STAGES, sb.deal(Number(dealId))!.stageId),
      responsible: (dealId) => String(sb.deal(Number(dealId))!.assignedById),
      goalMark: (dealId) => {
        const v = sb.deal(Number(dealId))!.uf[B24_GOAL_FIELD];
        return v === null || v === undefined || v === '' ? null : String(v);
      },
      clientFieldValue: () => (company().fields.COMPANY_TYPE as string | undefined) ?? null,
      notifications: () => sb.notifications().map((n) => ({ userId: String(n.userId), message: n.message })),
      tasks: (dealId) =>
        sb
          .tasks()
          .filter((t) => t.ufCrmTask.includes(`D_${dealId}`))
          .map((t) => ({ title: t.title, responsibleId: String(t.responsibleId), deadline: t.deadline })),
      comments: (dealId) => sb.comments(Number(dealId)).map((c) => c.comment),

      holdEvents() {
        sb.deliveryMode = 'manual';
      },
      async deliverTripleAndRun() {
        for (let round = 0; round < 10; round++) {
          const sent = await sb.flushEvents({ duplicate: 3 });
          const ran = await e.rt.ctx.queue.drain();
          if (sent.length === 0 && ran === 0) return;
        }
        throw new Error('did not settle');
      },
      stop: () => e.stop(),
    };
  },
};

// ---- amoCRM ------------------------------------------------------------------------------------

/** The sandbox's main pipeline "Продажи": 10001…10005, and the system 142 won / 143 lost. */
const AMO_STAGES: Record<LogicalStage, string> = {
  NEW: '10001',
  QUALIFY: '10002',
  PREPAY: '10003',
  EXECUTE: '10004',
  INVOICE: '10005',
  WON: '142',
  LOST: '143',
};
/** Sandbox people: 1001 admin, 1002 and 1003 managers (1004 is inactive). */
const AMO_USERS: Record<Person, string> = { head1: '1001', head2: '1002', manager: '1003', manager2: '1002', closer: '1002', legal: '1001' };

export const amocrmDriver: DriverFactory = {
  host: 'amocrm',
  async start(opts) {
    const e = await startAmocrmE2E({ features: opts.features, policies: opts.policies });
    const sb = e.sandbox;
    const api = apiOf(e.rt, e.portalId, AMO_USERS.head1);
    const pipeline = sb.state.pipelines.find((p) => p.id === SANDBOX_MAIN_PIPELINE_ID)!;
    const goalField = async () =>
      (await e.t.db.query(`SELECT settings->'goalField' AS f FROM portals WHERE id = $1`, [e.portalId]))[0].f as { fieldId: number; codesByEnumId: Record<string, string> };
    const fieldId = (await goalField()).fieldId;
    const lead = (dealId: string) => sb.lead(Number(dealId))!;
    const ourTasks = () => [...sb.state.tasks.values()];
    return {
      host: 'amocrm',
      t: e.t,
      rt: e.rt,
      portalId: e.portalId,
      pipelineId: String(SANDBOX_MAIN_PIPELINE_ID),
      stage: (s) => AMO_STAGES[s],
      stageName: (s) => pipeline.statuses.find((st) => String(st.id) === AMO_STAGES[s])!.name,
      user: (p) => AMO_USERS[p],
      // The company's "Client status" select, named by field id as amoCRM configs do.
      clientField: { field: String(SANDBOX_COMPANY_STATUS_FIELD_ID), value: 'Hot' },

      async createDeal(d) {
        const by = Number(AMO_USERS[d.responsible]);
        return String(sb.createLead({ name: d.title, statusId: Number(AMO_STAGES[d.stage]), responsibleUserId: by, price: d.amount, companyIds: [SANDBOX_COMPANY_ID], asUserId: by }).id);
      },
      async moveDeal(dealId, to, as) {
        sb.moveLead(Number(dealId), Number(AMO_STAGES[to]), undefined, Number(AMO_USERS[as]));
      },
      async markGoalInCard(dealId, goalCode, as) {
        const field = await goalField();
        const enumId = Object.keys(field.codesByEnumId).find((id) => field.codesByEnumId[id] === goalCode)!;
        sb.updateLead(Number(dealId), { custom_fields_values: [{ field_id: field.fieldId, values: [{ enum_id: Number(enumId) }] }] }, Number(AMO_USERS[as]));
      },
      async markGoalViaApi(dealId, goalCode) {
        return (await api(`/deals/${dealId}/goals`, { method: 'POST', body: JSON.stringify({ code: goalCode }) })).status;
      },
      api,

      dealStage: (dealId) => reverse(AMO_STAGES, String(lead(dealId).status_id)),
      responsible: (dealId) => String(lead(dealId).responsible_user_id),
      goalMark: (dealId) => {
        const value = (lead(dealId).custom_fields_values ?? []).find((cf) => cf.field_id === fieldId)?.values[0];
        return value?.enum_id !== undefined ? String(value.enum_id) : null;
      },
      clientFieldValue: () => {
        const company = sb.state.client('companies', SANDBOX_COMPANY_ID)!;
        const value = (company.custom_fields_values ?? []).find((cf) => cf.field_id === SANDBOX_COMPANY_STATUS_FIELD_ID)?.values[0]?.value;
        return value === undefined ? null : String(value);
      },
      // Each notification is a task for its recipient with no lead, carrying a notify marker.
      notifications: () => ourTasks().filter((t) => isNotifyTaskText(t.text)).map((t) => ({ userId: String(t.responsible_user_id), message: t.text })),
      tasks: (dealId) =>
        sb
          .tasks({ leadId: Number(dealId) })
          .filter((t) => !isNotifyTaskText(t.text))
          .map((t) => ({ title: t.text.split('\n')[0]!, responsibleId: String(t.responsible_user_id), deadline: t.complete_till * 1000 })),
      comments: (dealId) => sb.notes(Number(dealId)).filter((n) => n.note_type === 'common').map((n) => String(n.params.text ?? '')),

      holdEvents() {
        sb.setWebhookMode('manual');
      },
      async deliverTripleAndRun() {
        for (let round = 0; round < 10; round++) {
          // The sandbox sends a held body twice; the third copy goes out here, byte for byte.
          const held = sb.webhooks.pending().map((p) => ({ ...p }));
          await sb.flushWebhooks({ duplicate: true });
          for (const p of held) {
            const r = await fetch(p.destination, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: p.body });
            if (r.status !== 200) throw new Error(`third delivery answered ${r.status}`);
          }
          const ran = await e.rt.ctx.queue.drain();
          if (held.length === 0 && ran === 0) return;
        }
        throw new Error('did not settle');
      },
      stop: () => e.stop(),
    };
  },
};

export const HOST_DRIVERS: DriverFactory[] = [bitrix24Driver, amocrmDriver];

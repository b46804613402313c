// Everything the sandbox portal knows, in memory. Records keep host field names where the host's own
// wire format is UPPER_CASE (statuses, activities, stage history) so handlers stay thin; deals are kept
// in one internal shape and mapped to the camelCase crm.item form by crm-item.mapper.ts.

export interface PortalIdentity {
  memberId: string;
  /** Host[:port] of the portal; the sandbox's own address unless configured. */
  domain: string;
  applicationToken: string;
  clientId: string;
  clientSecret: string;
  /** Scopes granted to the app, as they come in tokens (comma-separated on the wire). */
  scopes: string[];
  /** App status letter: L local, F free, D demo, T trial, P paid. */
  status: 'L' | 'F' | 'D' | 'T' | 'P';
  appCode: string;
  appVersion: number;
  languageId: string;
  /** e.g. `en_pro100`, `en_ent250` (app.info LICENSE). */
  license: string;
  /** Portal UTC offset in minutes; every date on the wire carries it. */
  timezoneOffsetMinutes: number;
}

export type UserRole = 'admin' | 'head' | 'manager';

export interface SandboxUser {
  id: number;
  active: boolean;
  name: string;
  lastName: string;
  email: string;
  workPosition: string;
  departments: number[];
  isAdmin: boolean;
  role: UserRole;
  registeredAt: number;
}

export interface CategoryRecord {
  id: number;
  name: string;
  sort: number;
  isDefault: boolean;
}

export type ExtraSemantics = 'process' | 'success' | 'failure' | 'apology';

export interface StatusRecord {
  id: number;
  entityId: string;
  statusId: string;
  name: string;
  nameInit: string;
  sort: number;
  system: boolean;
  categoryId: number | null;
  color: string;
  extraSemantics: ExtraSemantics;
}

export interface DealRecord {
  id: number;
  title: string;
  categoryId: number;
  stageId: string;
  assignedById: number;
  opportunity: number;
  currencyId: string;
  isManualOpportunity: boolean;
  probability: number | null;
  companyId: number;
  contactId: number;
  contactIds: number[];
  typeId: string;
  sourceId: string;
  sourceDescription: string;
  comments: string;
  opened: boolean;
  begindate: number | null;
  closedate: number | null;
  createdTime: number;
  createdBy: number;
  updatedTime: number;
  updatedBy: number;
  movedTime: number;
  movedBy: number;
  lastActivityTime: number;
  lastActivityBy: number;
  originatorId: string | null;
  originId: string | null;
  observers: number[];
  /** Custom fields by their original name (UF_CRM_…). */
  uf: Record<string, unknown>;
}

/** crm.stagehistory.list row; TYPE_ID 1 created, 2 intermediate stage, 3 final stage, 5 funnel changed. */
export interface StageHistoryRecord {
  id: number;
  entityTypeId: number;
  typeId: 1 | 2 | 3 | 5;
  ownerId: number;
  createdTime: number;
  categoryId: number;
  stageSemanticId: 'P' | 'S' | 'F';
  stageId: string;
}

export interface ActivityBinding {
  ownerTypeId: number;
  ownerId: number;
}

export interface ActivityRecord {
  id: number;
  ownerTypeId: number;
  ownerId: number;
  typeId: number;
  providerId: string;
  providerTypeId: string;
  subject: string;
  description: string;
  created: number;
  lastUpdated: number;
  startTime: number;
  endTime: number;
  deadline: number;
  completed: boolean;
  status: 1 | 2 | 3;
  responsibleId: number;
  priority: 1 | 2 | 3;
  direction: 0 | 1 | 2;
  authorId: number;
  editorId: number;
  originatorId: string | null;
  originId: string | null;
  bindings: ActivityBinding[];
  /** Telephony: reported through voximplant.statistic.get CALL_DURATION, not through the activity. */
  callDurationSec: number | null;
}

export interface TaskRecord {
  id: number;
  title: string;
  description: string;
  responsibleId: number;
  createdBy: number;
  createdDate: number;
  changedDate: number;
  deadline: number | null;
  status: 2 | 3 | 4 | 5 | 6;
  priority: 0 | 1 | 2;
  xmlId: string | null;
  groupId: number;
  ufCrmTask: string[];
  tags: string[];
  closedDate: number | null;
  guid: string;
}

export interface CommentRecord {
  id: number;
  entityId: number;
  entityType: string;
  comment: string;
  authorId: number;
  created: number;
}

export interface NotificationRecord {
  id: number;
  kind: 'system' | 'personal';
  userId: number;
  fromUserId: number | null;
  message: string;
  messageOut: string | null;
  tag: string | null;
  subTag: string | null;
  attach: unknown;
  createdAt: number;
}

export interface UserFieldEnumItem {
  id: number;
  value: string;
  sort: number;
  def: boolean;
  xmlId: string;
}

export interface UserFieldRecord {
  id: number;
  entityId: 'CRM_DEAL';
  fieldName: string;
  userTypeId: string;
  xmlId: string | null;
  sort: number;
  multiple: boolean;
  mandatory: boolean;
  showFilter: string;
  showInList: boolean;
  editInList: boolean;
  isSearchable: boolean;
  settings: Record<string, unknown>;
  label: string;
  list: UserFieldEnumItem[];
}

export interface ListRecord {
  id: number;
  iblockTypeId: string;
  code: string;
  name: string;
  description: string;
  sort: number;
  socnetGroupId: number | null;
  createdAt: number;
}

export interface ListFieldRecord {
  id: number;
  iblockId: number;
  name: string;
  type: string;
  code: string;
  isRequired: boolean;
  multiple: boolean;
  sort: number;
}

export interface ListElementRecord {
  id: number;
  iblockId: number;
  code: string;
  name: string;
  createdBy: number;
  createdAt: number;
  /** By property id → values (each value with its own id, as lists.element.get returns them). */
  properties: Record<number, Array<{ valueId: number; value: string }>>;
}

export interface EventBindingRecord {
  id: number;
  event: string;
  handler: string;
  authType: number;
  offline: 0 | 1;
}

export interface PlacementBindingRecord {
  id: number;
  placement: string;
  handler: string;
  title: string;
  description: string;
  groupName: string;
  options: Record<string, unknown>;
  langAll: Record<string, Record<string, string>>;
  userId: number;
}

/** Leads (1), contacts (3) and companies (4): a plain bag of UPPER_CASE fields is enough for what we use. */
export interface CrmEntityRecord {
  id: number;
  entityTypeId: 1 | 3 | 4;
  fields: Record<string, unknown>;
}

export class SandboxState {
  users: SandboxUser[] = [];
  categories: CategoryRecord[] = [];
  statuses: StatusRecord[] = [];
  deals = new Map<number, DealRecord>();
  stageHistory: StageHistoryRecord[] = [];
  activities = new Map<number, ActivityRecord>();
  tasks = new Map<number, TaskRecord>();
  comments: CommentRecord[] = [];
  /** Live notifications; a TAG repeat removes the older ones (they move to `replacedNotifications`). */
  notifications: NotificationRecord[] = [];
  replacedNotifications: NotificationRecord[] = [];
  userFields: UserFieldRecord[] = [];
  lists: ListRecord[] = [];
  listFields: ListFieldRecord[] = [];
  listElements: ListElementRecord[] = [];
  eventBindings: EventBindingRecord[] = [];
  placements: PlacementBindingRecord[] = [];
  crmEntities = new Map<string, CrmEntityRecord>();
  /** Methods under an operating-time block (429 OPERATION_TIME_LIMIT) until the epoch ms given. */
  operatingBlocks = new Map<string, number>();

  private sequences = new Map<string, number>();

  constructor(readonly portal: PortalIdentity) {}

  /** Per-entity id sequences starting where a lived-in portal would be, so ids never look like indexes. */
  nextId(kind: string, start = 1): number {
    const next = (this.sequences.get(kind) ?? start - 1) + 1;
    this.sequences.set(kind, next);
    return next;
  }

  user(id: number): SandboxUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  crmEntity(entityTypeId: number, id: number): CrmEntityRecord | undefined {
    return this.crmEntities.get(`${entityTypeId}:${id}`);
  }

  putCrmEntity(record: CrmEntityRecord): void {
    this.crmEntities.set(`${record.entityTypeId}:${record.id}`, record);
  }

  stagesOf(categoryId: number): StatusRecord[] {
    const entityId = categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`;
    return this.statuses.filter((s) => s.entityId === entityId).sort((a, b) => a.sort - b.sort);
  }

  dealStage(stageId: string): StatusRecord | undefined {
    return this.statuses.find((s) => s.entityId.startsWith('DEAL_STAGE') && s.statusId === stageId);
  }
}

export function semanticLetter(status: StatusRecord): 'P' | 'S' | 'F' {
  if (status.extraSemantics === 'success') return 'S';
  if (status.extraSemantics === 'failure' || status.extraSemantics === 'apology') return 'F';
  return 'P';
}

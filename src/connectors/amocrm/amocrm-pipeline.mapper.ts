import type { HostUser, Pipeline, StageSemantics } from '../../domain/crm.js';
import type { AmoPipeline, AmoUser } from './amocrm-wire.types.js';

/**
 * Every pipeline has the system statuses 142 "won" and 143 "lost" with the SAME ids in every
 * pipeline (crm_platform/leads_pipelines), so a stage is only unique as (pipeline, status) — which
 * Stage models with pipelineId. Order is `sort` ascending; won/lost sort 10000/11000, at the end.
 */
export const AMO_WON_STATUS_ID = 142;
export const AMO_LOST_STATUS_ID = 143;

export function amoStageSemantics(statusId: number): StageSemantics {
  if (statusId === AMO_WON_STATUS_ID) return 'success';
  if (statusId === AMO_LOST_STATUS_ID) return 'failure';
  return 'process';
}

export function amoPipelineToPipeline(pipeline: AmoPipeline): Pipeline {
  const statuses = [...(pipeline._embedded?.statuses ?? [])].sort((a, b) => a.sort - b.sort || a.id - b.id);
  return {
    id: String(pipeline.id),
    name: pipeline.name,
    sort: pipeline.sort,
    isDefault: pipeline.is_main === true,
    stages: statuses.map((s) => ({
      id: String(s.id),
      pipelineId: String(pipeline.id),
      name: s.name,
      sort: s.sort,
      semantics: amoStageSemantics(s.id),
    })),
  };
}

/** GET /api/v4/users (crm_platform/users-api): activity and admin flags live under `rights`. */
export function amoUserToHostUser(user: AmoUser): HostUser {
  return {
    id: String(user.id),
    name: user.name,
    email: user.email ? user.email : null,
    active: user.rights?.is_active !== false,
    isAdmin: user.rights?.is_admin === true,
  };
}

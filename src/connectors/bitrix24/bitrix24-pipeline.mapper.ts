import type { Pipeline, StageSemantics } from '../../domain/crm.js';
import type { WireRow } from './bitrix24-wire.js';

/**
 * crm.status.list: SEMANTICS is null/"" in progress, "S" success, "F" failure; EXTRA.SEMANTICS says
 * process / success / failure in words, and "apology" for the failure-analysis stage
 * (crm-status-list.md, crm-status-fields.md).
 */
export function stageSemantics(row: WireRow): StageSemantics {
  const code = String(row.SEMANTICS ?? '');
  const extra = row.EXTRA !== null && typeof row.EXTRA === 'object' ? String((row.EXTRA as WireRow).SEMANTICS ?? '') : '';
  if (code === 'S' || extra === 'success') return 'success';
  if (code === 'F' || extra === 'failure' || extra === 'apology') return 'failure';
  return 'process';
}

/** The deal stages' ENTITY_ID for crm.status.list: DEAL_STAGE for the general funnel (id 0), DEAL_STAGE_{id} otherwise. */
export function dealStageEntityId(categoryId: string): string {
  return categoryId === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`;
}

/** crm.category.list categories + their crm.status.list rows → pipelines, both ordered by SORT. */
export function mapPipelines(categories: WireRow[], statusesByCategory: Record<string, WireRow[]>): Pipeline[] {
  return categories
    .map((category) => {
      const id = String(category.id);
      const stages = (statusesByCategory[id] ?? [])
        .map((s) => ({ id: String(s.STATUS_ID), pipelineId: id, name: String(s.NAME ?? ''), sort: Number(s.SORT ?? 0), semantics: stageSemantics(s) }))
        .sort((a, b) => a.sort - b.sort);
      return { id, name: String(category.name ?? ''), sort: Number(category.sort ?? 0), isDefault: category.isDefault === 'Y' || category.isDefault === true, stages };
    })
    .sort((a, b) => a.sort - b.sort || Number(a.id) - Number(b.id));
}

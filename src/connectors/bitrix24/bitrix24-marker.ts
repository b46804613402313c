// Idempotent creates: each created object carries the action's marker so that, after a crash or an
// ambiguous failure, find*ByMarker can tell whether the create already happened.
// - Tasks keep it in XML_ID, a documented task field ("External identifier": tasks/fields.md). The
//   task list cannot filter on it (tasks-task-list.md lists the filterable keys), so the lookup
//   filters on the deal binding (UF_CRM_TASK, filterable) and compares XML_ID itself.
// - Timeline comments have no external id (crm-timeline-comment-fields.md), so the marker is the
//   comment's last line and the lookup scans the deal's comments.

/** The comment text as stored: the marker on its own last line, in brackets. */
export function withCommentMarker(text: string, marker: string): string {
  return `${text}\n[${marker}]`;
}

export function hasCommentMarker(comment: unknown, marker: string): boolean {
  return typeof comment === 'string' && comment.includes(`[${marker}]`);
}

/** UF_CRM_TASK binding of a deal: `D_<id>` (api-reference/crm/data-types.md#object_type). */
export function dealBinding(dealId: string): string {
  return `D_${dealId}`;
}

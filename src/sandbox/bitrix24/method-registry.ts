// Every REST method the sandbox serves, and the one place that runs a method call: lookup, scope check,
// handler. The HTTP router and batch both go through `executeMethod`.

import type { MethodCall, MethodResult, MethodTable } from './method-types.js';
import { method } from './method-types.js';
import { RestError, systemErrors } from './rest-error.js';
import { activityMethods } from './methods/activity.methods.js';
import { runBatch } from './methods/batch.method.js';
import { companyContactMethods } from './methods/company-contact.methods.js';
import { leadMethods } from './methods/lead.methods.js';
import { crmFunnelMethods } from './methods/crm-funnel.methods.js';
import { crmItemMethods } from './methods/crm-item.methods.js';
import { listsMethods } from './methods/lists.methods.js';
import { platformMethods } from './methods/platform.methods.js';
import { taskMethods } from './methods/task.methods.js';
import { timelineImMethods } from './methods/timeline-im.methods.js';
import { userFieldMethods } from './methods/userfield.methods.js';

export const METHODS: MethodTable = {
  ...platformMethods,
  ...crmFunnelMethods,
  ...crmItemMethods,
  ...activityMethods,
  ...userFieldMethods,
  ...taskMethods,
  ...timelineImMethods,
  ...companyContactMethods,
  ...leadMethods,
  ...listsMethods,
  batch: method('basic', (call) => runBatch(call, executeMethod)),
};

export function executeMethod(name: string, params: Record<string, unknown>, call: MethodCall): MethodResult {
  const definition = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
  if (!definition) throw systemErrors.methodNotFound();
  const granted = call.ctx.state.portal.scopes;
  if (!definition.scopes.some((s) => s === 'basic' || granted.includes(s))) throw systemErrors.insufficientScope();
  const blockedUntil = call.ctx.state.operatingBlocks.get(name);
  if (blockedUntil !== undefined && blockedUntil > call.ctx.clock.now()) {
    // limits.md documents the code and the status, not the wording; this is the host's own text.
    throw new RestError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
  }
  call.ctx.stats.called(name);
  return definition.handler({ ...call, params });
}

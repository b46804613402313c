import type { Activity } from '../../domain/crm.js';
import { HostApiError } from '../host-api-error.js';
import { dealIdsFromBindings, isCallActivity, leadIdsFromBindings, mapActivity } from './bitrix24-activity.mapper.js';
import type { Bitrix24Client, BatchCommand } from './bitrix24-client.js';
import { wireRows } from './bitrix24-wire.js';
import type { WireRow } from './bitrix24-wire.js';

const PAGE = 50;
/** How a portal says no to voximplant.statistic.get without anything else being wrong. */
const TELEPHONY_REFUSED = new Set(['insufficient_scope', 'ACCESS_DENIED', 'ERROR_METHOD_NOT_FOUND', 'WRONG_AUTH_TYPE']);

/**
 * Activities with what their rows do not say: all the deals they are bound to
 * (crm.activity.binding.list) and a call's talk time, which only telephony statistics know
 * (voximplant.statistic.get CALL_DURATION; needs the `telephony` scope, asked once and then left alone).
 */
export class Bitrix24ActivityReader {
  /** Telephony statistics refused: stop asking for call durations. */
  private callStatsRefused = false;

  constructor(private readonly client: Bitrix24Client) {}

  /** The activity, its deal bindings and (for a call) its talk time, in one batch. */
  async get(activityId: string): Promise<Activity | null> {
    const commands: Record<string, BatchCommand> = {
      activity: { method: 'crm.activity.get', params: { id: activityId } },
      bindings: { method: 'crm.activity.binding.list', params: { activityId } },
    };
    if (!this.callStatsRefused) commands.calls = { method: 'voximplant.statistic.get', params: { FILTER: { CRM_ACTIVITY_ID: activityId } } };
    const { results, errors } = await this.client.batch(commands);
    if (errors.activity?.code === 'NOT_FOUND') return null;
    if (errors.activity) throw errors.activity;
    if (errors.bindings && errors.bindings.code !== 'NOT_FOUND') throw errors.bindings;
    const row = results.activity as WireRow | undefined;
    if (!row) return null;
    const durations = this.callDurationsFrom(results.calls, errors.calls);
    const bindings = wireRows(results.bindings);
    return mapActivity(row, { boundDealIds: dealIdsFromBindings(bindings), boundLeadIds: leadIdsFromBindings(bindings), durationSec: durations.get(String(row.ID)) ?? null });
  }

  /** One page of activities, then one batch for all their deal bindings and one call for call durations. */
  async listModifiedSince(since: Date, afterId?: string): Promise<{ activities: Activity[]; nextAfterId: string | null }> {
    const rows = wireRows(
      await this.client.call('crm.activity.list', {
        filter: { '>=LAST_UPDATED': since.toISOString(), '>ID': afterId ?? 0 },
        order: { ID: 'ASC' },
        select: ['*'],
        start: -1,
      }),
    );
    if (rows.length === 0) return { activities: [], nextAfterId: null };
    const { results, errors } = await this.client.batch(
      Object.fromEntries(rows.map((row, k) => [`b${k}`, { method: 'crm.activity.binding.list', params: { activityId: row.ID } }])),
    );
    // An activity deleted between the list and the bindings has none to offer; anything else is a failure.
    const failed = Object.values(errors).find((e) => e.code !== 'NOT_FOUND');
    if (failed) throw failed;
    const durations = await this.callDurations(rows.filter(isCallActivity).map((row) => String(row.ID)));
    const activities = rows.map((row, k) =>
      mapActivity(row, {
        boundDealIds: dealIdsFromBindings(wireRows(results[`b${k}`])),
        boundLeadIds: leadIdsFromBindings(wireRows(results[`b${k}`])),
        durationSec: durations.get(String(row.ID)) ?? null,
      }),
    );
    return { activities, nextAfterId: rows.length === PAGE ? String(rows[rows.length - 1]!.ID) : null };
  }

  /** Talk time per call activity from telephony statistics; none when the app lacks the telephony scope. */
  private async callDurations(activityIds: string[]): Promise<Map<string, number>> {
    if (activityIds.length === 0 || this.callStatsRefused) return new Map();
    try {
      return this.callDurationsFrom(await this.client.call('voximplant.statistic.get', { FILTER: { CRM_ACTIVITY_ID: activityIds } }), undefined);
    } catch (error) {
      if (error instanceof HostApiError) return this.callDurationsFrom(undefined, error);
      throw error;
    }
  }

  private callDurationsFrom(result: unknown, error: HostApiError | undefined): Map<string, number> {
    if (error) {
      // No telephony scope, or no telephony on the portal: durations stay unknown, the calls still count.
      if (TELEPHONY_REFUSED.has(error.hostCode ?? '') || error.status === 404) {
        this.callStatsRefused = true;
        return new Map();
      }
      throw error;
    }
    const out = new Map<string, number>();
    for (const row of wireRows(result)) {
      const duration = Number(row.CALL_DURATION);
      if (row.CRM_ACTIVITY_ID !== undefined && Number.isFinite(duration)) out.set(String(row.CRM_ACTIVITY_ID), duration);
    }
    return out;
  }
}

import type { Db } from '../db/data-source.js';
import type { HostUser, Pipeline } from '../domain/crm.js';
import { HostApiError } from '../connectors/host-api-error.js';
import type { MetricsRecordSchema } from '../domain/metrics-record.js';
import type { Manifest } from '../manifest/manifest.js';
import { metricsRecordSchema } from '../reports/writeback/metrics-record.js';
import { ProjectionRepository } from '../sync/projection.repository.js';
import type { HostLifecycle } from './host-lifecycle.js';
import type { Portal } from './portal.js';
import type { PortalRepository } from './portal.repository.js';

/** What set-up needs from a Bitrix24 connector beyond CrmConnector. */
export interface Bitrix24SetupOps {
  bindEvents(handlerUrl: string, events: string[]): Promise<void>;
  bindPlacements(placements: { placement: string; handlerUrl: string; title: string; description: string }[]): Promise<void>;
  /** Creates the deal enumeration field if missing; returns host enum item id → goal code. */
  ensureGoalField(fieldName: string, label: string, items: { code: string; title: string }[]): Promise<Record<string, string>>;
  listPipelines(): Promise<Pipeline[]>;
  listUsers(): Promise<HostUser[]>;
  appInfo(): Promise<{ appId?: string | null; licenseFamily: string | null; license: string | null }>;
  /** Creates the metrics list if missing and adds missing fields; returns where it is. */
  ensureMetricsList(schema: MetricsRecordSchema): Promise<unknown>;
}

export interface Bitrix24LifecycleDeps {
  db: Db;
  portals: PortalRepository;
  manifest: Manifest;
  publicUrl: string;
  /** Ops with the portal's stored tokens. */
  opsFor(portal: Portal): Bitrix24SetupOps;
  /** Ops with a presented access token instead (to check it is genuine). */
  opsWithToken(portal: Portal, accessToken: string): Pick<Bitrix24SetupOps, 'appInfo'>;
  /** Goals the field should offer: every goal of the portal's rules, or the examples before any are saved. */
  goalItems(portal: Portal): Promise<{ code: string; title: string }[]>;
  onMetricsListRefused?(portal: Portal, err: HostApiError): void;
}

/**
 * Install-time work on a Bitrix24 portal. Bitrix24 drops event bindings on every update
 * (api-reference/events/event-bind.md: "they must be set from scratch in the installer of each
 * version"), so all of it runs again on re-install and ONAPPUPDATE; every step is idempotent.
 */
export function bitrix24Lifecycle(d: Bitrix24LifecycleDeps): HostLifecycle {
  const projections = new ProjectionRepository(d.db);
  return {
    async setUp(portal, report) {
      const ops = d.opsFor(portal);
      const m = d.manifest.bitrix24;
      const total = 6;
      await report('plan', 0, total);
      const info = await ops.appInfo();
      const enterprise = info.licenseFamily === 'ent' || /_ent\d*/.test(info.license ?? '');
      await d.portals.updateSettings(portal.id, { plan: enterprise ? 'enterprise' : 'standard', license: info.license, appId: info.appId ?? null });

      await report('events', 1, total);
      await ops.bindEvents(`${d.publicUrl}${m.handlers.events}`, m.events);

      await report('placements', 2, total);
      const lang = portal.locale === 'en' ? 'en' : 'ru';
      await ops.bindPlacements(
        m.placements.map((p) => ({ placement: p.code, handlerUrl: `${d.publicUrl}${p.handler}`, title: p.title[lang], description: p.description[lang] })),
      );

      await report('pipelines', 3, total);
      await projections.replacePipelines(portal.id, await ops.listPipelines());
      await projections.replaceUsers(portal.id, await ops.listUsers());

      await report('goal_field', 4, total);
      const enumMap = await ops.ensureGoalField(m.goalField.fieldName, m.goalField.label[lang], await d.goalItems(portal));
      await d.portals.updateSettings(portal.id, { goalFieldName: `UF_CRM_${m.goalField.fieldName}`, goalEnum: enumMap });

      await report('metrics_list', 5, total);
      try {
        const store = await ops.ensureMetricsList(metricsRecordSchema(lang));
        await d.portals.updateSettings(portal.id, { metricsRecordStore: store });
      } catch (err) {
        // A list needs the lists right of the installing user; without it the rest of the app works,
        // and the write-back skips the record until a set-up by an admin makes the list.
        if (!(err instanceof HostApiError) || err.code !== 'VALIDATION') throw err;
        d.onMetricsListRefused?.(portal, err);
        await d.portals.updateSettings(portal.id, { metricsRecordStore: null });
      }
      await report('done', 6, total);
    },

    async verifyAccessToken(portal, accessToken) {
      try {
        await d.opsWithToken(portal, accessToken).appInfo();
        return true;
      } catch {
        return false;
      }
    },
  };
}

import type { Portal } from './portal.js';

/**
 * Where a message sends someone to see the dashboard. On Bitrix24 it is the app's page inside the
 * portal (/marketplace/app/{id}/, the local id app.info gave at set-up): opened there, the portal
 * signs the user in to the app. Our own /app/dashboard is the fallback, for amoCRM (the dashboard
 * opens from the widget) and for a portal set up before the id was kept.
 */
export function dashboardLink(portal: Pick<Portal, 'host' | 'domain' | 'settings'>, publicUrl: string): string {
  const appId = portal.settings.appId;
  if (portal.host === 'bitrix24' && (typeof appId === 'string' || typeof appId === 'number') && /^\d+$/.test(String(appId)) && portal.domain) {
    return `https://${portal.domain}/marketplace/app/${appId}/`;
  }
  return `${publicUrl}/app/dashboard`;
}

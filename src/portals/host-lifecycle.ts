import type { Portal } from './portal.js';

/**
 * Host-specific install-time work, behind one interface like the connectors: binding events and
 * placements (or webhooks), importing pipelines, creating the goal field, and checking that an
 * update's new credentials really come from the host.
 */
export interface HostLifecycle {
  /** Idempotent: re-running it after a re-install or an update changes nothing twice. */
  setUp(portal: Portal, report: (step: string, done: number, total: number) => Promise<void>): Promise<void>;
  /** True when `accessToken` is accepted by the portal's own API (so the update is genuine). */
  verifyAccessToken(portal: Portal, accessToken: string): Promise<boolean>;
  /** Remove what we registered on the host, where the host still lets us (amoCRM webhooks). */
  tearDown?(portal: Portal): Promise<void>;
}

import { pausedStatusFor } from '../../src/connectors/host-error-policy.js';
import { HostApiError } from '../../src/connectors/host-api-error.js';
import { startAmocrmE2E, type AmocrmE2E } from './amocrm-harness.js';

// After too many 429s amoCRM blocks the account: 403 (an nginx HTML page) on every request, lifted
// only by its support (shared/protocols/amocrm.md §4). A new authorization would not help, so the
// portal is 'blocked', not 'needs_reauth'; no job calls it any more.
describe('amoCRM account blocked by the host', () => {
  let e: AmocrmE2E;
  beforeAll(async () => {
    e = await startAmocrmE2E();
  });
  afterAll(async () => {
    await e.stop();
  });

  it('pauses the portal as blocked at the first 403 block, and its later events are kept but not read', async () => {
    e.sandbox.block();
    const lead = e.sandbox.createLead({ name: 'During the block', responsibleUserId: 1002 });
    await e.settle();
    const [portal] = await e.t.db.query(`SELECT status FROM portals WHERE id = $1`, [e.portalId]);
    expect(portal.status).toBe('blocked');
    const calls = e.sandbox.callCount({ status: 403 });
    expect(calls).toBe(1);

    e.sandbox.moveLead(lead.id, 10002, undefined, 1002);
    await e.settle();
    expect(e.sandbox.callCount({ status: 403 })).toBe(calls);
    const events = await e.t.db.query(`SELECT status, error FROM inbox_events WHERE entity_id = $1 ORDER BY id`, [String(lead.id)]);
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((ev: { status: string }) => ev.status === 'ignored')).toBe(true);
    expect((await e.t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`))[0].n).toBe(0);
  });

  it('treats an unpaid account (402) as blocked too, and a revoked authorization as needing a new one', () => {
    expect(pausedStatusFor(new HostApiError('AUTH_REVOKED', 'Payment required', 402, 'PAYMENT_REQUIRED'))).toBe('blocked');
    expect(pausedStatusFor(new HostApiError('AUTH_REVOKED', 'blocked', 403, 'ACCOUNT_BLOCKED'))).toBe('blocked');
    expect(pausedStatusFor(new HostApiError('AUTH_REVOKED', 'Invalid refresh token', 400, 'INVALID_GRANT'))).toBe('needs_reauth');
  });
});

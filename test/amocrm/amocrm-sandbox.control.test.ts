import type { AmoCrmSandbox } from '../../src/sandbox/amocrm/amocrm-sandbox.js';
import { call, startSandbox } from './sandbox-harness.js';

describe('amoCRM sandbox: /_sandbox control routes for the demo', () => {
  let sandbox: AmoCrmSandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ controlRoutes: true });
  });
  afterEach(() => sandbox.stop());

  it('creates and moves a lead, logs a call, and shows the state — without OAuth', async () => {
    const lead = (await call(sandbox, 'POST', '/_sandbox/leads', null, { name: 'Demo', responsibleUserId: 1002 })).json;
    expect(lead).toMatchObject({ name: 'Demo', status_id: 10001 });
    expect((await call(sandbox, 'POST', `/_sandbox/leads/${lead.id}/move`, null, { statusId: 10003, asUserId: 1002 })).json).toMatchObject({ status_id: 10003, updated_by: 1002 });
    expect((await call(sandbox, 'POST', `/_sandbox/leads/${lead.id}/move`, null, { statusId: 999 })).status).toBe(400);
    expect((await call(sandbox, 'POST', `/_sandbox/leads/${lead.id}/calls`, null, { direction: 'in', durationSec: 40, userId: 1002 })).json).toMatchObject({ note_type: 'call_in' });
    const state = (await call(sandbox, 'GET', '/_sandbox/state', null)).json;
    expect(state.leads).toHaveLength(1);
    expect(state.notes).toHaveLength(1);
    expect(new URL((await call(sandbox, 'POST', '/_sandbox/install', null, { state: 'x' })).json.redirect).searchParams.get('referer')).toBe(sandbox.referer);
  });

  it('is absent unless asked for', async () => {
    const plain = await startSandbox();
    try {
      expect((await call(plain, 'GET', '/_sandbox/state', null)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

// The official SDK (@bitrix24/b24jssdk, what the connector uses) against the sandbox: calls, batch, and
// the refresh-on-expired_token path with the rotated pair handed to the persistence callback.

import { B24OAuth } from '@bitrix24/b24jssdk';
import { Bitrix24Sandbox } from '../../../src/sandbox/bitrix24/index.js';

describe('Bitrix24 sandbox with the official SDK', () => {
  let sandbox: Bitrix24Sandbox;
  let url: string;
  beforeEach(async () => {
    // System clock: the SDK checks `expires` against Date.now().
    sandbox = new Bitrix24Sandbox({ installFinished: true });
    ({ url } = await sandbox.start());
  });
  afterEach(() => sandbox.stop());

  function client(onRefresh: (refreshToken: string) => void): B24OAuth {
    const post = sandbox.issueInstallTokens();
    const { portal } = sandbox;
    const b24 = new B24OAuth(
      {
        applicationToken: portal.applicationToken,
        userId: 1,
        memberId: portal.memberId,
        accessToken: post.body.AUTH_ID,
        refreshToken: post.body.REFRESH_ID,
        expires: Math.floor(Date.now() / 1000) + 3600,
        expiresIn: 3600,
        scope: post.body.APPLICATION_SCOPE,
        domain: portal.domain,
        clientEndpoint: post.body.SERVER_ENDPOINT,
        serverEndpoint: post.body.SERVER_ENDPOINT,
        status: 'F',
      },
      { clientId: portal.clientId, clientSecret: portal.clientSecret },
    );
    b24.offClientSideWarning();
    b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => onRefresh(b24OAuthParams.refreshToken));
    return b24;
  }

  it('calls a method, runs a batch, and refreshes once on expired_token', async () => {
    const refreshed: string[] = [];
    const b24 = client((t) => refreshed.push(t));
    const deal = sandbox.createDeal({ title: 'Via SDK', assignedById: 3 }, 3);

    const get = await b24.actions.v2.call.make<{ item: { id: number; title: string } }>({
      method: 'crm.item.get',
      params: { entityTypeId: 2, id: deal.id },
      requestId: 'r1',
    });
    expect(get.isSuccess).toBe(true);
    expect(get.getData()!.result.item).toMatchObject({ id: deal.id, title: 'Via SDK' });

    const users = await b24.actions.v2.call.make<unknown[]>({ method: 'user.get', params: { FILTER: { ACTIVE: true } }, requestId: 'r2' });
    expect((users.getData()!.result as unknown[]).length).toBe(5);

    sandbox.expireAccessTokens();
    const history = await b24.actions.v2.call.make<{ items: unknown[] }>({
      method: 'crm.stagehistory.list',
      params: { entityTypeId: 2, filter: { OWNER_ID: deal.id } },
      requestId: 'r3',
    });
    expect(history.isSuccess).toBe(true);
    expect(history.getData()!.result.items).toHaveLength(1);
    expect(sandbox.stats().oauth.refreshed).toBe(1);
    expect(refreshed).toHaveLength(1);

    const batch = await b24.actions.v2.batch.make({
      calls: {
        deal: { method: 'crm.item.get', params: { entityTypeId: 2, id: deal.id } },
        stages: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'DEAL_STAGE' } } },
      },
      options: { isHaltOnError: false, returnAjaxResult: false },
      requestId: 'r4',
    } as never);
    expect(batch.isSuccess).toBe(true);
    expect(sandbox.stats().perMethod).toMatchObject({ batch: 1, 'crm.status.list': 1 });
  });
});

import { issueSession } from '../../src/ui/session.js';
import { startBitrix24E2E } from '../e2e/bitrix24-harness.js';
import { scenarioRules } from '../e2e/rules-scenarios.js';

it('counts calls per skip', async () => {
  const e = await startBitrix24E2E();
  const admin = issueSession({ portalId: e.portalId, userId: '1', role: 'admin' }, e.rt.ctx.sessionSecret);
  const rules = scenarioRules('alert');
  rules.pipelines[0]!.skipping.createFixTask = true;
  for (const st of rules.pipelines[0]!.stages) st.exitConditions = { fieldsFilled: [], goalsReached: [], nextContactPlanned: false };
  await fetch(`${e.rt.url}/api/rules`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(rules) });
  await e.settle();
  e.sandbox.resetStats();
  for (let i = 0; i < 10; i++) {
    const id = e.sandbox.createDeal({ title: `D${i}`, stageId: 'NEW', assignedById: 3 }, 3).id;
    e.sandbox.moveDeal(id, 'FINAL_INVOICE', 3);
  }
  await e.settle();
  const a = await e.t.db.query(`SELECT kind, count(*)::int n FROM actions GROUP BY 1`);
  console.log(JSON.stringify(a), JSON.stringify(e.sandbox.stats()));
  await e.stop();
}, 60000);

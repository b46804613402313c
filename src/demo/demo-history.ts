import type { Bitrix24Sandbox, ManualClock } from '../sandbox/bitrix24/index.js';

const DAY = 86_400_000;
const FUNNEL = ['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON'];
const MANAGERS = [3, 4, 5];
const COMPANIES = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware', 'Adventure Works', 'Wingtip', 'Proseware'];
const PRODUCTS = ['CRM rollout', 'Laptops', 'Support plan', 'Licences', 'Training', 'Servers'];

/** A small deterministic generator: the demo looks the same on every machine. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Four weeks of a sales team's work on the sandbox portal, written with the portal's clock in the
 * past: deals created day by day, moved along (mostly in order, a few skipping stages, some lost),
 * with calls, meetings and emails. The install's history import brings it all in.
 */
export function seedHistory(sandbox: Bitrix24Sandbox, clock: ManualClock, now: Date, rand = seededRandom(24)): number[] {
  const start = now.getTime() - 28 * DAY;
  const ids: number[] = [];
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  for (let day = 0; day < 27; day++) {
    const dayStart = start + day * DAY + 9 * 3_600_000;
    clock.set(dayStart);
    for (let n = 0; n < 3; n++) {
      const manager = MANAGERS[(day + n) % MANAGERS.length]!;
      // The third manager is newer: more skips, fewer wins (the dashboard has something to show).
      const weak = manager === 5;
      clock.advance(600 + rand() * 3000);
      const deal = sandbox.createDeal(
        { title: `${pick(COMPANIES)}: ${pick(PRODUCTS)}`, stageId: 'NEW', assignedById: manager, opportunity: Math.round(20 + rand() * 180) * 1000, companyId: rand() < 0.5 ? 12 : 14 },
        manager,
      );
      ids.push(deal.id);
      if (rand() < 0.85) sandbox.addActivity({ ownerId: deal.id, typeId: 2, direction: rand() < 0.3 ? 1 : 2, subject: 'First call', completed: true, responsibleId: manager, callDurationSec: Math.round(rand() * 400), startTime: new Date(clock.now() + 1_800_000) }, manager);
      let at = 0;
      const target = Math.floor(rand() * FUNNEL.length);
      for (let stage = 1; stage <= target; stage++) {
        clock.advance(3600 * (4 + rand() * 40));
        if (clock.now() > now.getTime() - 3_600_000) break;
        if (rand() < (weak ? 0.25 : 0.06) && stage + 1 < FUNNEL.length - 1) stage++;
        if (rand() < 0.12) {
          sandbox.moveDeal(deal.id, 'LOSE', manager);
          break;
        }
        sandbox.moveDeal(deal.id, FUNNEL[stage]!, manager);
        at = stage;
        if (rand() < 0.6) sandbox.addActivity({ ownerId: deal.id, typeId: pick([1, 2, 4]), direction: 2, subject: pick(['Meeting', 'Follow-up call', 'Offer sent']), completed: true, responsibleId: manager, callDurationSec: Math.round(rand() * 300), startTime: new Date(clock.now()) }, manager);
      }
      if (at > 0 && at < FUNNEL.length - 1 && rand() < 0.6) {
        sandbox.addActivity({ ownerId: deal.id, typeId: 1, subject: 'Next meeting', completed: false, responsibleId: manager, startTime: new Date(now.getTime() + rand() * 5 * DAY) }, manager);
      }
    }
  }
  clock.set(now);
  return ids;
}

/** One live move, as a manager would make it: mostly forward, sometimes straight past a required stage. */
export function liveMove(sandbox: Bitrix24Sandbox, rand: () => number): string | null {
  const open = sandbox.deals().filter((d) => (d.categoryId ?? 0) === 0 && FUNNEL.slice(0, -1).includes(d.stageId));
  if (!open.length) return null;
  const deal = open[Math.floor(rand() * open.length)]!;
  const from = deal.stageId;
  const i = FUNNEL.indexOf(from);
  const jump = rand() < 0.2 ? 2 : 1;
  const next = FUNNEL[Math.min(i + jump, FUNNEL.length - 1)]!;
  sandbox.moveDeal(deal.id, next, deal.assignedById);
  return `${deal.title}: ${from} → ${next}`;
}

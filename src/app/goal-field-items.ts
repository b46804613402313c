import type { Portal } from '../portals/portal.js';
import { bitrix24DefaultRules } from '../rules/index.js';
import type { RulesConfigRepository } from '../rules-store/rules-config.repository.js';

/**
 * The choices of the card's "Stage goal" field, on either host: every goal of the portal's active
 * rules (the example goals before any rules are saved), once each, in the portal's language.
 */
export async function goalFieldItems(rules: RulesConfigRepository, portal: Portal): Promise<{ code: string; title: string }[]> {
  const active = await rules.active(portal.id);
  const config = active?.config ?? bitrix24DefaultRules();
  const lang = portal.locale === 'en' ? 'en' : 'ru';
  const seen = new Set<string>();
  return config.pipelines
    .flatMap((p) => p.goals)
    .filter((g) => (seen.has(g.code) ? false : (seen.add(g.code), true)))
    .map((g) => ({ code: g.code, title: g.title[lang] ?? g.code }));
}

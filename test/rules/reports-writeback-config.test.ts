import { validateRulesConfig } from '../../src/rules/rules-config.validate.js';
import { reportsOf } from '../../src/rules/rules-config.schema.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/examples/bitrix24-default.rules.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function validateWith(mutate: (config: Json) => void) {
  const config: Json = bitrix24DefaultRules();
  mutate(config);
  return validateRulesConfig(JSON.parse(JSON.stringify(config)), bitrix24DefaultPipelines());
}

describe('reports write-back section', () => {
  it('a config without one keeps it absent and runs on the defaults', () => {
    const result = validateWith(() => {});
    expect(result.ok && result.config.reports).toBeUndefined();
    expect(reportsOf({})).toEqual({ hourLocal: 9, digest: 'daily', kpiLine: true, hostRecord: true });
  });

  it('a partial section gets the other defaults', () => {
    const result = validateWith((c) => (c.reports = { digest: 'weekly' }));
    expect(result.ok && reportsOf(result.config)).toEqual({ hourLocal: 9, digest: 'weekly', kpiLine: true, hostRecord: true });
  });

  it.each([
    ['reports.hourLocal', { hourLocal: 24 }],
    ['reports.digest', { digest: 'monthly' }],
    ['reports.kpiLine', { kpiLine: 'yes' }],
    ['reports.colour', { colour: 'red' }],
  ])('a bad value is refused naming %s', (path, section) => {
    const result = validateWith((c) => (c.reports = section));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.path)).toContain(path);
  });

  it('a digest needs heads of sales; "off" does not', () => {
    const none = (digest: string) =>
      validateWith((c) => {
        c.headsOfSales = [];
        c.pipelines[0].skipping.alertUserIds = ['5'];
        c.pipelines[0].goals = [];
        c.pipelines[0].stages.forEach((s: Json) => (s.exitConditions.goalsReached = []));
        c.pipelines[0].skipping.fastTracks = [];
        c.reports = { digest };
      });
    expect(none('daily')).toEqual({
      ok: false,
      errors: [{ path: 'reports.digest', message: 'the metrics digest goes to headsOfSales, which is empty: set headsOfSales or set the digest to "off"' }],
    });
    expect(none('off').ok).toBe(true);
  });
});

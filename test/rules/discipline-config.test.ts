import { validateRulesConfig } from '../../src/rules/rules-config.validate.js';
import { disciplineOf, type DisciplineRules } from '../../src/rules/rules-config.schema.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/examples/bitrix24-default.rules.js';
import { b2bFiveStageRules } from '../../src/rules/examples/b2b-five-stage.rules.js';

// Configs arrive as JSON from the settings page, so the cases mutate plain JSON freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const P = 'pipelines.0';
const DEFAULTS: DisciplineRules = {
  stalledAfterWorkingDays: 5,
  requireNextContact: true,
  nextContactGraceHours: 0,
  firstResponseSlaMinutes: 30,
  escalateAfterHours: 24,
  overdueTasks: true,
  digest: { enabled: true, hourLocal: 9 },
};

function validateWith(mutate: (config: Json) => void) {
  const config: Json = bitrix24DefaultRules();
  mutate(config);
  return validateRulesConfig(JSON.parse(JSON.stringify(config)), bitrix24DefaultPipelines());
}

function disciplineAfter(mutate: (config: Json) => void): DisciplineRules {
  const result = validateWith(mutate);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return disciplineOf(result.config.pipelines[0]);
}

describe('pipeline discipline section', () => {
  it('a pipeline without one keeps its config as saved and runs on the defaults', () => {
    const result = validateRulesConfig(bitrix24DefaultRules(), bitrix24DefaultPipelines());
    expect(result.ok && result.config.pipelines[0].discipline).toBeUndefined();
    expect(disciplineOf(bitrix24DefaultRules().pipelines[0])).toEqual(DEFAULTS);
  });

  it.each([
    ['an empty section is all defaults', {}, DEFAULTS],
    ['a partial digest keeps the digest on', { digest: { hourLocal: 7 } }, { ...DEFAULTS, digest: { enabled: true, hourLocal: 7 } }],
    [
      'every key set',
      { stalledAfterWorkingDays: 2, requireNextContact: false, nextContactGraceHours: 1.5, firstResponseSlaMinutes: 15, escalateAfterHours: 4, overdueTasks: false, digest: { enabled: false, hourLocal: 0 } },
      { stalledAfterWorkingDays: 2, requireNextContact: false, nextContactGraceHours: 1.5, firstResponseSlaMinutes: 15, escalateAfterHours: 4, overdueTasks: false, digest: { enabled: false, hourLocal: 0 } },
    ],
  ])('%s', (_name, section, expected) => {
    expect(disciplineAfter((c) => (c.pipelines[0].discipline = section))).toEqual(expected);
  });

  it('the B2B example carries its own section', () => {
    expect(disciplineOf(b2bFiveStageRules().pipelines[0])).toEqual({
      stalledAfterWorkingDays: 3,
      requireNextContact: true,
      nextContactGraceHours: 4,
      firstResponseSlaMinutes: 60,
      escalateAfterHours: 24,
      overdueTasks: true,
      digest: { enabled: true, hourLocal: 8 },
    });
  });

  const D = `${P}.discipline`;
  const rejected: [name: string, section: Json, path: string, message: string][] = [
    ['zero stalled days', { stalledAfterWorkingDays: 0 }, `${D}.stalledAfterWorkingDays`, '>0'],
    ['fractional stalled days', { stalledAfterWorkingDays: 2.5 }, `${D}.stalledAfterWorkingDays`, 'expected int'],
    ['a non-boolean requireNextContact', { requireNextContact: 'yes' }, `${D}.requireNextContact`, 'expected boolean'],
    ['a negative grace', { nextContactGraceHours: -1 }, `${D}.nextContactGraceHours`, '>=0'],
    ['a zero SLA', { firstResponseSlaMinutes: 0 }, `${D}.firstResponseSlaMinutes`, '>0'],
    ['a zero escalation delay', { escalateAfterHours: 0 }, `${D}.escalateAfterHours`, '>0'],
    ['digest hour 24', { digest: { hourLocal: 24 } }, `${D}.digest.hourLocal`, '<=23'],
    ['digest hour 8.5', { digest: { hourLocal: 8.5 } }, `${D}.digest.hourLocal`, 'expected int'],
    ['a misspelt key', { stalledAfterDays: 3 }, `${D}.stalledAfterDays`, 'unknown field "stalledAfterDays"'],
    ['a misspelt digest key', { digest: { hour: 8 } }, `${D}.digest.hour`, 'unknown field "hour"'],
  ];
  it.each(rejected.map(([name, section, path, message]) => ({ name, section, path, message })))(
    'rejects $name at "$path"',
    ({ section, path, message }) => {
      expect(validateWith((c) => (c.pipelines[0].discipline = section))).toEqual({
        ok: false,
        errors: [{ path, message: expect.stringContaining(message) }],
      });
    },
  );

  it('a digest needs heads of sales to go to', () => {
    const result = validateWith((c) => {
      c.headsOfSales = [];
      c.pipelines[0].skipping.alertUserIds = ['5'];
      c.pipelines[0].goals = [];
      c.pipelines[0].stages.forEach((s: Json) => (s.exitConditions.goalsReached = []));
      c.pipelines[0].skipping.fastTracks = [];
      c.pipelines[0].discipline = { digest: { hourLocal: 8 } };
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: `${D}.digest.enabled`,
          message: 'the digest goes to headsOfSales, which is empty: set headsOfSales or turn the digest off',
        },
      ],
    });
  });

  it.each([
    ['with the digest off', { digest: { enabled: false } }],
    ['without a section (the defaults never invalidate a config)', undefined],
  ])('no heads of sales is fine %s', (_name, section) => {
    const result = validateWith((c) => {
      c.headsOfSales = [];
      c.pipelines[0].skipping.alertUserIds = ['5'];
      c.pipelines[0].goals = [];
      c.pipelines[0].stages.forEach((s: Json) => (s.exitConditions.goalsReached = []));
      c.pipelines[0].skipping.fastTracks = [];
      if (section) c.pipelines[0].discipline = section;
    });
    expect(result.ok).toBe(true);
  });
});

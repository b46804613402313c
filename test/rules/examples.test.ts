import { validateRulesConfig } from '../../src/rules/rules-config.validate.js';
import { bitrix24DefaultPipelines, bitrix24DefaultRules } from '../../src/rules/examples/bitrix24-default.rules.js';
import { B2B_STAGE, b2bFiveStagePipelines, b2bFiveStageRules } from '../../src/rules/examples/b2b-five-stage.rules.js';

describe('example configs', () => {
  it.each([
    ['Bitrix24 default pipeline', bitrix24DefaultRules, bitrix24DefaultPipelines],
    ['five-stage B2B pipeline', b2bFiveStageRules, b2bFiveStagePipelines],
  ])('%s validates against its pipelines', (_name, rules, pipelines) => {
    expect(validateRulesConfig(rules(), pipelines())).toEqual({ ok: true, config: rules() });
  });

  it('the Bitrix24 fixture has the default category-0 stages in order', () => {
    const [pipeline] = bitrix24DefaultPipelines();
    expect(pipeline.stages.map((s) => [s.id, s.semantics])).toEqual([
      ['NEW', 'process'],
      ['PREPARATION', 'process'],
      ['PREPAYMENT_INVOICE', 'process'],
      ['EXECUTING', 'process'],
      ['FINAL_INVOICE', 'process'],
      ['WON', 'success'],
      ['LOSE', 'failure'],
      ['APOLOGY', 'failure'],
    ]);
  });

  it('the B2B pipeline has four working stages and amoCRM closing stages', () => {
    const [pipeline] = b2bFiveStagePipelines();
    expect(pipeline.stages.map((s) => `${s.name}:${s.id}:${s.semantics}`)).toEqual([
      'Identification:61001:process',
      'Qualification:61002:process',
      'Offer:61003:process',
      'Negotiation:61004:process',
      'Won:142:success',
      'Lost:143:failure',
    ]);
  });

  it('the B2B negotiation stage carries the four negotiation goals', () => {
    const goals = b2bFiveStageRules().pipelines[0].goals.filter((g) => g.stageId === B2B_STAGE.negotiation);
    expect(goals.map((g) => g.code)).toEqual(['requirements_received', 'ready_to_buy', 'refused', 'postponed']);
  });

  it('a config written for one pipeline does not fit the other', () => {
    const result = validateRulesConfig(b2bFiveStageRules(), bitrix24DefaultPipelines());
    expect(result).toEqual({ ok: false, errors: [{ path: 'pipelines.0.pipelineId', message: 'unknown pipeline "7001"' }] });
  });
});

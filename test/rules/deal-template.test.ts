import { renderDealTemplate } from '../../src/rules/deal-template.js';
import { dealAt } from './rules-fixtures.js';

const deal = dealAt('NEW', {
  fields: { UF_CRM_INN: '7701234567', UF_TAGS: ['vip', 'repeat'], UF_COUNT: 40, UF_OBJ: { a: 1 }, UF_EMPTY: null },
});

describe('renderDealTemplate', () => {
  it.each([
    ['the title', 'Legal: approve contract for {{deal.title}}', 'Legal: approve contract for Acme: 40 laptops'],
    ['id, amount and currency', '#{{deal.id}}: {{deal.amount}} {{deal.currency}}', '#501: 120000 RUB'],
    ['the close date', 'close by {{deal.closeDate}}', 'close by 2025-04-30T00:00:00+03:00'],
    ['spaces inside braces', '{{ deal.title }}', 'Acme: 40 laptops'],
    ['a custom string field', 'INN {{deal.fields.UF_CRM_INN}}', 'INN 7701234567'],
    ['a custom number field', '{{deal.fields.UF_COUNT}} pcs', '40 pcs'],
    ['a multi-value field', 'tags: {{deal.fields.UF_TAGS}}', 'tags: vip, repeat'],
    ['the same placeholder twice', '{{deal.id}}/{{deal.id}}', '501/501'],
    ['an unknown placeholder', 'x{{deal.nope}}y', 'xy'],
    ['an unknown custom field', 'x{{deal.fields.UF_MISSING}}y', 'xy'],
    ['a null custom field', 'x{{deal.fields.UF_EMPTY}}y', 'xy'],
    ['an object field', 'x{{deal.fields.UF_OBJ}}y', 'xy'],
    ['an inherited property name', 'x{{deal.fields.toString}}{{deal.fields.__proto__}}y', 'xy'],
    ['a non-deal placeholder', 'x{{user.name}}y', 'xy'],
    ['single braces, left alone', '{deal.title}', '{deal.title}'],
    ['an unclosed placeholder, left alone', 'x {{deal.title', 'x {{deal.title'],
  ])('renders %s', (_name, template, expected) => {
    expect(renderDealTemplate(template, deal)).toBe(expected);
  });

  it('renders a missing amount as empty', () => {
    expect(renderDealTemplate('[{{deal.amount}}]', dealAt('NEW', { amount: null }))).toBe('[]');
  });
});

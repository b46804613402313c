import type { Deal } from '../domain/crm.js';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Renders {{deal.title}}, {{deal.amount}}, {{deal.currency}}, {{deal.id}}, {{deal.closeDate}},
 * {{deal.fields.NAME}}. Templates are typed by users into the settings page; a typo must give an empty
 * spot in a task title, not a failed goal, so anything unknown renders as ''.
 */
export function renderDealTemplate(template: string, deal: Deal): string {
  return template.replace(PLACEHOLDER, (_, name: string) => printable(lookup(name, deal)));
}

function lookup(name: string, deal: Deal): unknown {
  if (name.startsWith('deal.fields.')) {
    const field = name.slice('deal.fields.'.length);
    return Object.hasOwn(deal.fields, field) ? deal.fields[field] : undefined;
  }
  switch (name) {
    case 'deal.id':
      return deal.id;
    case 'deal.title':
      return deal.title;
    case 'deal.amount':
      return deal.amount;
    case 'deal.currency':
      return deal.currency;
    case 'deal.closeDate':
      return deal.closeDate;
    default:
      return undefined;
  }
}

function printable(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(printable).filter((s) => s !== '').join(', ');
  return '';
}

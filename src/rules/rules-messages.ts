import type { Locale } from './rules-config.schema.js';

export interface MissingForMessage {
  /** Field labels, already localized where we know them. */
  fields: string[];
  /** Goal titles in the config's locale. */
  goals: string[];
  nextContact: boolean;
}

export interface RulesMessages {
  stageSkipped(deal: string, from: string, to: string, skipped: string[]): string;
  exitConditionsUnmet(deal: string, from: string, missing: MissingForMessage): string;
  lossReasonMissing(deal: string, to: string, field: string): string;
  rolledBack(deal: string, to: string): string;
  fixTaskTitle(deal: string): string;
  fieldLabels: Partial<Record<string, string>>;
}

const q = (name: string) => `«${name}»`;
const quoted = (names: string[]) => names.map(q).join(', ');

const ru: RulesMessages = {
  stageSkipped: (deal, from, to, skipped) =>
    `Сделка ${q(deal)} перемещена из ${q(from)} в ${q(to)} в обход обязательных стадий: ${quoted(skipped)}.`,
  exitConditionsUnmet: (deal, from, m) =>
    `Сделка ${q(deal)} покинула стадию ${q(from)}, не выполнив условия выхода: ${[
      m.fields.length > 0 ? `не заполнены поля ${quoted(m.fields)}` : '',
      m.goals.length > 0 ? `не достигнуты цели ${quoted(m.goals)}` : '',
      m.nextContact ? 'не запланирован следующий контакт' : '',
    ]
      .filter(Boolean)
      .join('; ')}.`,
  lossReasonMissing: (deal, to, field) => `Сделка ${q(deal)} переведена в ${q(to)} без причины отказа (поле ${q(field)}).`,
  rolledBack: (deal, to) => `Сделка ${q(deal)} возвращена на стадию ${q(to)}.`,
  fixTaskTitle: (deal) => `Исправить нарушение порядка стадий: ${deal}`,
  fieldLabels: { amount: 'Сумма', closeDate: 'Дата закрытия', probability: 'Вероятность', companyId: 'Компания', contactId: 'Контакт' },
};

const en: RulesMessages = {
  stageSkipped: (deal, from, to, skipped) =>
    `Deal ${q(deal)} was moved from ${q(from)} to ${q(to)}, skipping required stages: ${quoted(skipped)}.`,
  exitConditionsUnmet: (deal, from, m) =>
    `Deal ${q(deal)} left stage ${q(from)} before its exit conditions were met: ${[
      m.fields.length > 0 ? `fields not filled: ${quoted(m.fields)}` : '',
      m.goals.length > 0 ? `goals not reached: ${quoted(m.goals)}` : '',
      m.nextContact ? 'no next contact planned' : '',
    ]
      .filter(Boolean)
      .join('; ')}.`,
  lossReasonMissing: (deal, to, field) => `Deal ${q(deal)} was moved to ${q(to)} without a loss reason (field ${q(field)}).`,
  rolledBack: (deal, to) => `Deal ${q(deal)} was returned to stage ${q(to)}.`,
  fixTaskTitle: (deal) => `Fix the stage order: ${deal}`,
  fieldLabels: { amount: 'Amount', closeDate: 'Close date', probability: 'Probability', companyId: 'Company', contactId: 'Contact' },
};

const pl: RulesMessages = {
  stageSkipped: (deal, from, to, skipped) =>
    `Transakcja ${q(deal)} została przeniesiona z ${q(from)} do ${q(to)} z pominięciem wymaganych etapów: ${quoted(skipped)}.`,
  exitConditionsUnmet: (deal, from, m) =>
    `Transakcja ${q(deal)} opuściła etap ${q(from)} przed spełnieniem warunków wyjścia: ${[
      m.fields.length > 0 ? `niewypełnione pola: ${quoted(m.fields)}` : '',
      m.goals.length > 0 ? `nieosiągnięte cele: ${quoted(m.goals)}` : '',
      m.nextContact ? 'brak zaplanowanego następnego kontaktu' : '',
    ]
      .filter(Boolean)
      .join('; ')}.`,
  lossReasonMissing: (deal, to, field) =>
    `Transakcja ${q(deal)} została przeniesiona do ${q(to)} bez podania przyczyny utraty (pole ${q(field)}).`,
  rolledBack: (deal, to) => `Transakcja ${q(deal)} została przywrócona do etapu ${q(to)}.`,
  fixTaskTitle: (deal) => `Popraw kolejność etapów: ${deal}`,
  fieldLabels: { amount: 'Kwota', closeDate: 'Data zamknięcia', probability: 'Prawdopodobieństwo', companyId: 'Firma', contactId: 'Kontakt' },
};

const BY_LOCALE: Record<Locale, RulesMessages> = { ru, en, pl };

export function rulesMessages(locale: Locale): RulesMessages {
  return BY_LOCALE[locale];
}

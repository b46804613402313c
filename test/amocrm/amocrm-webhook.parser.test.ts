import { parseAmoWebhook, verifyAmoWebhook, verifyAmoWebhookSecret } from '../../src/webhooks/amocrm/amocrm-webhook.parser.js';
import { encodeForm, formFixture, formLines } from './form-fixture.js';

function parse(name: string) {
  const result = parseAmoWebhook(formFixture(name));
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe('parseAmoWebhook', () => {
  it.each([
    ['status-lead.form.txt', '12345678', [['deal_changed', '15318175', 'leads.status']]],
    ['add-lead.form.txt', '30739638', [['deal_changed', '1190401', 'leads.add'], ['lead_added', '1190401', 'leads.add']]],
    ['responsible-lead.form.txt', '12345678', [['deal_changed', '15318175', 'leads.responsible']]],
    ['delete-lead.form.txt', '12345678', [['deal_deleted', '15318175', 'leads.delete']]],
    ['add-task.form.txt', '32720107', [['activity_changed', 'task:1564671', 'task.add']]],
    ['note-lead-call.form.txt', '32720107', [['activity_changed', 'note:leads:4600471', 'leads.note']]],
    ['note-lead.form.txt', '32720107', [['ignored', '4600471', 'leads.note']]],
    ['contacts-add.form.txt', '12345678', [['ignored', '3001', 'contacts.add'], ['ignored', '4001', 'contacts.add']]],
    ['dp-minimal-status.form.txt', '12345678', [['deal_changed', '25399013', 'leads.status']]],
    [
      'batch-update-status-task.form.txt',
      '12345678',
      [
        ['deal_changed', '15318175', 'leads.update'],
        ['deal_changed', '15318176', 'leads.update'],
        ['deal_changed', '15318175', 'leads.status'],
        ['activity_changed', 'task:1564671', 'task.update'],
      ],
    ],
  ])('%s → events', (name, accountId, expected) => {
    const result = parse(name);
    expect(result.accountId).toBe(accountId);
    expect(result.events.map((e) => [e.kind, e.entityId, e.hostEventName])).toEqual(expected);
    for (const event of result.events) {
      expect(event.accountId).toBe(accountId);
      expect(event.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('reads occurredAt from the unix updated_at, never the local date strings', () => {
    expect(parse('status-lead.form.txt').events[0].occurredAt).toBe(new Date(1726572758 * 1000).toISOString());
    expect(parse('add-task.form.txt').events[0].occurredAt).toBe(new Date(1726578449 * 1000).toISOString());
    expect(parse('delete-lead.form.txt').events[0].occurredAt).toBeNull();
  });

  it('gives ignored events a reason', () => {
    const [note] = parse('note-lead.form.txt').events;
    expect(note).toMatchObject({ kind: 'ignored', reason: 'note type 4 is not an activity' });
    const [contact, company] = parse('contacts-add.form.txt').events;
    expect(contact).toMatchObject({ reason: 'contact add: contacts and companies are not tracked' });
    expect(company).toMatchObject({ reason: 'company add: contacts and companies are not tracked' });
  });

  describe('dedupe keys', () => {
    it('are equal for a redelivery of the same body', () => {
      expect(parse('status-lead.form.txt').events[0].dedupeKey).toBe(parse('status-lead.form.txt').events[0].dedupeKey);
    });

    it('differ for another change of the same lead in the same second', () => {
      const changed = formLines('status-lead.form.txt').map(([k, v]): [string, string] => [k, k.endsWith('[price]') ? '2000' : v]);
      const other = parseAmoWebhook(encodeForm(changed));
      if (!other.ok) throw new Error(other.reason);
      expect(other.events[0].dedupeKey).not.toBe(parse('status-lead.form.txt').events[0].dedupeKey);
    });

    it('differ by action and by account for the same lead', () => {
      const keys = parse('batch-update-status-task.form.txt').events.map((e) => e.dedupeKey);
      expect(new Set(keys).size).toBe(keys.length);
      const add = parse('add-lead.form.txt').events;
      expect(add[0].dedupeKey).not.toBe(add[1].dedupeKey);
      const moved = formLines('dp-minimal-status.form.txt').map(([k, v]): [string, string] => [k, k === 'account[id]' ? '999' : v]);
      const otherAccount = parseAmoWebhook(encodeForm(moved));
      if (!otherAccount.ok) throw new Error(otherAccount.reason);
      expect(otherAccount.events[0].dedupeKey).not.toBe(parse('dp-minimal-status.form.txt').events[0].dedupeKey);
    });
  });

  it('ignores an entity whose own account_id differs from account[id]', () => {
    const forged = formLines('status-lead.form.txt').map(([k, v]): [string, string] => [k, k === 'leads[status][0][account_id]' ? '777' : v]);
    const result = parseAmoWebhook(encodeForm(forged));
    expect(result.ok && result.events[0]).toMatchObject({ kind: 'ignored', reason: 'leads.status 15318175 belongs to account 777' });
  });

  it.each([
    ['no account', 'leads[status][0][id]=1', 'missing or non-numeric "account[id]"'],
    ['non-numeric account', 'leads[status][0][id]=1&account[id]=abc', 'missing or non-numeric "account[id]"'],
    ['pollution', 'leads[__proto__][x]=1&account[id]=1', 'malformed body: key segment "__proto__" is not allowed'],
  ])('refuses a body with %s', (_name, body, reason) => {
    expect(parseAmoWebhook(body)).toEqual({ ok: false, reason });
  });

  it('refuses a body past the caller’s limit', () => {
    const result = parseAmoWebhook(formFixture('status-lead.form.txt'), { maxLength: 100 });
    expect(result.ok).toBe(false);
  });

  it('marks an entity without a numeric id ignored', () => {
    const result = parseAmoWebhook('leads[update][0][id]=x&account[id]=5');
    expect(result.ok && result.events).toEqual([expect.objectContaining({ kind: 'ignored', entityId: null, reason: 'leads.update without a numeric id' })]);
  });
});

describe('verifyAmoWebhook', () => {
  it.each([
    ['12345678', '12345678', { ok: true }],
    ['12345679', '12345678', { ok: false, reason: 'account_mismatch' }],
    ['1234567', '12345678', { ok: false, reason: 'account_mismatch' }],
    [null, '12345678', { ok: false, reason: 'missing_account' }],
    ['', '12345678', { ok: false, reason: 'missing_account' }],
  ])('body account %p vs %p', (given, expected, verdict) => {
    expect(verifyAmoWebhook(given, expected)).toEqual(verdict);
  });

  it('checks the URL secret in constant time', () => {
    expect(verifyAmoWebhookSecret('s3cr3t', 's3cr3t')).toEqual({ ok: true });
    expect(verifyAmoWebhookSecret('s3cr3T', 's3cr3t')).toEqual({ ok: false, reason: 'bad_secret' });
    expect(verifyAmoWebhookSecret(undefined, 's3cr3t')).toEqual({ ok: false, reason: 'bad_secret' });
    expect(verifyAmoWebhookSecret('', '')).toEqual({ ok: false, reason: 'bad_secret' });
  });
});

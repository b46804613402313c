import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(process.cwd(), 'test/fixtures/bitrix24-connector');

export function eventFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, 'events', name), 'utf8')) as Record<string, unknown>;
}

export function rawFixture(name: string): string {
  return readFileSync(join(FIXTURES, 'events', name), 'utf8');
}

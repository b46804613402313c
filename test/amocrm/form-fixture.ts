import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(process.cwd(), 'test/amocrm/fixtures');

/** `key=value` lines as the docs print them. */
export function formLines(name: string): [string, string][] {
  return readFileSync(join(DIR, 'webhooks', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const eq = line.indexOf('=');
      return [line.slice(0, eq), line.slice(eq + 1)];
    });
}

/** The body amoCRM would post: PHP urlencode of each key and value (spaces as '+', brackets encoded). */
export function encodeForm(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join('&');
}

export function formFixture(name: string): string {
  return encodeForm(formLines(name));
}

export function jsonFixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(join(DIR, path), 'utf8')) as T;
}

function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

import type { FormObject, FormValue } from './form-body.parser.js';

// Small readers over a parsed form body: every value arrives as a string, and a field the host
// left out is simply absent, so each reader answers "a usable string, or nothing".

export function isFormObject(value: FormValue | undefined): value is FormObject {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

export function formObject(value: FormValue | undefined): FormObject {
  return isFormObject(value) ? value : {};
}

export function formString(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function formInt(value: FormValue | undefined): number | undefined {
  const text = formString(value);
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

export function formPath(root: FormObject, ...path: string[]): FormValue | undefined {
  let current: FormValue | undefined = root;
  for (const key of path) {
    if (!isFormObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** `crm,task im` → ['crm', 'task', 'im']: the docs separate scopes with commas in examples and spaces in prose. */
export function splitScope(scope: string | undefined): string[] {
  if (scope === undefined) return [];
  return scope.split(/[\s,]+/).filter((item) => item !== '');
}

import { z } from 'zod';
import { HttpError } from './http-errors.js';

/** Parse query/body input with zod; a failure is a 400 naming the parameter. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what = 'parameter'): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const name = issue.path.join('.') || what;
  throw new HttpError(400, 'invalid_input', `${what} ${name}: ${issue.message}`, r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

export const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((v) => new Date(v));

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

const DATE_FORMS = 'a date (2026-11-01) or a date-time with its offset (2026-11-01T09:00:00+03:00)';

export const isoDate = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: (issue) => (issue.input === undefined ? `required: ${DATE_FORMS}` : `expected ${DATE_FORMS}, got "${String(issue.input).slice(0, 40)}"`),
  })
  .transform((v) => new Date(v));

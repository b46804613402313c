import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const localized = z.object({ ru: z.string(), en: z.string(), pl: z.string().optional() });
const routePath = z.string().regex(/^\/[a-z0-9/_-]*$/, 'expected an absolute path such as /bitrix24/events');

const manifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  description: localized,
  bitrix24: z.object({
    scopes: z.array(z.string()).nonempty(),
    handlers: z.object({ install: routePath, events: routePath, app: routePath }),
    events: z.array(z.string().regex(/^ON[A-Z]+$/)).nonempty(),
    placements: z.array(z.object({ code: z.string(), handler: routePath, title: localized, description: localized })),
    goalField: z.object({ fieldName: z.string().regex(/^[A-Z0-9_]+$/), label: localized }),
  }),
});

export type Manifest = z.infer<typeof manifestSchema>;

let cached: Manifest | null = null;

/** The app's description for the hosts; routes facing a host are mounted from it, so each path is declared once. */
export function loadManifest(): Manifest {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(findManifest(), 'utf8'));
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`manifest.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  cached = parsed.data;
  return cached;
}

/** The manifest sits at the package root, above both src/ and dist/src/. */
function findManifest(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  for (;;) {
    const candidate = path.join(dir, 'manifest.json');
    if (existsSync(candidate) && existsSync(path.join(dir, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('manifest.json not found above ' + new URL(import.meta.url).pathname);
    dir = parent;
  }
}

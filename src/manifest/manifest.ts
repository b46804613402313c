import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const localized = z.object({ ru: z.string(), en: z.string(), pl: z.string().optional() });
const routePath = z.string().regex(/^\/[a-z0-9/_-]*$/, 'expected an absolute path such as /bitrix24/events');
// amoCRM widget locations: cards and lists with -1 (shown in the right panel) or -0 (init only), or
// a whole area (es-developers.kommo.com/docs/manifest-json).
const widgetLocation = z
  .string()
  .regex(
    /^((lcard|ccard|comcard|cuscard|llist|clist|comlist)-[01]|card_sdk|settings|advanced_settings|digital_pipeline|lead_sources|catalogs|salesbot_designer|sms|mobile_card|everywhere)$/,
    'expected an amoCRM widget location such as lcard-1 or advanced_settings',
  );

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
  amocrm: z.object({
    handlers: z.object({
      /** The integration's Redirect URI (unless AMOCRM_REDIRECT_URI says otherwise): the OAuth code arrives here. */
      oauthRedirect: routePath,
      /** Account webhooks post to `{webhooks}/{per-account secret}`. */
      webhooks: routePath,
      /** The integration's "disable hook" URL. */
      disableHook: routePath,
    }),
    // What the widget archive's own manifest.json declares (es-developers.kommo.com/docs/manifest-json):
    // interface_version must be 2; each location we show in has the page it loads from us.
    widget: z
      .object({
        code: z.string().regex(/^[a-z0-9_]+$/),
        version: z.string(),
        interfaceVersion: z.literal(2),
        locations: z.array(widgetLocation).nonempty(),
        pages: z.record(widgetLocation, routePath),
      })
      .refine((w) => w.locations.every((l) => w.pages[l] !== undefined), { message: 'every widget location needs a page' }),
    /** The lead select field managers mark goals in; amoCRM finds it again by this name. */
    goalField: z.object({ label: localized }),
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

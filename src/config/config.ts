import { z } from 'zod';

// The only module that reads process.env. Parsed once at start; a bad value stops start-up with one
// line per variable naming it and what is expected.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'expected a port number between 0 and 65535' })
  .int('expected a port number between 0 and 65535')
  .min(0, 'expected a port number between 0 and 65535')
  .max(65535, 'expected a port number between 0 and 65535');

const positiveInt = (what: string) =>
  z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`);

const key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'expected 32 bytes encoded as base64 (openssl rand -base64 32)');

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ message: 'expected an absolute URL such as https://stageguard.example.com' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
    .optional(),
  DATABASE_POOL_SIZE: positiveInt('a positive integer').default(10),
  PG_DATA_DIR: z.string().min(1).default('./.stageguard/pg'),
  PG_PORT: port.default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: positiveInt('a positive number of milliseconds').default(10000),
  WORKER_CONCURRENCY: positiveInt('a positive integer').default(4),
  TOKEN_ENCRYPTION_KEY: key32.optional(),
  SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  BITRIX24_CLIENT_ID: z.string().min(1).optional(),
  BITRIX24_CLIENT_SECRET: z.string().min(1).optional(),
  AMOCRM_CLIENT_ID: z.string().min(1).optional(),
  AMOCRM_CLIENT_SECRET: z.string().min(1).optional(),
  // The integration's Redirect URI exactly as entered in amoCRM: amoCRM compares it on every token
  // grant. Unset, it is PUBLIC_URL + the OAuth path from manifest.json.
  AMOCRM_REDIRECT_URI: z.url({ message: 'expected an absolute URL such as https://stageguard.example.com/amocrm/oauth' }).optional(),
  // Real portals are https on public hosts; the sandbox is plain http on loopback. Never on by default.
  ALLOW_INSECURE_LOOPBACK_HOSTS: bool.default(false),
  HISTORY_IMPORT_DAYS: positiveInt('a positive number of days').default(90),
  UNINSTALL_GRACE_DAYS: z.coerce.number({ message: 'expected a number of days' }).min(0, 'expected 0 or more days').default(30),
  CRON_ENABLED: bool.default(true),
  // How soon the jobs of a dead worker (SIGKILL, lost machine) are retried: a running job's heartbeat
  // goes stale after QUEUE_HEARTBEAT_SECONDS, and the queue looks for stale ones every QUEUE_SUPERVISE_SECONDS.
  QUEUE_HEARTBEAT_SECONDS: z.coerce.number({ message: 'expected a number of seconds' }).int().min(10, 'expected at least 10 seconds').default(30),
  QUEUE_SUPERVISE_SECONDS: z.coerce.number({ message: 'expected a number of seconds' }).int().min(1, 'expected at least 1 second').default(30),
});

export type Config = z.infer<typeof envSchema> & { publicUrl: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const SECRET_NAMES = new Set(['DATABASE_URL', 'TOKEN_ENCRYPTION_KEY', 'SESSION_SECRET', 'BITRIX24_CLIENT_SECRET', 'AMOCRM_CLIENT_SECRET']);

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" so `PORT= npm start` behaves like no PORT at all.
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const got = SECRET_NAMES.has(name) ? '' : ` (got ${JSON.stringify(input[name])})`;
      return `Invalid configuration: ${name}: ${issue.message}${got}`;
    });
    throw new ConfigError(problems);
  }
  const cfg = parsed.data;
  return { ...cfg, publicUrl: cfg.PUBLIC_URL ?? `http://localhost:${cfg.PORT}` };
}

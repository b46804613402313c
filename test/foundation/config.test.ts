import { ConfigError, loadConfig } from '../../src/config/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('has working defaults on a bare machine', () => {
    const cfg = loadConfig({});
    expect(cfg.PORT).toBe(3000);
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg.PG_DATA_DIR).toBe('./.stageguard/pg');
    expect(cfg.publicUrl).toBe('http://localhost:3000');
    expect(cfg.ALLOW_INSECURE_LOOPBACK_HOSTS).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT: expected a port number between 0 and 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT: .*65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL: expected a postgres:\/\/ connection URL$/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL: /],
    [{ TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' }, /^Invalid configuration: TOKEN_ENCRYPTION_KEY: expected 32 bytes encoded as base64/],
    [{ ALLOW_INSECURE_LOOPBACK_HOSTS: 'maybe' }, /^Invalid configuration: ALLOW_INSECURE_LOOPBACK_HOSTS: expected true or false/],
    [{ PUBLIC_URL: 'not a url' }, /^Invalid configuration: PUBLIC_URL: expected an absolute URL/],
  ])('rejects %j with one line naming the variable', (env, line) => {
    const found = problems(env as Record<string, string>);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(line);
  });

  it('never echoes a secret value back', () => {
    const [line] = problems({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(line).not.toContain('hunter2');
    const [keyLine] = problems({ TOKEN_ENCRYPTION_KEY: 'c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0' });
    expect(keyLine).not.toContain('c2VjcmV0');
  });

  it('reports every bad variable, one line each', () => {
    expect(problems({ PORT: 'abc', LOG_LEVEL: 'loud' })).toHaveLength(2);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies the documented defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/sipas_chat');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.telegram).toBeUndefined();
    expect(c.zalo).toBeUndefined();
    expect(c.reminderDelaysHours).toEqual([24, 72]);
  });

  it('production needs its own pseudonym key of at least 32 characters; elsewhere a development key stands in', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([{ variable: 'PSEUDONYM_KEY', message: expect.stringContaining('required') }]);
    expect(problemsOf({ PSEUDONYM_KEY: 'too-short' })[0]).toMatchObject({ variable: 'PSEUDONYM_KEY', message: expect.stringContaining('32') });
    const key = 'k'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', PSEUDONYM_KEY: key })).toMatchObject({ pseudonymKey: key, pseudonymKeyIsDefault: false });
    expect(loadConfig({})).toMatchObject({ pseudonymKeyIsDefault: true, reportPeriod: 'quarter', quality: { minSecondsPerAnswer: 2, maxPerCreatorDay: 50 } });
    expect(problemsOf({ REPORT_PERIOD: 'week' })[0]?.variable).toBe('REPORT_PERIOD');
  });

  it('names a malformed DATABASE_URL and what is expected', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://localhost/x' });
    expect(problems).toEqual([{ variable: 'DATABASE_URL', message: expect.stringContaining('postgresql://') }]);
    expect(problemsOf({ DATABASE_URL: 'not a url' })[0]?.variable).toBe('DATABASE_URL');
  });

  it('requires TELEGRAM_WEBHOOK_SECRET when TELEGRAM_BOT_TOKEN is set', () => {
    const problems = problemsOf({ TELEGRAM_BOT_TOKEN: '123456:ABCdef' });
    expect(problems).toEqual([{ variable: 'TELEGRAM_WEBHOOK_SECRET', message: expect.stringContaining('required when TELEGRAM_BOT_TOKEN is set') }]);
  });

  it('rejects a webhook secret Telegram would refuse', () => {
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: '123456:ABCdef', TELEGRAM_WEBHOOK_SECRET: 'has spaces!' })[0]?.variable).toBe('TELEGRAM_WEBHOOK_SECRET');
  });

  it('enables a channel only with complete credentials and lists the missing Zalo ones', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCdef', TELEGRAM_WEBHOOK_SECRET: 's3cret_ok', TELEGRAM_API_ROOT: 'http://127.0.0.1:9/' });
    expect(c.telegram).toEqual({ token: '123456:ABCdef', webhookSecret: 's3cret_ok', username: undefined, apiRoot: 'http://127.0.0.1:9' });
    const missing = problemsOf({ ZALO_APP_ID: '123' }).map((p) => p.variable).sort();
    expect(missing).toEqual(['ZALO_ACCESS_TOKEN', 'ZALO_APP_SECRET_KEY', 'ZALO_OA_ID', 'ZALO_OA_SECRET_KEY', 'ZALO_REFRESH_TOKEN']);
  });

  it('parses flags strictly: "false" means false', () => {
    const base = { ZALO_APP_ID: '1', ZALO_OA_ID: '2', ZALO_OA_SECRET_KEY: 'k', ZALO_APP_SECRET_KEY: 'a', ZALO_ACCESS_TOKEN: 't', ZALO_REFRESH_TOKEN: 'r' };
    expect(loadConfig({ ...base, ZALO_BUTTONS: 'false' }).zalo?.buttons).toBe(false);
    expect(loadConfig({ ...base, ZALO_BUTTONS: 'true' }).zalo?.buttons).toBe(true);
    expect(problemsOf({ ...base, ZALO_BUTTONS: 'maybe' })[0]?.variable).toBe('ZALO_BUTTONS');
  });

  it('never puts a value in its messages', () => {
    const secret = 'SUPERSECRETVALUE';
    const err = (() => {
      try {
        loadConfig({ TELEGRAM_BOT_TOKEN: secret, ADMIN_API_KEY: 'short' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(err?.message).not.toContain(secret);
  });
});

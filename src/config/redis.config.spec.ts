import { configProblems } from '../../test/helpers/config-problems';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRedisConfig } from './redis.config';

const problemsOf = (env: Record<string, string>) => configProblems(loadRedisConfig, env);

describe('loadRedisConfig: REDIS_CA_FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-ca-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should read the CA of a rediss:// Redis, and without the variable use the system CAs', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const cfg = loadRedisConfig({ REDIS_URL: 'rediss://redis:6380', REDIS_CA_FILE: ca });
    expect(cfg.ca?.toString()).toContain('BEGIN CERTIFICATE');
    expect(loadRedisConfig({ REDIS_URL: 'rediss://redis:6380' }).ca).toBeUndefined();
  });

  it('should refuse a CA file it cannot read or that holds no PEM, and one for a plain redis://', () => {
    const notPem = join(dir, 'ca.der');
    writeFileSync(notPem, 'binary');
    expect(
      problemsOf({ REDIS_URL: 'rediss://redis:6380', REDIS_CA_FILE: join(dir, 'missing.pem') }),
    ).toEqual([`REDIS_CA_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`]);
    expect(problemsOf({ REDIS_URL: 'rediss://redis:6380', REDIS_CA_FILE: notPem })).toEqual([
      `REDIS_CA_FILE: ${notPem} is not a PEM file (no -----BEGIN line)`,
    ]);
    const ca = join(dir, 'plain-ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379', REDIS_CA_FILE: ca })).toEqual([
      'REDIS_CA_FILE: set for a TLS Redis only: REDIS_URL must be rediss://',
    ]);
  });
});

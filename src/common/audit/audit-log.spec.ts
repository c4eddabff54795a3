import { loadLoggingConfig } from '../../config/logging.config';
import { Logger } from '@nestjs/common';
import type { SessionConfig } from '../../config/session.config';
import { AuditLog, auditRequestContext } from './audit-log';

const cfg = { secrets: ['audit-spec-secret-0123456789abcdefghijkl'] } as SessionConfig;

describe('AuditLog', () => {
  let lines: Record<string, unknown>[];
  beforeEach(() => {
    lines = [];
    const keep = (line: unknown) => void lines.push(line as Record<string, unknown>);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(keep);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(keep);
  });
  afterEach(() => jest.restoreAllMocks());

  it('should write the event, a UTC time and a keyed hash of the session, never the id', () => {
    new AuditLog(cfg).record('logout', { method: 'password' }, 'the-session-id');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ audit: 'logout', method: 'password' });
    expect(lines[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[0].session).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(lines[0])).not.toContain('the-session-id');
  });

  it('should give the same session the same hash, and depend on the secret', () => {
    const a = new AuditLog(cfg);
    const other = new AuditLog({
      secrets: ['another-secret-0123456789abcdefghijklmn'],
    } as SessionConfig);
    expect(a.sessionHash('s1')).toBe(a.sessionHash('s1'));
    expect(a.sessionHash('s1')).not.toBe(a.sessionHash('s2'));
    expect(a.sessionHash('s1')).not.toBe(other.sessionHash('s1'));
  });

  it('should write keyed hashes of the user and client that survive a session-secret rotation', () => {
    const logging = loadLoggingConfig({
      LOG_HASH_KEY: 'k'.repeat(8) + 'Lm4Np1Qr8St3Vw6Xy0Za5Bc2De',
    });
    const rotated = { secrets: ['rotated-secret-0123456789abcdefghijkl', ...cfg.secrets] };
    const before = new AuditLog(cfg, logging);
    const after = new AuditLog(rotated as SessionConfig, logging);
    before.record('login_success', {}, 's1', { user: 'u-42', client: '203.0.113.9' });
    after.record('login_success', {}, 's1', { user: 'u-42', client: '203.0.113.9' });
    expect(lines[0].user).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(lines[0].client).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect({ user: lines[1].user, client: lines[1].client }).toEqual({
      user: lines[0].user,
      client: lines[0].client,
    });
    expect(lines[1].session).not.toBe(lines[0].session);
    expect(JSON.stringify(lines)).not.toMatch(/u-42|203\.0\.113/);
  });

  it('should name the request of work running outside Express', async () => {
    const audit = new AuditLog(cfg);
    await auditRequestContext.run({ requestId: 'req-12345678' }, async () => {
      await Promise.resolve();
      audit.record('refresh_refused', { kind: 'id_token' }, 'sid');
    });
    audit.record('token_refreshed', {}, 'sid');
    expect(lines[0]).toMatchObject({ audit: 'refresh_refused', request_id: 'req-12345678' });
    expect(lines[1].request_id).toBeUndefined();
  });
});

import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuditLog } from '../../src/common/audit/audit-log';
import type { Credential } from '../../src/common/session/credential';
import { MemoryCredentialStore } from '../../src/common/session/memory-credential.store';
import type { sessionConfig } from '../../src/config/session.config';
import { CredentialService } from '../../src/modules/tokens/credential.service';
import { SessionEnded, SessionEvents } from '../../src/modules/tokens/session-events';

/** A signed-in user's credential record, created and last active at `at` (epoch ms). */
export function credentialOf(over: Partial<Credential> = {}, at = 1): Credential {
  return {
    user: { id: 'u-1', user_name: 'zhangsan', name: 'Z', mobile: '', email: '' },
    login_method: 'password',
    fingerprint: 'fp',
    created_at: at,
    last_seen_at: at,
    ip: '127.0.0.1',
    user_agent: 'UA',
    tokens: { session_token: 'st' },
    ...over,
  };
}

export type SessionSettings = ConfigType<typeof sessionConfig>;

/** The parts of the tokens module a unit test builds: a real store, audit log and event bus. */
export interface CredentialParts {
  cfg: SessionSettings;
  store: MemoryCredentialStore;
  audit: AuditLog;
  /** The audit lines written (the log output is captured, not printed). */
  auditLines: Array<Record<string, unknown>>;
  events: SessionEvents;
  /** Every session-ended event emitted. */
  ended: SessionEnded[];
  service: CredentialService;
}

/**
 * A CredentialService over the in-process store, with the real AuditLog (its lines captured) and
 * SessionEvents. The store's clock is `storeNow`: a test that moves only the service's `now`
 * keeps records from lapsing underneath it. Call `jest.restoreAllMocks()` after each test.
 */
export function credentialParts(
  settings: Partial<SessionSettings> = {},
  storeNow: () => number = Date.now,
): CredentialParts {
  const cfg = {
    idleTimeoutS: 600,
    absoluteTimeoutS: 3600,
    maxSessionsPerUser: 10,
    secrets: ['credential-fixture-secret-0123456789abcdef'],
    ...settings,
  } as SessionSettings;
  const auditLines: Array<Record<string, unknown>> = [];
  const keep = (line: unknown) => {
    if (line && typeof line === 'object' && 'audit' in line) auditLines.push(line);
  };
  jest.spyOn(Logger.prototype, 'log').mockImplementation(keep);
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(keep);
  const store = new MemoryCredentialStore(100, storeNow);
  const audit = new AuditLog(cfg);
  const events = new SessionEvents();
  const ended: SessionEnded[] = [];
  events.onEnded((e) => ended.push(e));
  const service = new CredentialService(store, cfg, audit, events);
  return { cfg, store, audit, auditLines, events, ended, service };
}

import type { Store } from 'express-session';
import {
  credentialOf,
  credentialParts,
  CredentialParts,
} from '../../../test/helpers/credential-fixture';
import type { SdkAccountClient } from '../oneaccess/sdk-account.client';
import { SessionRegistry } from './session-registry';

describe('SessionRegistry: ending sessions from outside them', () => {
  let parts: CredentialParts;
  let registry: SessionRegistry;
  let destroyed: string[];
  let loggedOut: string[];

  beforeEach(() => {
    parts = credentialParts({ maxSessionsPerUser: 2 });
    destroyed = [];
    loggedOut = [];
    const sdk = {
      logout: (_device: unknown, token: string) => {
        loggedOut.push(token);
        return Promise.resolve();
      },
    } as unknown as SdkAccountClient;
    const sessions = {
      destroy: (sid: string, done: () => void) => {
        destroyed.push(sid);
        done();
      },
    } as unknown as Store;
    registry = new SessionRegistry(parts.service, sdk, parts.audit, sessions, parts.cfg);
  });
  afterEach(() => jest.restoreAllMocks());

  const login = async (sid: string, at: number) => {
    const c = credentialOf({ tokens: { session_token: `st-${sid}` } }, at);
    await parts.service.create(sid, c);
    await registry.register(sid, c);
  };

  it('should end a session once when two callers end it at the same moment', async () => {
    await login('s1', Date.now());
    const stored = await parts.service.get('s1');
    const results = await Promise.all([
      registry.end('s1', 'revoked', stored),
      registry.end('s1', 'ended_by_user', stored),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(parts.ended).toHaveLength(1);
    expect(parts.ended[0]).toMatchObject({ sid: 's1', userId: 'u-1', origin: 'local' });
    expect(parts.auditLines.filter((l) => l.audit === 'session_revoked')).toHaveLength(1);
    // Both records go whoever won: express-session's is destroyed by each call.
    expect(await parts.service.get('s1')).toBeNull();
    expect(destroyed).toEqual(['s1', 's1']);
    expect(await registry.end('s1', 'revoked')).toBe(false);
  });

  it('should evict the oldest session beyond the limit, with one evicted event', async () => {
    const now = Date.now();
    await login('old', now - 2000);
    await login('mid', now - 1000);
    expect(parts.ended).toEqual([]);
    await login('new', now);
    expect(parts.ended.map((e) => [e.sid, e.reason])).toEqual([['old', 'evicted']]);
    expect(loggedOut).toEqual(['st-old']);
    expect(parts.auditLines.map((l) => [l.audit, l.reason])).toEqual([
      ['session_evicted', 'evicted'],
    ]);
    expect((await registry.live('u-1')).map((s) => s.sid)).toEqual(['mid', 'new']);
  });

  it('should end every other session of the user with the reason given, and keep the caller’s', async () => {
    const now = Date.now();
    await login('a', now - 1000);
    await login('b', now);
    expect(await registry.endAll('u-1', 'password_changed', 'b')).toBe(1);
    expect(parts.ended.map((e) => [e.sid, e.reason])).toEqual([['a', 'password_changed']]);
    expect(await parts.service.get('b')).not.toBeNull();
  });

  it('should forget a session its own request ends, announcing it once', async () => {
    await login('s1', Date.now());
    const c = (await parts.service.get('s1'))!.credential;
    await registry.forget('s1', c, 'logout');
    await registry.forget('s1', c, 'logout');
    expect(parts.ended.map((e) => [e.sid, e.reason])).toEqual([['s1', 'logout']]);
    expect(await registry.live('u-1')).toEqual([]);
  });
});

import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import {
  credentialOf,
  credentialParts,
  CredentialParts,
} from '../../../test/helpers/credential-fixture';
import { RequestContexts } from '../../common/http/request-context';
import { AuthStateGuard, RequiresLogin } from './auth-state.guard';

class Routes {
  @RequiresLogin()
  profile(this: void): void {}

  session(this: void): void {}
}

const MINUTE = 60_000;
const contexts = new RequestContexts(false, 'http://localhost:3000', '');

describe('AuthStateGuard: the alive-or-end rule before every /auth handler', () => {
  let parts: CredentialParts;
  let guard: AuthStateGuard;
  let destroyed: number;

  beforeEach(() => {
    parts = credentialParts({ idleTimeoutS: 600, absoluteTimeoutS: 3600 });
    guard = new AuthStateGuard(new Reflector(), parts.service);
    destroyed = 0;
  });
  afterEach(() => jest.restoreAllMocks());

  /** A signed-in request for `route`, as express-session and Express leave it. */
  function request(route: keyof Routes, query: Record<string, string> = {}) {
    const req = {
      method: 'GET',
      query,
      // The client address is the request context's, as the gateway's listener builds it.
      socket: { remoteAddress: '10.0.0.9' },
      connection: { remoteAddress: '10.0.0.9' },
      headers: {},
      sessionID: 's1',
      session: {
        signed_in: true,
        destroy: (done: (err?: unknown) => void) => {
          destroyed += 1;
          delete (req as { session?: unknown }).session;
          done();
        },
      },
    } as unknown as Request;
    contexts.open(req).attach();
    const context = {
      switchToHttp: () => ({ getRequest: () => req }),
      getHandler: () => Routes.prototype[route],
    } as unknown as ExecutionContext;
    return { req, pass: () => guard.canActivate(context) };
  }

  const signIn = (lastSeenAgoMs: number) => {
    const now = Date.now();
    return parts.service.create('s1', {
      ...credentialOf({}, now - 1000),
      last_seen_at: now - lastSeenAgoMs,
    });
  };

  it('should load a live session and record its activity when due', async () => {
    await signIn(2 * MINUTE);
    const { req, pass } = request('profile');
    expect(await pass()).toBe(true);
    expect(req.credential?.version).toBe(2);
    expect((await parts.service.get('s1'))?.version).toBe(2);
    expect(destroyed).toBe(0);
  });

  it('should not move the idle timer for GET ?slide=false', async () => {
    await signIn(2 * MINUTE);
    const { req, pass } = request('session', { slide: 'false' });
    expect(await pass()).toBe(true);
    expect(req.credential?.version).toBe(1);
    expect((await parts.service.get('s1'))?.version).toBe(1);
  });

  it('should end a timed-out session: SESSION_EXPIRED, both records gone, one audit line and event', async () => {
    await signIn(11 * MINUTE);
    const { pass } = request('profile');
    await expect(pass()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(destroyed).toBe(1);
    expect(await parts.service.get('s1')).toBeNull();
    expect(parts.ended.map((e) => e.reason)).toEqual(['idle_timeout']);
    expect(parts.auditLines).toEqual([
      expect.objectContaining({
        audit: 'session_expired',
        client: parts.audit.pseudonym('10.0.0.9'),
      }),
    ]);
  });

  it('should let a timed-out session through as anonymous where no login is required', async () => {
    await signIn(11 * MINUTE);
    const { req, pass } = request('session');
    expect(await pass()).toBe(true);
    expect(req.credential ?? null).toBeNull();
    expect(destroyed).toBe(1);
  });

  it('should drop the cookie session of one ended elsewhere, announcing nothing again', async () => {
    const { pass } = request('profile');
    await expect(pass()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(destroyed).toBe(1);
    expect(parts.ended).toEqual([]);
    expect(parts.auditLines).toEqual([]);
  });
});

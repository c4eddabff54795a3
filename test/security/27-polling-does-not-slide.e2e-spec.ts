import { waitFor } from '../helpers/wait-for';
import { passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 27: the SPA's periodic check `GET /auth/session?slide=false` does not extend the
 * idle timer, while a normal call does.
 */
describe('27: polling the session does not keep it alive', () => {
  const suite = useSecurityStack({ env: { SESSION_IDLE_TIMEOUT_S: '2' } });

  it('should let a polled session expire at its original idle time', async () => {
    const b = await passwordLogin(suite.stack.url);
    const first = await b.get('/auth/session?slide=false');
    const idleEnds = Date.parse(first.body.idle_expires_at);
    const polls: string[] = [];
    const ended = await waitFor(
      async () => {
        const view = await b.get('/auth/session?slide=false');
        if (view.body.status === 'SUCCESS') {
          polls.push(view.body.idle_expires_at);
          return undefined;
        }
        return { at: Date.now(), view };
      },
      6000,
      'the polled session to end',
    );
    expect(polls.length).toBeGreaterThan(10);
    expect(new Set(polls)).toEqual(new Set([first.body.idle_expires_at])); // never moved
    expect(ended!.view.status).toBe(200);
    expect(ended!.at).toBeLessThan(idleEnds + 1000);
    expect((await b.get('/auth/profile')).status).toBe(401);
  });

  it('should move the idle end on ordinary activity', async () => {
    const b = await passwordLogin(suite.stack.url);
    const before = Date.parse((await b.get('/auth/session?slide=false')).body.idle_expires_at);
    // Activity is recorded at most every tenth of the idle timeout: wait on the clock past it.
    const t = Date.now();
    await waitFor(() => Date.now() > t + 300, 2000, 'the touch interval');
    await b.get('/auth/profile');
    const after = Date.parse((await b.get('/auth/session?slide=false')).body.idle_expires_at);
    expect(after).toBeGreaterThan(before);
  });
});

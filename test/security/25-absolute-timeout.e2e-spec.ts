import { waitFor } from '../helpers/wait-for';
import { passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 25: the absolute timeout ends a session however active it is (12 h by default,
 * the ASVS L2 example; 3 s here, with calls every few tens of milliseconds that keep the idle
 * timer moving).
 */
describe('25: the absolute timeout is enforced regardless of activity', () => {
  const suite = useSecurityStack({
    env: { SESSION_ABSOLUTE_TIMEOUT_S: '3', SESSION_IDLE_TIMEOUT_S: '3' },
  });

  it('should end a busy session at its absolute end, and not before', async () => {
    const b = await passwordLogin(suite.stack.url);
    const view = (await b.get('/auth/session')).body;
    const absoluteEnd = Date.parse(view.expires_at);
    let lastOk = 0;
    const ended = await waitFor(
      async () => {
        const res = await b.get('/api/byid/x');
        if (res.status === 200) {
          lastOk = Date.now();
          return undefined;
        }
        return { res, at: Date.now() };
      },
      6000,
      'the absolute timeout',
    );
    expect(ended!.res.status).toBe(401);
    expect(ended!.res.body.code).toBe('SESSION_EXPIRED');
    // Busy right up to the end: the idle timer never ran out.
    expect(absoluteEnd - lastOk).toBeLessThan(500);
    expect(ended!.at).toBeGreaterThanOrEqual(absoluteEnd);
    expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
  });
});

import { OneAccessError } from '../errors/sim-errors';
import { IssuedTokens } from '../state/issued-tokens';
import { StateTokenStore } from './state-token-store';

describe('StateTokenStore', () => {
  const client = 'OneAccessSimDevClient0000000001';
  let store: StateTokenStore;

  beforeEach(() => {
    store = new StateTokenStore(() => 600, new IssuedTokens());
  });

  function reason(fn: () => unknown): string | undefined {
    try {
      fn();
      return undefined;
    } catch (err) {
      return err instanceof OneAccessError ? err.key : String(err);
    }
  }

  it('should resolve a token for its step and client', () => {
    const token = store.issue({ subject: 'user-1', step: 'MFA_AUTH', clientId: client });
    expect(store.resolve(token, ['MFA_AUTH'], client)).toEqual({
      subject: 'user-1',
      step: 'MFA_AUTH',
      clientId: client,
    });
  });

  it('should reject another client, another step, a missing token and a consumed one', () => {
    const token = store.issue({ subject: 'user-1', step: 'PASSWORD_WARN', clientId: client });
    expect(reason(() => store.resolve(token, ['PASSWORD_WARN'], 'AnotherClient'))).toBe(
      'STATE_TOKEN_INVALID',
    );
    expect(reason(() => store.resolve(token, ['MFA_AUTH'], client))).toBe('STATE_TOKEN_INVALID');
    expect(reason(() => store.resolve(undefined, ['PASSWORD_WARN'], client))).toBe(
      'STATE_TOKEN_INVALID',
    );
    store.consume(token);
    expect(reason(() => store.resolve(token, ['PASSWORD_WARN'], client))).toBe(
      'STATE_TOKEN_INVALID',
    );
  });

  it('should issue HS256 JWT-shaped tokens carrying the binding', () => {
    const token = store.issue({ subject: 'user-1', step: 'SOCIAL_BIND', clientId: client });
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part): unknown => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'user-1', step: 'SOCIAL_BIND', cid: client });
  });
});

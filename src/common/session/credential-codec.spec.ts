import fc from 'fast-check';
import type { Credential } from './credential';
import { decodeCredential, encodeCredential } from './credential-codec';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJleHAiOjE3OTYyNDczODl9.' +
  'nJm1WsXQuSz8OK8dW5Wyi_RIqxWdlIbfY0nySYYzh8SPkcOZH209KVhAQCakXsIVFYyKHKQ3dV4jC2tJwRo_LSB5hEAVU1w';

const credential = (tokens: Credential['tokens'], extra: Partial<Credential> = {}): Credential => ({
  user: {
    id: 'u-1',
    user_name: 'zhangsan',
    name: '张三',
    mobile: '13800000001',
    email: 'z@example.com',
  },
  login_method: 'password',
  fingerprint: 'b1629c2861bcbc413e79224febbe06a8',
  created_at: 1_796_240_189_632,
  last_seen_at: 1_796_240_189_700,
  ip: '127.0.0.1',
  user_agent: 'Mozilla/5.0',
  tokens,
  ...extra,
});

describe('credential record encoding', () => {
  it('should give back exactly the credential it encoded', () => {
    const c = credential(
      {
        session_token: 'Av6FTXMn4deRUR2YHqZeVVmKhPFlMzfp',
        session_token_expires_at: 1_796_844_989_496,
        session_token_issued_at: 1_796_240_189_496,
        id_token: JWT,
        id_token_expires_at: 1_796_247_389_000,
        id_token_issued_at: 1_796_240_189_496,
        access_token: `${JWT}x`,
        refresh_token: 'r-1',
      },
      { pending_until: 1_796_240_289_700 },
    );
    expect(decodeCredential(encodeCredential(c))).toEqual(c);
  });

  it('should store a JWT as bytes, without key names, smaller than JSON', () => {
    const c = credential({ id_token: JWT });
    const encoded = encodeCredential(c);
    expect(encoded.toString('latin1')).not.toContain(JWT.split('.')[2]);
    expect(encoded.toString('latin1')).not.toContain('user_name');
    expect(encoded.length).toBeLessThan(JSON.stringify(c).length - 80);
  });

  it('should round-trip any token text, JWT-like or not', () => {
    const segment = fc.base64String().map((s) => s.replace(/=+$/, ''));
    const tokenText = fc.oneof(
      fc.string(),
      fc.tuple(segment, segment, segment).map((p) => p.join('.')),
      fc.string().map((s) => `${s}.${s}.${s}`),
    );
    fc.assert(
      fc.property(tokenText, tokenText, fc.option(fc.nat()), (id, session, expiry) => {
        const tokens: Credential['tokens'] = { id_token: id, session_token: session };
        if (expiry !== null) tokens.id_token_expires_at = expiry;
        const c = credential(tokens);
        expect(decodeCredential(encodeCredential(c))).toEqual(c);
      }),
    );
  });

  it('should refuse bytes that are not an encoded credential', () => {
    expect(() => decodeCredential(Buffer.from('{"user":{}}'))).toThrow();
  });
});

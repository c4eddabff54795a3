import {
  constants,
  createHash,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { startTestSimulator, waitFor, xSignature, type SimClient } from './helpers/sim-test-kit';
import { mgf1 } from '../src/crypto/x-signature';

describe('X-signature and the signed SDK calls', () => {
  let sim: SimClient;
  let publicKey: string;

  beforeAll(async () => {
    sim = await startTestSimulator({ signatureWindowMs: 60000 });
    publicKey = await sim.publicKey();
  });

  afterAll(() => sim.close());

  function signed(
    sessionToken: string,
    timestamp?: number,
    nonce?: string,
  ): Record<string, string> {
    return { 'X-signature': xSignature(publicKey, sessionToken, timestamp, nonce) };
  }

  it('should accept a good signature and return the profile without a user id', async () => {
    const token = await sim.sessionToken('zhangsan');
    const res = await sim.sdkGet('/api/v2/sdk/profile', signed(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user_name: 'zhangsan',
      name: '张三',
      head_img: 'https://example.com/avatars/zhangsan.png',
      email: 'zhangsan@example.com',
      mobile: '13800000001',
      attr_gender: 'male',
      attr_birthday: '1990-01-15',
      attr_nick_name: 'San',
      first_name: 'San',
      middle_name: '',
      last_name: 'Zhang',
      extension: { department: 'R&D' },
    });
  });

  it('should accept the documented nonce convention (hex of the server timestamp)', async () => {
    const token = await sim.sessionToken('zhangsan');
    const serverTs = Number((await sim.sdkGet('/api/v2/sdk/server-date')).body.timestamp);
    const res = await sim.sdkGet(
      '/api/v2/sdk/profile',
      signed(token, serverTs, serverTs.toString(16)),
    );
    expect(res.status).toBe(200);
  });

  it('should reject a missing signature, garbage, a wrong key, a stale timestamp and a replayed nonce with PARAM.0030', async () => {
    const token = await sim.sessionToken('zhangsan');
    const expected = { error_code: 'PARAM.0030', error_msg: 'Signature invalid or expired.' };

    expect((await sim.sdkGet('/api/v2/sdk/profile')).body).toEqual(expected);
    expect(
      (await sim.sdkGet('/api/v2/sdk/profile', { 'X-signature': 'bm90IGEgc2lnbmF0dXJl' })).body,
    ).toEqual(expected);

    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const wrongKey = await sim.sdkGet('/api/v2/sdk/profile', {
      'X-signature': xSignature(otherKey, token),
    });
    expect(wrongKey.body).toEqual(expected);

    const stale = await sim.sdkGet('/api/v2/sdk/profile', signed(token, Date.now() - 61000));
    expect(stale.body).toEqual(expected);
    const future = await sim.sdkGet('/api/v2/sdk/profile', signed(token, Date.now() + 61000));
    expect(future.body).toEqual(expected);

    const header = signed(token, Date.now(), 'nonce-used-once');
    expect((await sim.sdkGet('/api/v2/sdk/profile', header)).status).toBe(200);
    expect((await sim.sdkGet('/api/v2/sdk/profile', header)).body).toEqual(expected);
    // Same nonce, freshly encrypted: still a replay.
    expect(
      (await sim.sdkGet('/api/v2/sdk/profile', signed(token, Date.now(), 'nonce-used-once'))).body,
    ).toEqual(expected);
  });

  it('should reject a plaintext that is not exactly session_token=&timestamp=&nonce=', async () => {
    const token = await sim.sessionToken('zhangsan');
    const encrypt = (plain: string): string =>
      publicEncrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        Buffer.from(plain),
      ).toString('base64');
    const ts = Date.now();
    for (const plain of [
      `timestamp=${ts}&session_token=${token}&nonce=abc`,
      `session_token=${token}&timestamp=${ts}`,
      `session_token=${token}&timestamp=${ts}&nonce=abc&extra=1`,
    ]) {
      expect(
        (await sim.sdkGet('/api/v2/sdk/profile', { 'X-signature': encrypt(plain) })).body
          .error_code,
      ).toBe('PARAM.0030');
    }
    // OAEP with SHA-1 (the Node default) is a different padding: rejected.
    const sha1 = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING },
      Buffer.from(`session_token=${token}&timestamp=${ts}&nonce=x1`),
    );
    expect(
      (await sim.sdkGet('/api/v2/sdk/profile', { 'X-signature': sha1.toString('base64') })).body
        .error_code,
    ).toBe('PARAM.0030');
  });

  it('should reject a signature over an unknown session_token', async () => {
    const res = await sim.sdkGet('/api/v2/sdk/profile', signed('A'.repeat(32)));
    expect(res.body.error_code).toBe('PARAM.0030');
  });

  it('should accept replayed nonces when replay rejection is off', async () => {
    await sim.control('PATCH', '/config', { rejectReplayedNonce: false });
    const token = await sim.sessionToken('zhangsan');
    const header = signed(token, Date.now(), 'same-nonce');
    expect((await sim.sdkGet('/api/v2/sdk/profile', header)).status).toBe(200);
    expect((await sim.sdkGet('/api/v2/sdk/profile', header)).status).toBe(200);
    await sim.control('PATCH', '/config', { rejectReplayedNonce: true });
  });

  it('should update the profile with an empty 200 and ignore mobile, email and pwd', async () => {
    const token = await sim.sessionToken('wujiu');
    const update = await sim.sdkPost(
      '/api/v2/sdk/profile/update',
      {
        name: '吴九九',
        attr_nick_name: 'Nine',
        mobile: '13999999999',
        email: 'x@example.com',
        pwd: 'Changed2024',
      },
      signed(token),
    );
    expect(update.status).toBe(200);
    expect(update.text).toBe('');
    const profile = await sim.sdkGet('/api/v2/sdk/profile', signed(token));
    expect(profile.body).toMatchObject({
      name: '吴九九',
      attr_nick_name: 'Nine',
      mobile: '13800000007',
      email: 'wujiu@example.com',
    });
    const bad = await sim.sdkPost(
      '/api/v2/sdk/profile/update',
      { attr_gender: 'other' },
      signed(token),
    );
    expect(bad.body.error_code).toBe('PARAM.0007');
  });

  it('should refresh the id_token', async () => {
    const token = await sim.sessionToken('zhangsan');
    const res = await sim.request('POST', '/api/v2/sdk/session-token/refresh-id-token', {
      headers: sim.sdkHeaders(signed(token)),
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['id_token']);
    expect((res.body.id_token as string).split('.')).toHaveLength(3);
  });

  it('should log out with an empty 200 and revoke the session_token', async () => {
    const token = await sim.sessionToken('zhangsan');
    const res = await sim.sdkGet('/api/v2/sdk/logout', signed(token));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await sim.sdkGet('/api/v2/sdk/profile', signed(token))).body.error_code).toBe(
      'PARAM.0030',
    );
    expect(
      (
        await sim.request('POST', '/api/v2/sdk/session-token/refresh-id-token', {
          headers: sim.sdkHeaders(signed(token)),
        })
      ).body.error_code,
    ).toBe('PARAM.0030');
  });

  it('should reject signatures after the session_token expires', async () => {
    await sim.control('PATCH', '/config', { lifetimes: { sessionToken: 0.3 } });
    const login = await sim.login('zhangsan');
    expect(login.body.expire).toBe(1);
    const token = login.body.session_token;
    const check = async (): Promise<boolean> =>
      (await sim.sdkGet('/api/v2/sdk/profile', signed(token))).body?.error_code === 'PARAM.0030';
    await waitFor(check);
    await sim.control('PATCH', '/config', { lifetimes: { sessionToken: 604800 } });
  });

  it('should verify SHA-256 OAEP with MGF1-SHA-1 when oaepMgf1Hash is sha1', async () => {
    await sim.control('PATCH', '/config', { oaepMgf1Hash: 'sha1' });
    try {
      const token = await sim.sessionToken('zhangsan');
      const plain = Buffer.from(
        `session_token=${token}&timestamp=${Date.now()}&nonce=${randomBytes(6).toString('hex')}`,
      );
      const header = sunJceOaep(publicKey, plain);
      expect((await sim.sdkGet('/api/v2/sdk/profile', { 'X-signature': header })).status).toBe(200);
      // The default (BouncyCastle) padding no longer verifies.
      expect((await sim.sdkGet('/api/v2/sdk/profile', signed(token))).body.error_code).toBe(
        'PARAM.0030',
      );
    } finally {
      await sim.control('PATCH', '/config', { oaepMgf1Hash: 'sha256' });
    }
  });
});

/** SunJCE's OAEPWithSHA-256AndMGF1Padding: SHA-256 label hash, MGF1 with SHA-1 (RFC 8017 §7.1.1). */
function sunJceOaep(publicKeyPem: string, message: Buffer): string {
  const k = 256;
  const hLen = 32;
  const lHash = createHash('sha256').digest();
  const ps = Buffer.alloc(k - message.length - 2 * hLen - 2);
  const db = Buffer.concat([lHash, ps, Buffer.from([1]), message]);
  const seed = randomBytes(hLen);
  const maskedDb = xor(db, mgf1(seed, k - hLen - 1, 'sha1'));
  const maskedSeed = xor(seed, mgf1(maskedDb, hLen, 'sha1'));
  const em = Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]);
  return publicEncrypt({ key: publicKeyPem, padding: constants.RSA_NO_PADDING }, em).toString(
    'base64',
  );
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ b[i]));
}

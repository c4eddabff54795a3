import { PNG } from 'pngjs';
import {
  startTestSimulator,
  waitFor,
  type SimClient,
  type SmsMessage,
} from './helpers/sim-test-kit';

const MOBILE = '13912345678';

describe('captcha and SMS codes', () => {
  let sim: SimClient;

  beforeAll(async () => {
    sim = await startTestSimulator({ captchaToleranceX: 5, lifetimes: { captchaToken: 60 } });
  });

  afterAll(() => sim.close());

  async function newCaptcha(): Promise<{ token: string; x: number }> {
    const captcha = await sim.sdkGet('/api/v2/sdk/captcha');
    const answer = await sim.control('GET', `/captcha/${captcha.body.token}`);
    return { token: captcha.body.token, x: answer.body.x };
  }

  function verify(token: string, x: number, sender = MOBILE): ReturnType<SimClient['sdkPost']> {
    return sim.sdkPost('/api/v2/sdk/captcha/verify', {
      point_json: JSON.stringify({ x, y: 5.0 }),
      token,
      sender,
    });
  }

  it('should return a slider captcha with real PNG images in the AJ-Captcha shape', async () => {
    const res = await sim.sdkGet('/api/v2/sdk/captcha');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'captchaFontSize',
        'captchaFontType',
        'captchaId',
        'captchaOriginalPath',
        'captchaVerification',
        'jigsawImageBase64',
        'originalImageBase64',
        'point',
        'pointJson',
        'pointList',
        'projectCode',
        'result',
        'secretKey',
        'token',
        'wordList',
      ].sort(),
    );
    expect(res.body.secretKey).toBeNull();
    expect(res.body.result).toBe(false);
    expect(res.body.token).toMatch(/^[0-9a-f]{32}$/);
    const background = PNG.sync.read(Buffer.from(res.body.originalImageBase64, 'base64'));
    const piece = PNG.sync.read(Buffer.from(res.body.jigsawImageBase64, 'base64'));
    expect([background.width, background.height]).toEqual([310, 155]);
    expect(piece.height).toBe(155);
  });

  it('should accept an answer within the x tolerance and return token---point_json', async () => {
    const { token, x } = await newCaptcha();
    const pointJson = JSON.stringify({ x: x + 4.5, y: 5.0 });
    const res = await sim.sdkPost('/api/v2/sdk/captcha/verify', {
      point_json: pointJson,
      token,
      sender: MOBILE,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ captcha_token: `${token}---${pointJson}` });
  });

  it('should reject an answer outside the tolerance with CAPTCHA.0002', async () => {
    const { token, x } = await newCaptcha();
    const res = await verify(token, x + 6);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'CAPTCHA.0002', error_msg: 'Invalid CAPTCHA code.' });
  });

  it('should consume a captcha on any attempt, so retrying it gives CAPTCHA.0001', async () => {
    const { token, x } = await newCaptcha();
    expect((await verify(token, x + 50)).body.error_code).toBe('CAPTCHA.0002');
    expect((await verify(token, x)).body.error_code).toBe('CAPTCHA.0001');

    const second = await newCaptcha();
    expect((await verify(second.token, second.x)).status).toBe(200);
    expect((await verify(second.token, second.x)).body.error_code).toBe('CAPTCHA.0001');
  });

  it('should require coordinates (PARAM.0004), token (PARAM.0005) and sender', async () => {
    const { token } = await newCaptcha();
    expect(
      (await sim.sdkPost('/api/v2/sdk/captcha/verify', { token, sender: MOBILE })).body,
    ).toEqual({
      error_code: 'PARAM.0004',
      error_msg: 'Coordinates required.',
    });
    expect(
      (
        await sim.sdkPost('/api/v2/sdk/captcha/verify', {
          point_json: '{"x":1,"y":5}',
          sender: MOBILE,
        })
      ).body,
    ).toEqual({
      error_code: 'PARAM.0005',
      error_msg: 'Token required.',
    });
    expect(
      (await sim.sdkPost('/api/v2/sdk/captcha/verify', { point_json: '{"x":1,"y":5}', token })).body
        .error_code,
    ).toBe('PARAM.0006');
  });

  it('should expire captchas after their lifetime', async () => {
    await sim.control('PATCH', '/config', { lifetimes: { captcha: 0.2 } });
    const { token, x } = await newCaptcha();
    await waitFor(async () => (await sim.control('GET', `/captcha/${token}`)).status === 404);
    expect((await verify(token, x)).body.error_code).toBe('CAPTCHA.0001');
    await sim.control('PATCH', '/config', { lifetimes: { captcha: 120 } });
  });

  it('should refuse sms/send without a captcha_token', async () => {
    const res = await sim.sdkPost('/api/v2/sdk/sms/send', { mobile: MOBILE, type: 'LOGIN_SMS' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'PARAM.0006',
      error_msg: 'Parameter captcha_token required.',
    });
  });

  it('should refuse an invented captcha_token with CAPTCHA.0004', async () => {
    const res = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: MOBILE,
      type: 'LOGIN_SMS',
      captcha_token: '71dd26999e314f9abb0c635336976635---{"x":237.0,"y":5.0}',
    });
    expect(res.body).toEqual({ error_code: 'CAPTCHA.0004', error_msg: 'Invalid CAPTCHA token.' });
  });

  it('should send a six-digit code with a valid captcha_token, answer an empty 200 and fill the outbox', async () => {
    const captchaToken = await sim.captchaToken(MOBILE);
    const res = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: MOBILE,
      type: 'REGISTER_SMS',
      captcha_token: captchaToken,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const outbox = await sim.control('GET', `/sms/outbox?mobile=${MOBILE}`);
    expect((outbox.body as SmsMessage[]).at(-1)).toEqual({
      mobile: MOBILE,
      type: 'REGISTER_SMS',
      code: expect.stringMatching(/^\d{6}$/),
      sent_at: expect.any(String),
    });
  });

  it('should bind the captcha_token to its sender and use it once', async () => {
    const captchaToken = await sim.captchaToken(MOBILE);
    const other = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: '13900000000',
      type: 'LOGIN_SMS',
      captcha_token: captchaToken,
    });
    expect(other.body.error_code).toBe('CAPTCHA.0004');
    const first = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: MOBILE,
      type: 'LOGIN_SMS',
      captcha_token: captchaToken,
    });
    expect(first.status).toBe(200);
    const again = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: MOBILE,
      type: 'LOGIN_SMS',
      captcha_token: captchaToken,
    });
    expect(again.body.error_code).toBe('CAPTCHA.0004');
  });

  it('should report an expired captcha_token with CAPTCHA.0003', async () => {
    await sim.control('PATCH', '/config', { lifetimes: { captchaToken: 0.2 } });
    const captchaToken = await sim.captchaToken(MOBILE);
    // Probing with another mobile never consumes the token: 0004 while it lives, 0003 after.
    await waitFor(async () => {
      const probe = await sim.sdkPost('/api/v2/sdk/sms/send', {
        mobile: '13900000000',
        type: 'LOGIN_SMS',
        captcha_token: captchaToken,
      });
      return probe.body.error_code === 'CAPTCHA.0003';
    });
    const res = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: MOBILE,
      type: 'LOGIN_SMS',
      captcha_token: captchaToken,
    });
    expect(res.body).toEqual({ error_code: 'CAPTCHA.0003', error_msg: 'CAPTCHA token expired.' });
    await sim.control('PATCH', '/config', { lifetimes: { captchaToken: 60 } });
  });

  it('should reject an unknown type or a mobile that is not 11 digits without using the captcha_token', async () => {
    const captchaToken = await sim.captchaToken(MOBILE);
    const badType = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: MOBILE,
      type: 'MFA_AUTH_SMS',
      captcha_token: captchaToken,
    });
    expect(badType.body).toEqual({
      error_code: 'PARAM.0007',
      error_msg: 'Parameter type is invalid.',
    });
    const badMobile = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: '+8613912345678',
      type: 'LOGIN_SMS',
      captcha_token: captchaToken,
    });
    expect(badMobile.body.error_code).toBe('PARAM.0007');
    const ok = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile: MOBILE,
      type: 'LOGIN_SMS',
      captcha_token: captchaToken,
    });
    expect(ok.status).toBe(200);
  });

  it('should enforce the resend interval per mobile and type with CAPTCHA.0006', async () => {
    await sim.control('PATCH', '/config', { smsResendIntervalS: 60 });
    const mobile = '13911112222';
    await sim.smsCode(mobile, 'LOGIN_SMS');
    const captchaToken = await sim.captchaToken(mobile);
    const res = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile,
      type: 'LOGIN_SMS',
      captcha_token: captchaToken,
    });
    expect(res.body.error_code).toBe('CAPTCHA.0006');
    expect(res.body.error_msg).toMatch(/Try again in (59|60) seconds/);
    // The refused send did not use the captcha_token, and another type is not throttled.
    const other = await sim.sdkPost('/api/v2/sdk/sms/send', {
      mobile,
      type: 'REGISTER_SMS',
      captcha_token: captchaToken,
    });
    expect(other.status).toBe(200);
    await sim.control('PATCH', '/config', { smsResendIntervalS: 0 });
  });
});

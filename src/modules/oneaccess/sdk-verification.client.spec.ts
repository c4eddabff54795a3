import { failure } from '../../../test/helpers/oneaccess-mock';
import { DEVICE, JSON_TYPE, SDK, SDK_HEADERS, useSdkMock } from '../../../test/helpers/sdk-fixture';
import { SdkVerificationClient } from './sdk-verification.client';

const fx = useSdkMock();
const build = (): SdkVerificationClient => fx.build(SdkVerificationClient);

describe('SdkVerificationClient captcha, SMS and other unsigned calls', () => {
  const captcha = {
    captchaId: null,
    projectCode: null,
    secretKey: 'yMXhmq',
    originalImageBase64: 'iVBORw0KGgoAAA',
    jigsawImageBase64: 'iVBORw0KGgoBBB',
    point: null,
    wordList: null,
    pointList: null,
    pointJson: null,
    token: 'cap-token-1',
    result: false,
    captchaVerification: null,
  };

  it('should get a captcha with the SDK headers and no body', async () => {
    fx.answer('GET', `${SDK}/captcha`, 200, captcha);

    await expect(build().getCaptcha(DEVICE)).resolves.toEqual(captcha);
    expect(fx.only()).toEqual({
      method: 'GET',
      path: `${SDK}/captcha`,
      headers: SDK_HEADERS,
      body: undefined,
    });
  });

  it.each([
    ['token', { ...captcha, token: undefined }],
    ['the background image', { ...captcha, originalImageBase64: '' }],
    ['the puzzle piece', { ...captcha, jigsawImageBase64: null }],
  ])('should reject a captcha without %s as UPSTREAM_BAD_RESPONSE', async (_name, body) => {
    fx.answer('GET', `${SDK}/captcha`, 200, body);

    await expect(failure(build().getCaptcha(DEVICE))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should verify a captcha with point_json, token and sender and return the captcha_token', async () => {
    const captchaToken = 'cap-token-1---{"x":237.0,"y":5.0}';
    fx.answer('POST', `${SDK}/captcha/verify`, 200, { captcha_token: captchaToken });

    const result = await build().verifyCaptcha(DEVICE, {
      token: 'cap-token-1',
      pointJson: '{"x":237.0,"y":5.0}',
      sender: '13800000000',
    });

    expect(result).toBe(captchaToken);
    const req = fx.only();
    expect(req.headers).toEqual({ ...SDK_HEADERS, ...JSON_TYPE });
    expect(JSON.parse(req.body!)).toEqual({
      point_json: '{"x":237.0,"y":5.0}',
      token: 'cap-token-1',
      sender: '13800000000',
    });
  });

  it('should reject a captcha verification without captcha_token as UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('POST', `${SDK}/captcha/verify`, 200, {});

    const err = await failure(
      build().verifyCaptcha(DEVICE, { token: 't', pointJson: '{}', sender: '1' }),
    );

    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('should send an SMS with mobile, type and captcha_token and accept an empty answer', async () => {
    fx.answer('POST', `${SDK}/sms/send`, 200, '');

    await expect(
      build().sendSms(DEVICE, {
        mobile: '13800000000',
        type: 'OTP_REST_SMS',
        captchaToken: 'ct-1',
      }),
    ).resolves.toBeUndefined();

    const req = fx.only();
    expect(req.headers).toEqual({ ...SDK_HEADERS, ...JSON_TYPE });
    expect(JSON.parse(req.body!)).toEqual({
      mobile: '13800000000',
      type: 'OTP_REST_SMS',
      captcha_token: 'ct-1',
    });
  });

  it('should get the country codes', async () => {
    const body = {
      phoneAreaCodeDefinitions: [
        {
          areaCode: '+86',
          displayMapping: { 'zh-CN': '中国', en: 'China', 'zh-TW': '中國' },
          countryCode: 'CN',
          mobileRegex: '^1\\d{10}$',
        },
      ],
      preferredAreaCode: '+86',
    };
    fx.answer('GET', `${SDK}/country-codes`, 200, body);

    await expect(build().getCountryCodes(DEVICE)).resolves.toEqual(body);
    expect(fx.only().headers).toEqual(SDK_HEADERS);
  });

  it('should reject country codes without a list as UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('GET', `${SDK}/country-codes`, 200, { preferredAreaCode: '+86' });

    await expect(failure(build().getCountryCodes(DEVICE))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should read the server time from its documented string form', async () => {
    fx.answer('GET', `${SDK}/server-date`, 200, { timestamp: '1628496895102' });

    await expect(build().getServerTime(DEVICE)).resolves.toBe(1628496895102);
  });
});

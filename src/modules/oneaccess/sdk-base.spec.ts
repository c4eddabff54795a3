import { failure } from '../../../test/helpers/oneaccess-mock';
import {
  DEVICE,
  ENDPOINT,
  ORIGIN,
  SDK,
  SUCCESS,
  useSdkMock,
} from '../../../test/helpers/sdk-fixture';
import { OneAccessEndpoint } from './oneaccess-endpoint';
import { SdkLoginClient } from './sdk-login.client';
import { SdkVerificationClient } from './sdk-verification.client';

// The mapping is SdkBase's and the transport's, shared by the three clients; a login call and a
// captcha call stand for them.
const fx = useSdkMock();
const build = (endpoint?: OneAccessEndpoint): SdkLoginClient => fx.build(SdkLoginClient, endpoint);

describe('SDK clients: error mapping', () => {
  it('should map LOGIN.0002 to INVALID_CREDENTIALS with OneAccess code and message', async () => {
    const msg = 'Invalid account name or password. Remaining attempts: 8.';
    fx.answer('POST', `${SDK}/login`, 400, { error_code: 'LOGIN.0002', error_msg: msg });

    const err = await failure(build().loginWithPassword(DEVICE, 'u', 'bad'));

    expect(err).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      status: 401,
      upstreamCode: 'LOGIN.0002',
      upstreamStatus: 400,
      message: msg,
    });
  });

  it('should map an unlisted OneAccess code to UPSTREAM_REJECTED', async () => {
    fx.answer('POST', `${SDK}/captcha/verify`, 400, {
      error_code: 'PARAM.0004',
      error_msg: 'Coordinates required.',
    });

    const err = await failure(
      fx
        .build(SdkVerificationClient)
        .verifyCaptcha(DEVICE, { token: 't', pointJson: '', sender: '1' }),
    );

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'PARAM.0004',
      message: 'Coordinates required.',
    });
  });

  it('should map a 500 to UPSTREAM_UNAVAILABLE', async () => {
    fx.answer('GET', `${SDK}/captcha`, 500, {
      error_code: 'SDK.COMMON.1008',
      error_msg: 'system busy',
    });

    const err = await failure(fx.build(SdkVerificationClient).getCaptcha(DEVICE));

    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 });
    expect(err.upstreamCode).toBeUndefined();
  });

  it('should map a 200 that is not JSON to UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('POST', `${SDK}/login`, 200, '<html>gateway</html>');

    await expect(failure(build().loginWithPassword(DEVICE, 'u', 'p'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should map a 400 without error_code to UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('POST', `${SDK}/login`, 400, 'Bad Request');

    await expect(failure(build().loginWithPassword(DEVICE, 'u', 'p'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstreamStatus: 400,
    });
  });

  it('should map an answer slower than timeoutMs to UPSTREAM_TIMEOUT', async () => {
    fx.answer('POST', `${SDK}/login`, 200, SUCCESS).delay(500);

    const err = await failure(
      build({ ...ENDPOINT, timeoutMs: 50 }).loginWithPassword(DEVICE, 'u', 'p'),
    );

    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
  });

  it('should map a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    fx.mock.agent
      .get(ORIGIN)
      .intercept({ method: 'GET', path: `${SDK}/captcha` })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(
      failure(fx.build(SdkVerificationClient).getCaptcha(DEVICE)),
    ).resolves.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});

import { Logger } from '@nestjs/common';
import { OneAccessEndpoint } from './oneaccess-endpoint';
import { ErrorShape, OneAccessTransport } from './oneaccess-transport';
import { failure, OneAccessMock } from '../../../test/helpers/oneaccess-mock';

const ORIGIN = 'https://oneaccess.test';
const ENDPOINT: OneAccessEndpoint = {
  baseUrl: ORIGIN,
  publicUrl: ORIGIN,
  clientId: 'client-1',
  clientSecret: 'secret',
  timeoutMs: 2000,
  embedded: false,
};

let mock: OneAccessMock;

beforeAll(() => {
  Logger.overrideLogger(false);
});
beforeEach(() => {
  mock = new OneAccessMock(ORIGIN);
});
afterEach(async () => {
  await mock.close();
});

function call(errorShape: ErrorShape) {
  return new OneAccessTransport(mock.agent, ENDPOINT).call({
    method: 'POST',
    path: '/x',
    json: {},
    expect: 'json',
    errorShape,
  });
}

describe('OneAccessTransport error bodies', () => {
  it.each<[ErrorShape, Record<string, string>]>([
    ['sdk', { error_code: 'LOGIN.0002', error_msg: 'Remaining attempts: 8.' }],
    ['sdk', { error: 'LOGIN.0002', error_description: 'Remaining attempts: 8.' }],
    ['oauth', { error_code: 'LOGIN.0002', error_msg: 'Remaining attempts: 8.' }],
    ['oauth', { error: 'LOGIN.0002', error_description: 'Remaining attempts: 8.' }],
  ])('should read a %s call answering %j', async (shape, body) => {
    mock.answer('POST', '/x', 400, body);

    await expect(failure(call(shape))).resolves.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      upstreamCode: 'LOGIN.0002',
      message: 'Remaining attempts: 8.',
    });
  });

  it.each([
    ['SDK.LOGIN.1005', 'INVALID_CREDENTIALS'],
    ['SDK.LOGIN.1003', 'ACCOUNT_LOCKED'],
    ['SDK.COMMON.1003', 'UPSTREAM_REJECTED'],
    ['PARAM.0001', 'UPSTREAM_REJECTED'],
    ['NEW.9999', 'UPSTREAM_REJECTED'],
    ['invalid_grant', 'UPSTREAM_REJECTED'],
  ])('should map %s to %s and keep the code OneAccess sent', async (code, contract) => {
    mock.answer('POST', '/x', 400, { error_code: code, error_msg: 'm' });

    await expect(failure(call('sdk'))).resolves.toMatchObject({
      code: contract,
      upstreamCode: code,
      message: 'm',
    });
  });

  it.each(['null', '"text"', '[]', '{"error_code":""}', '{"error":7}'])(
    'should answer UPSTREAM_BAD_RESPONSE for the error body %s',
    async (text) => {
      mock.answer('POST', '/x', 400, text);

      await expect(failure(call('sdk'))).resolves.toMatchObject({
        code: 'UPSTREAM_BAD_RESPONSE',
        upstreamStatus: 400,
      });
    },
  );
});

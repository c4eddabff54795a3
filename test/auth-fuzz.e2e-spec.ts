import fc from 'fast-check';
import { ERROR_STATUS } from '../src/common/errors/app-error';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { rawRequest, RawReply } from './helpers/raw-http';

/** Every /auth endpoint (docs/api.md section 4), `:x` standing for a path parameter. */
const ENDPOINTS: Array<[string, string]> = [
  ['GET', '/auth/session'],
  ['GET', '/auth/captcha'],
  ['POST', '/auth/captcha/verify'],
  ['POST', '/auth/sms/send'],
  ['POST', '/auth/login/password'],
  ['POST', '/auth/login/sms'],
  ['POST', '/auth/login/social/:x'],
  ['GET', '/auth/mfa'],
  ['POST', '/auth/mfa/sms'],
  ['POST', '/auth/password/update'],
  ['POST', '/auth/password/skip'],
  ['POST', '/auth/password/reset'],
  ['POST', '/auth/register'],
  ['POST', '/auth/social/bind'],
  ['POST', '/auth/social/register-bind'],
  ['GET', '/auth/social/accounts'],
  ['DELETE', '/auth/social/accounts/:x'],
  ['GET', '/auth/profile'],
  ['PATCH', '/auth/profile'],
  ['POST', '/auth/logout'],
  ['GET', '/auth/sessions'],
  ['DELETE', '/auth/sessions'],
  ['DELETE', '/auth/sessions/:x'],
  ['GET', '/auth/oauth/login'],
  ['GET', '/auth/oauth/callback'],
];

/** The contract's field names, so generated bodies often get past "unknown field". */
const FIELDS = [
  'user_name',
  'password',
  'mobile',
  'verify_code',
  'purpose',
  'token',
  'point_json',
  'code',
  'old_password',
  'new_password',
  'name',
  'email',
  'extension',
  'head_img',
  'attr_birthday',
];

const NASTY = [
  '',
  '%',
  '%E0%A4%A',
  '%00',
  '..',
  '../..',
  '\u0000',
  '\uD800',
  '\u202E\u0041',
  '𝕏'.repeat(50),
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '13800000001',
  'zhangsan',
];

/** For paths and queries: long, but under Node's 16 KB header limit (that answer is 431). */
const shortText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...NASTY),
  fc.integer({ min: 100, max: 1000 }).map((n) => 'x'.repeat(n)),
);
const text = fc.oneof(
  shortText,
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);
const value = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 3 }),
  text,
  fc.constantFrom(null, true, 0, -1, 1e308, [], {}),
);
const nested = fc
  .tuple(fc.integer({ min: 20, max: 8000 }), fc.constantFrom('[', '{"a":'))
  .map(([n, open]) => `${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}`);

const body = fc.oneof(
  fc
    .dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 })), value, {
      maxKeys: 6,
    })
    .map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  nested,
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constant(undefined),
);

/** Header-safe text (Node refuses control characters in a header). */
const headerText = fc.stringMatching(/^[\x20-\x7e]{0,300}$/);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-7',
);

const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('slide', 'return_to', 'code', 'state'), shortText),
      shortText,
    ),
    {
      maxLength: 4,
    },
  )
  .map((pairs) =>
    pairs
      .map(([k, v]) => `${safeEncode(k)}=${safeEncode(v)}`)
      .concat(pairs.length % 2 ? ['raw=%E0%A4%A'] : [])
      .join('&'),
  );

/** encodeURIComponent, which throws on a lone surrogate: such a string is sent as its escapes. */
function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?')) + '%ED%A0%80';
  }
}

const request = fc.record({
  endpoint: fc.constantFrom(...ENDPOINTS),
  param: shortText,
  query,
  body,
  contentType,
  cookie: fc.option(
    headerText.map((v) => `__Host-bff=${v}`),
    { nil: undefined },
  ),
  csrf: fc.boolean(),
});

type Sample = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** Never a 5xx; every error is the contract's JSON with its request id; headers always there. */
function expectContractAnswer(res: RawReply): void {
  expect(res.status).toBeLessThan(500);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  const id = res.headers['x-request-id'];
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  if (res.status < 400) return;
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const answer = JSON.parse(res.text) as { code: keyof typeof ERROR_STATUS; request_id: string };
  expect(ERROR_STATUS[answer.code]).toBe(res.status);
  expect(answer.request_id).toBe(id);
  expect(typeof (answer as { message?: unknown }).message).toBe('string');
}

describe('Fuzz: every /auth body, query and cookie gets a contract answer', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack();
  });
  afterAll(() => stack.close());

  const send = (s: Sample) => {
    const [method, template] = s.endpoint;
    const path = template.replace(':x', safeEncode(typeof s.param === 'string' ? s.param : ''));
    const headers: Record<string, string> = { 'content-type': s.contentType };
    if (s.csrf) headers['x-csrf'] = '1';
    if (s.cookie) headers.cookie = s.cookie;
    return rawRequest(
      stack.gateway.url,
      method,
      s.query ? `${path}?${s.query}` : path,
      headers,
      s.body,
    );
  };

  it('should never answer 5xx and always name the error and the request', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (sample) => {
        expectContractAnswer(await send(sample));
      }),
      { numRuns: 1000, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false },
    );
  }, 60_000);
});

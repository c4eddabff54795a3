import { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorResponses } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/app-error';
import {
  ADMIN_BEARER_SCHEME,
  CSRF_HEADER,
  SESSION_COOKIE_SCHEME,
} from '../../common/security/api-security.decorator';

export interface DocumentOptions {
  /** The session cookie's configured name (COOKIE_NAME). */
  cookieName: string;
  /** BASE_PATH, so "Try it out" goes through the corporate proxy's prefix. */
  basePath: string;
}

/** The gateway's version, from package.json three levels up ({src,dist}/modules/docs). */
function packageVersion(): string {
  const path = join(__dirname, '..', '..', '..', 'package.json');
  const pkg = JSON.parse(readFileSync(path, 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

const DESCRIPTION = `Backend-for-frontend for Huawei Cloud OneAccess: server-side login flows, sessions and
token relay. The browser holds one opaque session cookie and sees only the JSON described here; no
OneAccess token ever reaches it.

- **Session cookie**: every \`/auth\` call reads or sets it (HttpOnly, Secure, SameSite=Strict). Endpoints
  marked with the \`session\` scheme need a signed-in (or pending-step) session; the browser sends the cookie
  by itself.
- **CSRF**: every POST, PUT, PATCH and DELETE under \`/auth\` and \`/api\` must carry \`X-CSRF: 1\` and come
  from this origin; otherwise 403 \`CSRF_REJECTED\`.
- **Bodies** under \`/auth\` are JSON only (415 otherwise), at most AUTH_BODY_LIMIT (413); unknown fields are
  refused (400 \`VALIDATION_FAILED\`).
- **Errors** are always \`{ code, message, request_id, errors?, upstream_code? }\` (schema \`ErrorBody\`); the
  status follows from the code. \`message\` is in Chinese (\`Content-Language: zh-CN\`) when Accept-Language
  prefers Chinese, else English; the code is the same in both.
- **Admin** calls take \`Authorization: Bearer <ADMIN_TOKEN>\` and no cookie; without ADMIN_TOKEN they are 404.`;

const RELAY_ERRORS: ErrorCode[] = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'SESSION_STORE_UNAVAILABLE',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'INTERNAL',
];

/**
 * `/api/{name}/{path}`: the token relay runs on the raw server ahead of Nest (bootstrap.ts), so
 * the scanner cannot see it; it is described here by hand (docs/api.md section 5).
 */
function relayPathItem(): PathItemObject {
  const operation = (method: string, unsafe: boolean): OperationObject => ({
    tags: ['relay'],
    operationId: `relay_${method}`,
    summary: `${method.toUpperCase()} on a configured upstream API, with the user's token`,
    description:
      'Forwarded to `<target>/<path>` (query string kept) for the upstream registered as `name` in ' +
      "API_ROUTES; any other name is 404. The route's credential is attached as " +
      "`Authorization: Bearer`: `id_token` (default: the session's OneAccess id_token), " +
      '`access_token` (the OAuth access token) or `none`. Every route needs a signed-in session ' +
      "(401 `UNAUTHENTICATED`; also when the session lacks the route's credential), and tokens are " +
      'refreshed first when about to expire (a refused refresh ends the session: 401 ' +
      '`SESSION_EXPIRED`; a transient failure answers 503/504). Bodies and status pass through as ' +
      'they are. Request headers go by an allow-list (content negotiation, content type, length ' +
      "and coding, caching validators, range, plus the route's `forward_headers`), never cookies, " +
      "the browser's `Authorization`, identity, routing or method-override headers; answer " +
      'headers come back except `Set-Cookie`, `Access-Control-*` and hop-by-hop headers. A path ' +
      'segment that is `.` or `..` as sent, without its `;` parameters or after one more ' +
      "percent-decoding is 400 `VALIDATION_FAILED`. A page's parallel calls are served: beyond " +
      'RELAY_MAX_CONCURRENT_PER_SESSION calls of one session at once, calls wait in a queue of ' +
      'RELAY_QUEUE_PER_SESSION for a slot, and only when it is full or the wait exceeds ' +
      'RELAY_QUEUE_WAIT_MS is the answer 429 `RATE_LIMITED` with `Retry-After`. `path` may contain ' +
      'slashes; a `/` in the query string belongs to the query. On a route with ' +
      '`"websocket": true` a `GET` with `Upgrade: websocket` opens a WebSocket to the target ' +
      '(`Origin` must be PUBLIC_ORIGIN; at most RELAY_MAX_WEBSOCKETS_PER_SESSION per session), ' +
      'closed with 4401 `session ended` when the session ends (docs/api.md section 5).',
    security: [{ [SESSION_COOKIE_SCHEME]: [] }],
    parameters: [...(unsafe ? [{ ...CSRF_HEADER, in: 'header' as const }] : [])],
    ...(unsafe
      ? {
          requestBody: {
            required: false,
            description: 'Passed to the upstream as it is (any media type, no size rule of /auth).',
            content: { '*/*': { schema: {} } },
          },
        }
      : {}),
    responses: {
      default: {
        description: "The upstream's answer, streamed back as it is.",
        content: { '*/*': { schema: {} } },
      },
      ...errorResponses(unsafe ? [...RELAY_ERRORS, 'CSRF_REJECTED'] : RELAY_ERRORS),
    },
  });
  return {
    parameters: [
      {
        name: 'name',
        in: 'path',
        required: true,
        description: 'An upstream registered in API_ROUTES.',
        schema: { type: 'string', pattern: '^[a-z0-9-]+$' },
      },
      {
        name: 'path',
        in: 'path',
        required: true,
        description: 'The rest of the path at the upstream (may contain slashes).',
        schema: { type: 'string' },
      },
    ],
    get: operation('get', false),
    post: operation('post', true),
    put: operation('put', true),
    patch: operation('patch', true),
    delete: operation('delete', true),
  };
}

/**
 * The OpenAPI document, generated from the controllers' decorators (no CLI plugin: the tests
 * are compiled by ts-jest, which would not run it) plus the relay, which no controller serves.
 */
export function buildOpenApiDocument(
  app: INestApplication,
  options: DocumentOptions,
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('OneAccess BFF')
    .setDescription(DESCRIPTION)
    .setVersion(packageVersion())
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addCookieAuth(
      options.cookieName,
      {
        type: 'apiKey',
        in: 'cookie',
        description:
          'The opaque session cookie the gateway sets at sign-in (default name `__Host-bff`).',
      },
      SESSION_COOKIE_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description: 'ADMIN_TOKEN; /admin only.',
      },
      ADMIN_BEARER_SCHEME,
    )
    .addTag('auth', 'Sign-in flows, step by step (docs/api.md sections 3 and 4)')
    .addTag('account', "The signed-in user's own account, and logout")
    .addTag('oauth', 'OAuth2 redirect login (browser navigations)')
    .addTag('relay', 'Token relay to configured upstream APIs (docs/api.md section 5)')
    .addTag('admin', "Operators' session control (docs/api.md section 7)")
    .addTag('operations', 'Probes and metrics');
  if (options.basePath) builder.addServer(options.basePath);
  const document = SwaggerModule.createDocument(app, builder.build());
  document.paths['/api/{name}/{path}'] = relayPathItem();
  return document;
}

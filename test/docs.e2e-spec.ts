import SwaggerParser from '@apidevtools/swagger-parser';
import { createHash } from 'node:crypto';
import type { OpenAPIV3 } from 'openapi-types';
import request from 'supertest';
import { createTestApp, TestApp } from './helpers/create-test-app';

/** Every /auth path of docs/api.md section 4, as OpenAPI templates them. */
const AUTH_OPERATIONS = [
  'get /auth/session',
  'get /auth/captcha',
  'post /auth/captcha/verify',
  'post /auth/sms/send',
  'post /auth/login/password',
  'post /auth/login/sms',
  'post /auth/login/social/{provider}',
  'get /auth/mfa',
  'post /auth/mfa/sms',
  'post /auth/password/update',
  'post /auth/password/skip',
  'post /auth/password/reset',
  'post /auth/register',
  'post /auth/social/bind',
  'post /auth/social/register-bind',
  'get /auth/social/accounts',
  'delete /auth/social/accounts/{id}',
  'get /auth/profile',
  'patch /auth/profile',
  'post /auth/logout',
  'get /auth/sessions',
  'delete /auth/sessions',
  'delete /auth/sessions/{id}',
  'get /auth/oauth/login',
  'get /auth/oauth/callback',
];

/** Section 7 and the relay of section 5. */
const OTHER_OPERATIONS = [
  'get /admin/sessions',
  'delete /admin/sessions/{id}',
  'delete /admin/users/{user_id}/sessions',
  'get /healthz',
  'get /readyz',
  'get /metrics',
  'get /api/{name}/{path}',
  'post /api/{name}/{path}',
  'put /api/{name}/{path}',
  'patch /api/{name}/{path}',
  'delete /api/{name}/{path}',
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

type Operation = OpenAPIV3.OperationObject;

function operations(doc: OpenAPIV3.Document): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op) found.set(`${method} ${path}`, op);
    }
  }
  return found;
}

function errorCodesAt(op: Operation, status: number): string[] {
  const response = op.responses[String(status)] as OpenAPIV3.ResponseObject | undefined;
  const json = response?.content?.['application/json'];
  expect(json?.schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
  return Object.keys(json?.examples ?? {}).sort();
}

describe('OpenAPI document and Swagger UI (contract section 7)', () => {
  let gateway: TestApp;

  beforeAll(async () => {
    gateway = await createTestApp({ SIMULATOR_PORT: '0' });
  });
  afterAll(() => gateway.close());

  describe('GET /openapi.json', () => {
    let res: request.Response;
    let doc: OpenAPIV3.Document;

    beforeAll(async () => {
      res = await request(gateway.url).get('/openapi.json');
      doc = res.body as OpenAPIV3.Document;
    });

    it('should answer JSON that is never stored', () => {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('should be a valid OpenAPI 3 document', async () => {
      expect(doc.openapi).toMatch(/^3\./);
      // validate() dereferences in place: give it a copy.
      await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    });

    it('should describe every /auth endpoint of section 4 and no other /auth path', () => {
      const auth = [...operations(doc).keys()].filter((k) => k.split(' ')[1].startsWith('/auth/'));
      expect(auth.sort()).toEqual([...AUTH_OPERATIONS].sort());
    });

    it('should describe admin, probes, metrics and the relay', () => {
      const all = operations(doc);
      for (const key of OTHER_OPERATIONS) expect(all.has(key)).toBe(true);
    });

    it('should describe the error body of section 6', () => {
      const schema = doc.components!.schemas!.ErrorBody as OpenAPIV3.SchemaObject;
      expect(schema.required?.sort()).toEqual(['code', 'message', 'request_id']);
      expect(Object.keys(schema.properties!).sort()).toEqual([
        'code',
        'errors',
        'message',
        'request_id',
        'upstream_code',
      ]);
      // The code is an enum of its own (ErrorCode), referenced through allOf.
      const code = JSON.stringify(schema.properties!.code);
      expect(code).toContain('#/components/schemas/ErrorCode');
      const codes = (doc.components!.schemas!.ErrorCode as OpenAPIV3.SchemaObject).enum;
      expect(codes).toHaveLength(19);
      expect(codes).toEqual(expect.arrayContaining(['CSRF_REJECTED', 'RATE_LIMITED', 'INTERNAL']));
    });

    it('should give each operation the error codes it can answer, under their statuses', () => {
      const all = operations(doc);
      const login = all.get('post /auth/login/password')!;
      expect(errorCodesAt(login, 401)).toEqual(['INVALID_CREDENTIALS']);
      expect(errorCodesAt(login, 403)).toEqual([
        'ACCESS_DENIED',
        'ACCOUNT_LOCKED',
        'CSRF_REJECTED',
      ]);
      expect(errorCodesAt(login, 429)).toEqual(['RATE_LIMITED']);
      expect(errorCodesAt(login, 503)).toEqual([
        'SESSION_STORE_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
      ]);
      expect(errorCodesAt(all.get('get /auth/profile')!, 401)).toEqual([
        'INVALID_CREDENTIALS',
        'SESSION_EXPIRED',
        'UNAUTHENTICATED',
      ]);
      expect(errorCodesAt(all.get('post /auth/mfa/sms')!, 409)).toEqual(['NO_PENDING_STEP']);
      expect(errorCodesAt(all.get('post /auth/sms/send')!, 409)).toEqual([
        'CAPTCHA_REQUIRED',
        'NO_PENDING_STEP',
      ]);
      expect(errorCodesAt(all.get('get /readyz')!, 503)).toEqual([
        'SESSION_STORE_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
      ]);
      expect(errorCodesAt(all.get('delete /admin/sessions/{id}')!, 404)).toEqual(['NOT_FOUND']);
      expect(errorCodesAt(all.get('get /api/{name}/{path}')!, 401)).toEqual([
        'SESSION_EXPIRED',
        'UNAUTHENTICATED',
      ]);
    });

    it('should require X-CSRF: 1 on exactly the unsafe /auth and /api operations', () => {
      for (const [key, op] of operations(doc)) {
        const [method, path] = key.split(' ');
        if (!path.startsWith('/auth/') && !path.startsWith('/api/')) continue;
        const header = (op.parameters ?? []).find(
          (p) => 'in' in p && p.in === 'header' && p.name === 'X-CSRF',
        ) as OpenAPIV3.ParameterObject | undefined;
        if (UNSAFE.has(method)) {
          expect({ key, required: header?.required, schema: header?.schema }).toEqual({
            key,
            required: true,
            schema: expect.objectContaining({ enum: ['1'] }),
          });
          expect(errorCodesAt(op, 403)).toContain('CSRF_REJECTED');
        } else {
          expect({ key, header }).toEqual({ key, header: undefined });
        }
      }
    });

    it('should describe the session cookie and the admin bearer, and use only those', () => {
      expect(doc.components!.securitySchemes).toEqual({
        session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: '__Host-bff' }),
        admin: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      });
      const all = operations(doc);
      expect(all.get('get /auth/profile')!.security).toEqual([{ session: [] }]);
      expect(all.get('post /auth/password/skip')!.security).toEqual([{ session: [] }]);
      expect(all.get('get /api/{name}/{path}')!.security).toEqual([{ session: [] }]);
      expect(all.get('get /admin/sessions')!.security).toEqual([{ admin: [] }]);
    });

    it('should answer the session view schema of section 3 for login-type endpoints', () => {
      const view = doc.components!.schemas!.SessionView as OpenAPIV3.SchemaObject;
      expect(Object.keys(view.properties!).sort()).toEqual([
        'authenticated',
        'expires_at',
        'idle_expires_at',
        'login_method',
        'pending',
        'status',
        'user',
      ]);
      const ok = operations(doc).get('post /auth/login/sms')!.responses[
        '200'
      ] as OpenAPIV3.ResponseObject;
      expect(ok.content!['application/json'].schema).toEqual({
        $ref: '#/components/schemas/SessionView',
      });
    });
  });

  describe('GET /docs', () => {
    it('should answer Swagger UI under a policy of its own, with hashes for its inline styles', async () => {
      const res = await request(gateway.url).get('/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('swagger-ui-bundle.js');
      const csp = res.headers['content-security-policy'];
      expect(csp).not.toBe("default-src 'none'; frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      // Every inline style of the page is allowed by its hash, and there is no inline script.
      for (const [, text] of res.text.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) {
        expect(csp).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
      }
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    });

    it('should serve the UI files and the init script from this origin', async () => {
      for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-init.js']) {
        const res = await request(gateway.url).get(`/docs/${file}`);
        expect({ file, status: res.status }).toEqual({ file, status: 200 });
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      }
    });

    it('should leave every other route under the gateway policy', async () => {
      const res = await request(gateway.url).get('/healthz');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      const unknown = await request(gateway.url).get('/docs-json');
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    });
  });

  describe('DOCS_ENABLED=false', () => {
    let off: TestApp;
    beforeAll(async () => {
      off = await createTestApp({ SIMULATOR_PORT: '0', DOCS_ENABLED: 'false' });
    });
    afterAll(() => off.close());

    it('should answer 404 NOT_FOUND for the document and the UI', async () => {
      for (const path of ['/openapi.json', '/docs', '/docs/swagger-ui-init.js']) {
        const res = await request(off.url).get(path);
        expect({ path, status: res.status, code: res.body.code }).toEqual({
          path,
          status: 404,
          code: 'NOT_FOUND',
        });
        expect(res.headers['content-security-policy']).toBe(
          "default-src 'none'; frame-ancestors 'none'",
        );
      }
    });
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import request from 'supertest';
import { ERROR_STATUS } from '../src/common/errors/app-error';
import { configVariables } from './helpers/config-variables';
import { createTestApp, TestApp } from './helpers/create-test-app';

/**
 * The repository documents itself: docs/api.md (the public contract), the README's configuration
 * table and the OpenAPI document generated from the code must say the same thing, and no document
 * may send a reader outside the repository.
 */
const ROOT = resolve(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The lines of one `## N.` section of a Markdown file. */
function section(markdown: string, number: number): string {
  const start = markdown.indexOf(`\n## ${number}. `);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** `GET` and `/auth/sessions/:id` -> `get /auth/sessions/{id}`, as OpenAPI templates paths. */
const operation = (method: string, path: string) =>
  `${method.toLowerCase()} ${path.replace(/:([a-z_]+)/g, '{$1}')}`;

/** The operations of a table's first column: `| GET `/auth/session?slide=false` (...) |`. */
function tableOperations(text: string): string[] {
  const rows = text.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) `([^`?]+)(?:\?[^`]*)?`/gm);
  return [...new Set([...rows].map((m) => operation(m[1], m[2])))].sort();
}

function openApiOperations(doc: OpenAPIV3.Document, prefix: string): string[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([path, item]) => methods.filter((m) => item?.[m]).map((m) => `${m} ${path}`))
    .sort();
}

describe('The repository documents itself (docs/api.md, README, OpenAPI)', () => {
  const api = read('docs/api.md');

  describe('against the OpenAPI document the gateway serves', () => {
    let gateway: TestApp;
    let doc: OpenAPIV3.Document;

    beforeAll(async () => {
      gateway = await createTestApp({ SIMULATOR_PORT: '0', DOCS_ENABLED: 'true' });
      doc = (await request(gateway.url).get('/openapi.json')).body as OpenAPIV3.Document;
    });
    afterAll(() => gateway?.close());

    it('should list in section 4 exactly the /auth operations of /openapi.json', () => {
      expect(tableOperations(section(api, 4))).toEqual(openApiOperations(doc, '/auth/'));
    });

    it('should list in section 7 exactly the /admin operations of /openapi.json', () => {
      const mentions = section(api, 7).matchAll(/`(GET|DELETE) (\/admin\/[^`?]+)(?:\?[^`]*)?`/g);
      const admin = [...new Set([...mentions].map((m) => operation(m[1], m[2])))].sort();
      expect(admin).toEqual(openApiOperations(doc, '/admin/'));
    });

    it('should give the error codes of section 6 with the statuses the code answers', () => {
      const rows = [...section(api, 6).matchAll(/^\| (\d{3}) \| `([A-Z_]+)` \|/gm)].map(
        (m) => [m[2], Number(m[1])] as const,
      );
      expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
      const codes = (doc.components!.schemas!.ErrorCode as OpenAPIV3.SchemaObject).enum;
      expect([...(codes as string[])].sort()).toEqual(rows.map(([code]) => code).sort());
    });
  });

  it('should list in the README every variable the configuration reads', () => {
    const readme = read('README.md');
    const config = read('README.md').slice(readme.indexOf('## Configuration'));
    const documented = new Set(
      [...config.matchAll(/^\| ((?:`[A-Z][A-Z0-9_]*`(?:, )?)+) \|/gm)].flatMap((m) =>
        m[1].split(', ').map((v) => v.slice(1, -1)),
      ),
    );
    const read_ = configVariables();
    expect(read_.size).toBeGreaterThan(20);
    const missing = [...read_].filter((name) => !documented.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it('should have no document or script that points outside the repository', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f && f !== 'package-lock.json' && existsSync(join(ROOT, f)));
    const outside: string[] = [];
    for (const file of files.filter((f) => /\.(md|ts|js|mjs|sh|json|ya?ml|conf|html)$/.test(f))) {
      const text = read(file);
      if (/\.\.\/(\.\.\/)*shared\//.test(text)) outside.push(`${file}: ../shared`);
      if (!file.endsWith('.md')) continue;
      // Relative Markdown links must name a file of the repository.
      for (const m of text.matchAll(/\]\((?!https?:|mailto:|#)([^)#\s]+)/g)) {
        const target = resolve(ROOT, dirname(file), m[1]);
        if (!target.startsWith(ROOT + '/') || !existsSync(target)) outside.push(`${file}: ${m[1]}`);
      }
    }
    expect(outside).toEqual([]);
  });
});

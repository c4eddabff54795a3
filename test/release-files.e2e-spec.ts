import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { createTestApp, TestApp } from './helpers/create-test-app';

/**
 * What a company needs before adopting the gateway (issue 21 rows 1 and 2): a licence on every
 * package, one version everywhere it is printed, a changelog and upgrade notes for that version, a
 * security policy, and conventions the code cites from inside the repository.
 */
const ROOT = resolve(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const PACKAGES = ['package.json', 'simulator/package.json', 'client/package.json'];
/** The parts `text` lacks (an empty list names what is missing when it is not). */
const missing = (text: string, parts: string[]) => parts.filter((p) => !text.includes(p));

interface Manifest {
  name: string;
  version: string;
  license?: string;
}

describe('Licence, versions and release documents', () => {
  const root = JSON.parse(read('package.json')) as Manifest;

  it('should license every package under Apache-2.0, with the full licence text', () => {
    for (const file of PACKAGES)
      expect([file, (JSON.parse(read(file)) as Manifest).license]).toEqual([file, 'Apache-2.0']);
    const licence = read('LICENSE');
    expect(licence).toContain('Apache License');
    expect(licence).toContain('Version 2.0, January 2004');
    expect(licence).toContain('END OF TERMS AND CONDITIONS');
    expect(licence).toContain('APPENDIX: How to apply the Apache License to your work.');
    expect(read('NOTICE')).toContain('Apache License, Version 2.0');
  });

  it('should give every package and the lock file one version', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      version: string;
      packages: Record<string, Manifest>;
    };
    expect(root.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const file of PACKAGES)
      expect([file, (JSON.parse(read(file)) as Manifest).version]).toEqual([file, root.version]);
    expect(lock.version).toBe(root.version);
    for (const dir of ['', 'simulator', 'client'])
      expect([dir, lock.packages[dir].version, lock.packages[dir].license]).toEqual([
        dir,
        root.version,
        'Apache-2.0',
      ]);
  });

  it("should describe the current version in the CHANGELOG, Keep a Changelog's way, with upgrade notes", () => {
    const changelog = read('CHANGELOG.md');
    expect(changelog).toContain('[Keep a Changelog]');
    const versions = [
      ...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2}|unreleased)$/gm),
    ].map((m) => m[1]);
    expect(versions[0]).toBe(root.version);
    // newest first, each once
    expect([...versions].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))).toEqual(
      versions,
    );
    expect(new Set(versions).size).toBe(versions.length);
    const current = changelog.slice(
      changelog.indexOf(`## [${root.version}]`),
      changelog.indexOf(`## [${versions[1]}]`),
    );
    for (const heading of ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'])
      expect(current).toContain(`### ${heading}`);
    // every breaking line has its note in docs/upgrading.md
    expect(read('docs/upgrading.md')).toContain(
      `## Upgrading from ${versions[1]} to ${root.version}`,
    );
  });

  it('should say in the README what a breaking change is, and link the release documents', () => {
    const readme = read('README.md');
    const versioning = readme.slice(readme.indexOf('## Versioning'));
    expect(versioning).toMatch(/semantic versioning/);
    const interfaceParts = ['docs/api.md', 'configuration variables', 'metric names', 'log keys'];
    expect(missing(versioning, interfaceParts)).toEqual([]);
    const links = ['CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', 'LICENSE'].map(
      (f) => `](${f})`,
    );
    expect(missing(readme, links)).toEqual([]);
    const security = read('SECURITY.md');
    const headings = [
      'Reporting a vulnerability',
      'Supported versions',
      'Scope',
      'What happens next',
    ];
    expect(
      missing(
        security,
        headings.map((h) => `## ${h}`),
      ),
    ).toEqual([]);
    expect(security).toContain(`| ${root.version.split('.').slice(0, 2).join('.')}.x | yes |`);
  });

  it('should cite CONTRIBUTING.md sections that exist, and no style document outside the repository', () => {
    const contributing = read('CONTRIBUTING.md');
    const sections = new Set([...contributing.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|js|mjs|sh|conf|md)$/.test(f) && existsSync(join(ROOT, f)));
    const cited: number[] = [];
    const wrong: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const m of text.matchAll(/CONTRIBUTING\.md\s+section\s+(\d+)/g)) {
        cited.push(Number(m[1]));
        if (!sections.has(Number(m[1]))) wrong.push(`${file}: section ${m[1]}`);
      }
      if (/\bstyle(\.md)? R\d+\b|style\.md/.test(text))
        wrong.push(`${file}: cites an outside style document`);
    }
    expect(wrong).toEqual([]);
    expect(cited.length).toBeGreaterThan(0);
  });

  describe('the running gateway', () => {
    let gateway: TestApp;
    beforeAll(async () => {
      gateway = await createTestApp({ SIMULATOR_PORT: '0', DOCS_ENABLED: 'true' });
    });
    afterAll(() => gateway?.close());

    it("should report the package's version and licence in the OpenAPI document", async () => {
      const res = await request(gateway.url).get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        info: { version: root.version, license: { name: 'Apache-2.0' } },
      });
    });
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locate } from '../scripts/test-prerequisites';

const SCRIPT = join(__dirname, '..', 'scripts', 'test-prerequisites.js');

/**
 * `npm test`'s pretest step run on a machine made up in a directory: PATH holds only node and
 * the fake programs a test puts there, and NGINX_BIN / CHROMIUM_BIN point at nothing so this
 * machine's own nginx and Chromium (at their well-known paths) are out of sight. Nothing here
 * installs or removes a real package: apt-get and sudo, when present, are fakes that record.
 */
describe('the test prerequisites step (npm pretest)', () => {
  let dir: string;
  let bin: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bff-prereq-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A program that records its arguments in `<dir>/calls` and succeeds. */
  function fake(name: string): string {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> ${join(dir, 'calls')}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  function osRelease(text: string): string {
    const path = join(dir, 'os-release');
    writeFileSync(path, text);
    return path;
  }

  function run(env: Record<string, string>) {
    const r = spawnSync(join(bin, 'node'), [SCRIPT], {
      env: {
        PATH: bin,
        NGINX_BIN: join(dir, 'no-nginx'),
        CHROMIUM_BIN: join(dir, 'no-chromium'),
        ...env,
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    let calls = '';
    try {
      calls = readFileSync(join(dir, 'calls'), 'utf8');
    } catch {
      // nothing was called
    }
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls };
  }

  it('should name everything missing in one line and exit 1 on a system it cannot install on', () => {
    const r = run({ PREREQ_OS_RELEASE: osRelease('ID=fedora\nID_LIKE="rhel centos"\n') });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^npm test: missing redis-server, nginx \(NGINX_BIN=.* is not executable\), chromium \(CHROMIUM_BIN=.* is not executable\), openssl; install them/,
    );
  });

  it('should ask nothing of apt with PREREQ_INSTALL=0, even on Debian', () => {
    fake('apt-get');
    fake('sudo');
    const r = run({ PREREQ_INSTALL: '0', PREREQ_OS_RELEASE: osRelease('ID=debian\n') });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.calls).toBe('');
  });

  it('should run apt-get update then install the missing packages on Ubuntu, then check again', () => {
    fake('apt-get');
    fake('sudo');
    fake('redis-server');
    fake('openssl');
    const r = run({ PREREQ_OS_RELEASE: osRelease('ID=ubuntu\nID_LIKE=debian\n') });
    // The fakes install nothing, so the check after apt-get still fails, saying so.
    expect(r.code).toBe(1);
    const apt = r.calls
      .trim()
      .split('\n')
      .map((l) => l.replace(/^sudo DEBIAN_FRONTEND=noninteractive /, ''));
    expect(apt).toEqual([
      'apt-get update',
      'apt-get install -y --no-install-recommends nginx chromium fonts-liberation',
    ]);
    expect(r.stderr).toContain('npm test: installing nginx chromium fonts-liberation with apt-get');
    expect(r.stderr.trim().split('\n').pop()).toMatch(
      /^npm test: still missing after apt-get: nginx .*, chromium/,
    );
  });

  it('should be silent and quick when everything is there, finding programs on PATH', () => {
    for (const p of ['redis-server', 'nginx', 'chromium-browser', 'openssl']) fake(p);
    const started = Date.now();
    const r = run({ NGINX_BIN: '', CHROMIUM_BIN: '' });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '', calls: '' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(locate('chromium', { PATH: bin })).toBe(join(bin, 'chromium-browser'));
    expect(locate('nginx', { PATH: bin })).toBe(join(bin, 'nginx'));
  });

  it('should take NGINX_BIN and CHROMIUM_BIN over PATH, and not look past a wrong one', () => {
    fake('nginx');
    const mine = fake('my-nginx');
    expect(locate('nginx', { PATH: bin, NGINX_BIN: mine })).toBe(mine);
    expect(locate('nginx', { PATH: bin, NGINX_BIN: join(dir, 'absent') })).toBeUndefined();
  });
});

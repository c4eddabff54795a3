#!/usr/bin/env node
'use strict';
/*
 * Runs before `npm test` (npm's `pretest`): the suites start real programs (redis-server, nginx,
 * Chromium, openssl for certificates) and would otherwise fail by the dozen when one is missing.
 * Present: returns in a few milliseconds, silently. Missing on Debian or Ubuntu: installs the
 * packages with apt-get (through sudo when not root). Missing elsewhere, or PREREQ_INSTALL=0:
 * one line naming what is missing, exit 1, before any test starts.
 *
 * The test helpers locate nginx and Chromium with `locate()` from this file, so the script and
 * the tests agree on where they are (NGINX_BIN / CHROMIUM_BIN, then PATH, then well-known paths).
 */
const { accessSync, constants, readFileSync, statSync } = require('node:fs');
const { delimiter, join } = require('node:path');
const { spawnSync } = require('node:child_process');

/** Each program the suites start: how to find it, and Debian's packages that provide it. */
const PROGRAMS = [
  { name: 'redis-server', names: ['redis-server'], paths: [], apt: ['redis-server'] },
  {
    name: 'nginx',
    variable: 'NGINX_BIN',
    names: ['nginx'],
    // sbin is often not on a user's PATH; Homebrew's prefixes on macOS.
    paths: [
      '/usr/sbin/nginx',
      '/usr/local/sbin/nginx',
      '/opt/homebrew/bin/nginx',
      '/usr/local/bin/nginx',
    ],
    apt: ['nginx'],
  },
  {
    name: 'chromium',
    variable: 'CHROMIUM_BIN',
    names: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
    paths: [
      '/usr/bin/chromium',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ],
    apt: ['chromium', 'fonts-liberation'],
  },
  { name: 'openssl', names: ['openssl'], paths: [], apt: ['openssl'] },
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function program(name) {
  const found = PROGRAMS.find((p) => p.name === name);
  if (!found) throw new Error(`unknown program ${name}`);
  return found;
}

/**
 * The path of `name` (`nginx`, `chromium`, ...): its variable when set (a set variable that
 * names nothing executable is not looked past: the operator meant that one), else the first of
 * its names on PATH, else a well-known path. Undefined when none.
 */
function locate(name, env = process.env) {
  const p = program(name);
  const chosen = p.variable && env[p.variable];
  if (chosen) return isExecutable(chosen) ? chosen : undefined;
  const dirs = (env.PATH || '').split(delimiter).filter(Boolean);
  for (const n of p.names) {
    for (const dir of dirs) if (isExecutable(join(dir, n))) return join(dir, n);
  }
  return p.paths.find(isExecutable);
}

/** The screenshots show Chinese seed names: without a CJK font they are boxes. */
function hasCjkFont(env) {
  const r = spawnSync('fc-list', [':lang=zh'], { env, encoding: 'utf8' });
  if (r.error) return undefined; // no fontconfig: nothing to ask (macOS has its own fonts)
  return r.stdout.trim() !== '';
}

/** What is missing, as `{ label, apt }`. */
function missing(env) {
  const out = [];
  for (const p of PROGRAMS) {
    if (locate(p.name, env)) continue;
    const label =
      p.variable && env[p.variable]
        ? `${p.name} (${p.variable}=${env[p.variable]} is not executable)`
        : p.variable
          ? `${p.name} (or set ${p.variable})`
          : p.name;
    out.push({ label, apt: p.apt });
  }
  if (hasCjkFont(env) === false) out.push({ label: 'a CJK font', apt: ['fonts-wqy-microhei'] });
  return out;
}

/** Debian, Ubuntu and their kin, by os-release (PREREQ_OS_RELEASE names another file, for tests). */
function isDebianLike(env) {
  let text;
  try {
    text = readFileSync(env.PREREQ_OS_RELEASE || '/etc/os-release', 'utf8');
  } catch {
    return false;
  }
  const field = (key) => (new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(text) || [])[1] || '';
  return /\b(debian|ubuntu)\b/.test(`${field('ID')} ${field('ID_LIKE')}`);
}

function fail(message) {
  process.stderr.write(`npm test: ${message}\n`);
  process.exit(1);
}

function run(command, args, env) {
  const r = spawnSync(command, args, { stdio: 'inherit', env });
  if (r.error || r.status !== 0)
    fail(`${command} ${args.join(' ')} failed; install the packages by hand`);
}

function install(packages, env) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root && !onPath('sudo', env)) {
    fail(
      `needs ${packages.join(' ')}: run as root, install sudo, or apt-get install them yourself`,
    );
  }
  process.stderr.write(`npm test: installing ${packages.join(' ')} with apt-get\n`);
  // sudo resets the environment: the frontend goes on its command line.
  const apt = root ? ['apt-get'] : ['sudo', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const withEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  run(apt[0], [...apt.slice(1), 'update'], withEnv);
  run(apt[0], [...apt.slice(1), 'install', '-y', '--no-install-recommends', ...packages], withEnv);
}

/** Whether a program is on PATH (sudo, apt-get). */
function onPath(name, env) {
  return (env.PATH || '')
    .split(delimiter)
    .filter(Boolean)
    .some((d) => isExecutable(join(d, name)));
}

function main(env = process.env) {
  let lacking = missing(env);
  if (lacking.length === 0) return;
  const names = lacking.map((m) => m.label).join(', ');
  const canInstall = env.PREREQ_INSTALL !== '0' && isDebianLike(env) && onPath('apt-get', env);
  if (!canInstall) {
    fail(
      `missing ${names}; install them (macOS: brew install redis nginx openssl && brew install --cask chromium) and run again`,
    );
  }
  install([...new Set(lacking.flatMap((m) => m.apt))], env);
  lacking = missing(env);
  if (lacking.length > 0)
    fail(`still missing after apt-get: ${lacking.map((m) => m.label).join(', ')}`);
}

module.exports = { locate };

if (require.main === module) main();

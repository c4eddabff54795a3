'use strict';
// npm run bench [-- --peers <dir>]: the gateway against R1 (a minimal node:http relay, the
// reference), all on this machine, with nothing outside the repository. See bench/README.md.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Redis = require('ioredis');
const { request } = require('undici');
const { Procs, freePort, waitFor, portOpen } = require('./lib/procs');
const { warmUp, measuredRun, summarize, median, loginStorm } = require('./lib/load');
const { printTable, runPeers } = require('./lib/report');
const { wsRun } = require('./lib/ws-load');

const ROOT = path.join(__dirname, '..');
const seconds = (v, d) => Number(String(v ?? d).replace(/s$/, ''));
const opts = {
  durationS: seconds(process.env.DURATION, 10),
  runs: Number(process.env.RUNS ?? 3),
  warmupS: seconds(process.env.WARMUP, 10),
  loginS: seconds(process.env.LOGIN_DURATION, process.env.DURATION ?? 10),
  latencyMs: Number(process.env.SIM_LATENCY_MS ?? 50),
  workers: process.env.WORKERS ?? 'auto',
  logLevel: process.env.LOG_LEVEL ?? 'info',
  only: (process.env.ONLY ?? 'relay,session,slide,r1,tracing,login,ws,bytes').split(','),
};
const peersIdx = process.argv.indexOf('--peers');
const peersDir = peersIdx > 0 ? process.argv[peersIdx + 1] : undefined;
const USER = 'zhangsan';
const PASSWORD = 'Passw0rd!2024';
const SIM_SECRET = crypto.randomBytes(16).toString('hex');

async function getText(url, headers = {}) {
  const res = await request(url, { headers });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

async function login(gateway) {
  const res = await request(`${gateway}/auth/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body: JSON.stringify({ user_name: USER, password: PASSWORD }),
  });
  const text = await res.body.text();
  const set = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-bff='));
  if (res.statusCode !== 200 || !set) throw new Error(`bench: login failed (${res.statusCode}): ${text.slice(0, 200)}`);
  return set.split(';')[0];
}

async function expect(url, cookie, marker) {
  const r = await getText(url, cookie ? { cookie } : {});
  if (r.status !== 200 || !r.text.includes(marker))
    throw new Error(`bench: ${url} answered ${r.status} ${r.text.slice(0, 200)}`);
}

async function main() {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-bench-'));
  const procs = new Procs(logDir);
  const stop = () => procs.stopAll().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const ports = { redis: await freePort(), sim: await freePort(), up: await freePort(), gw: await freePort(), r1: await freePort() };
  // The tracing scenarios: the same gateway twice more, exporting every span (sampling 1.0) or one
  // trace in a hundred (0.01) to an OTLP receiver that answers at once.
  const traced = opts.only.includes('tracing')
    ? [
        { key: 'relay-t1', ratio: '1.0', port: await freePort() },
        { key: 'relay-t001', ratio: '0.01', port: await freePort() },
      ]
    : [];
  const sinkPort = await freePort();
  // BASELINE=<another checkout, built>: its relay measured in the same rounds, to tell a change's
  // cost from this machine's drift (bench/README.md).
  const baseline = process.env.BASELINE
    ? { key: 'relay-base', main: path.resolve(process.env.BASELINE, 'dist/main.js'), port: await freePort() }
    : undefined;
  const redisUrl = `redis://127.0.0.1:${ports.redis}`;
  const gateway = `http://127.0.0.1:${ports.gw}`;
  let redis;
  try {
    procs.start('redis', 'redis-server', ['--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    procs.start('sim', 'node', [path.join(ROOT, 'simulator/dist/main.js')], {
      SIM_PORT: String(ports.sim), SIM_CLIENT_SECRET: SIM_SECRET, SIM_CONTROL: '1',
    });
    procs.start('upstream', 'node', [path.join(__dirname, 'upstream.js')], { PORT: String(ports.up) });
    for (const p of [ports.redis, ports.sim, ports.up]) await waitFor(`port ${p}`, () => portOpen(p));
    const profile = process.env.PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.PROFILE_DIR)] : [];
    const gatewayEnv = (port) => ({
      NODE_ENV: 'production', ALLOW_INSECURE: 'true', PORT: String(port), WORKERS: opts.workers,
      LOG_LEVEL: opts.logLevel, PUBLIC_ORIGIN: `http://127.0.0.1:${port}`, RATE_LIMITS: 'off', MAX_SESSIONS_PER_USER: '0',
      // wrk drives ONE session over 32 connections, more than a browser's per-session limit.
      RELAY_MAX_CONCURRENT_PER_SESSION: '10000',
      RELAY_MAX_WEBSOCKETS_PER_SESSION: '1000',
      REDIS_URL: redisUrl, ONEACCESS_BASE_URL: `http://127.0.0.1:${ports.sim}`,
      ONEACCESS_CLIENT_ID: 'OneAccessSimDevClient0000000001', ONEACCESS_CLIENT_SECRET: SIM_SECRET,
      SESSION_SECRETS: crypto.randomBytes(32).toString('hex'),
      SESSION_ENCRYPTION_KEYS: crypto.randomBytes(32).toString('base64'),
      API_ROUTES: JSON.stringify({
        echo: { target: `http://127.0.0.1:${ports.up}`, token: 'id_token' },
        live: { target: `http://127.0.0.1:${ports.up}`, token: 'id_token', websocket: true },
      }),
    });
    procs.start('gateway', 'node', [...profile, path.join(ROOT, 'dist/main.js')], gatewayEnv(ports.gw));
    if (traced.length > 0) {
      procs.start('otlp-sink', 'node', [path.join(__dirname, 'otlp-sink.js')], { PORT: String(sinkPort) });
      await waitFor('the OTLP sink', () => portOpen(sinkPort));
    }
    if (baseline) procs.start(baseline.key, 'node', [baseline.main], gatewayEnv(baseline.port));
    for (const t of traced)
      procs.start(t.key, 'node', [...profile, path.join(ROOT, 'dist/main.js')], {
        ...gatewayEnv(t.port),
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: t.ratio,
      });
    procs.start('r1', 'node', [...profile, path.join(__dirname, 'ref-relay.js')], {
      PORT: String(ports.r1), REDIS_URL: redisUrl, UPSTREAM_URL: `http://127.0.0.1:${ports.up}`,
    });
    await waitFor('the gateway', async () => (await getText(`${gateway}/readyz`)).status === 200).catch((e) => {
      throw new Error(`${e.message}\n${procs.log('gateway')}`);
    });
    await waitFor('R1', () => portOpen(ports.r1));
    for (const t of baseline ? [baseline, ...traced] : traced) {
      t.url = `http://127.0.0.1:${t.port}`;
      await waitFor(t.key, async () => (await getText(`${t.url}/readyz`)).status === 200).catch((e) => {
        throw new Error(`${e.message}\n${procs.log(t.key)}`);
      });
      t.cookie = await login(t.url);
    }
    redis = new Redis(redisUrl);

    const cookie = await login(gateway);
    await expect(`${gateway}/api/echo`, cookie, '"auth":true');
    const anon = await getText(`${gateway}/api/echo`);
    if (anon.status !== 401) throw new Error(`bench: anonymous relay call answered ${anon.status}`);
    const r1Login = await request(`http://127.0.0.1:${ports.r1}/login`, { method: 'POST' });
    await r1Login.body.text();
    const r1Cookie = [r1Login.headers['set-cookie']].flat()[0].split(';')[0];
    await expect(`http://127.0.0.1:${ports.r1}/api/echo`, r1Cookie, '"auth":true');

    const bytes = opts.only.includes('bytes') ? await sessionBytes(redis, cookie) : undefined;
    const ctx = { ...opts, redis, gateway, user: USER, password: PASSWORD, gwPids: () => [procs.pid('gateway')] };
    const rows = [];
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    const scenarios = [
      ['relay', 'relay GET /api/echo', `${gateway}/api/echo`, cookie, '"auth":true'],
      ['session', 'GET /auth/session (signed in)', `${gateway}/auth/session`, cookie, '"authenticated":true'],
      ['slide', 'GET /auth/session?slide=false', `${gateway}/auth/session?slide=false`, cookie, '"authenticated":true'],
      ['r1', 'R1 reference (node:http + GETEX + undici)', `http://127.0.0.1:${ports.r1}/api/echo`, r1Cookie, '"auth":true'],
      ...(baseline ? [[baseline.key, `relay GET /api/echo, baseline build ${process.env.BASELINE}`, `${baseline.url}/api/echo`, baseline.cookie, '"auth":true']] : []),
      ...traced.map((t) => [t.key, `relay GET /api/echo, tracing on, sampling ${t.ratio}`, `${t.url}/api/echo`, t.cookie, '"auth":true']),
    ]
      .filter(([key]) => opts.only.includes(key) || key === 'relay-base' || (key.startsWith('relay-t') && opts.only.includes('tracing')))
      .map(([key, label, url, c, marker]) => ({
        key, label, url, cookie: c, marker, runs: [],
        ctx: key === 'r1' || key.startsWith('relay-') ? { ...ctx, gwPids: () => [procs.pid(key)] } : ctx,
      }));
    for (const s of scenarios) {
      await expect(s.url, s.cookie, s.marker);
      await warmUp(s.ctx, s.url, s.cookie);
    }
    // Rounds: every scenario once per round, so that each is measured under the same conditions
    // as R1 (this machine's speed drifts by tens of percent within minutes); the ratio to R1 is
    // the median of the per-round ratios.
    for (let round = 0; round < opts.runs; round++)
      for (const s of scenarios) s.runs.push(await measuredRun(s.ctx, s.url, s.cookie));
    const r1 = scenarios.find((s) => s.key === 'r1');
    if (traced.length > 0) {
      const sink = JSON.parse((await getText(`http://127.0.0.1:${sinkPort}/stats`)).text);
      if (sink.exports === 0) throw new Error('bench: the traced gateways exported nothing');
      console.log(`OTLP sink: ${sink.exports} exports, ${(sink.bytes / 1e6).toFixed(1)} MB`);
    }
    for (const s of scenarios) {
      await expect(s.url, s.cookie, s.marker);
      const vsR1 = r1 ? median(s.runs.map((run, i) => run.cpuUsPerUnit / r1.runs[i].cpuUsPerUnit)) : undefined;
      rows.push({ key: s.key, label: s.label, ...summarize(s.runs), vsR1 });
    }
    if (opts.only.includes('ws')) {
      // The same upstream, through the gateway (its CPU per message) and directly (the upstream's).
      const viaGateway = { ...ctx, pids: () => [procs.pid('gateway')] };
      const direct = { ...ctx, pids: () => [procs.pid('upstream')] };
      const wsHeaders = { cookie, origin: gateway };
      const runs = { gw: [], direct: [] };
      await wsRun(viaGateway, `${gateway.replace('http', 'ws')}/api/live/ws`, wsHeaders, { seconds: Math.min(3, opts.warmupS) });
      for (let round = 0; round < opts.runs; round++) {
        runs.gw.push(await wsRun(viaGateway, `${gateway.replace('http', 'ws')}/api/live/ws`, wsHeaders, { seconds: opts.durationS }));
        runs.direct.push(await wsRun(direct, `ws://127.0.0.1:${ports.up}/ws`, {}, { seconds: opts.durationS }));
      }
      const vsDirect = median(runs.gw.map((run, i) => run.cpuUsPerUnit / (runs.direct[i].cpuUsPerUnit || 1)));
      rows.push({ key: 'ws', label: 'WebSocket echo via the gateway, 32 sockets (per message, gateway CPU)', ...summarize(runs.gw), vsR1: vsDirect });
      rows.push({ key: 'ws-direct', label: 'WebSocket echo direct to the upstream (per message, upstream CPU)', ...summarize(runs.direct) });
    }
    if (opts.only.includes('login')) {
      for (const latency of [0, opts.latencyMs]) {
        await simConfig(ports.sim, { latencyMs: latency });
        const row = await loginStorm(ctx, { seconds: opts.loginS });
        rows.push({ key: 'login', label: `login storm, 32 clients, OneAccess latency ${latency} ms`, unit: 'login', ...row });
      }
      await simConfig(ports.sim, { latencyMs: 0 });
    }
    await redis.quit();
    redis = undefined;
    await procs.stopAll();
    printTable(rows, bytes, { ...opts, load, node: process.version });
    if (peersDir) await runPeers(peersDir, rows, opts);
  } catch (err) {
    console.error(err.message);
    console.error(`logs kept in ${logDir}`);
    process.exitCode = 1;
    redis?.disconnect();
    await procs.stopAll();
    return;
  }
  if (process.env.KEEP_LOGS) console.log(`logs kept in ${logDir}`);
  else fs.rmSync(logDir, { recursive: true, force: true });
}

async function simConfig(port, patch) {
  const res = await request(`http://127.0.0.1:${port}/__sim/config`, {
    method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch),
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`bench: the simulator refused ${JSON.stringify(patch)}`);
}

/** MEMORY USAGE of every record a signed-in session keeps, by kind (the session id is the cookie's). */
async function sessionBytes(redis, cookie) {
  const sid = decodeURIComponent(cookie.split('=')[1]).slice(2).replace(/\.[^.]*$/, '');
  const out = {};
  for (const kind of ['cred', 'sess']) out[kind] = Number(await redis.call('MEMORY', 'USAGE', `bff:${kind}:${sid}`, 'SAMPLES', '0')) || 0;
  const userKeys = await redis.keys('bff:user:*');
  out.user_index = userKeys.length ? Number(await redis.call('MEMORY', 'USAGE', userKeys[0], 'SAMPLES', '0')) : 0;
  return out;
}

main();

'use strict';
// The two load generators: wrk for the request paths (median of RUNS runs, after a warm-up),
// and a small node driver for the login storm. Both measure the gateway's CPU from /proc and
// count Redis commands from INFO commandstats deltas. Loops are bounded in time and count.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { request } = require('undici');
const { HZ, cpuTicks, machineTicks } = require('./procs');

async function redisCalls(redis) {
  const text = await redis.info('commandstats');
  const calls = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
  return calls;
}

/** "get:1.00+expire:0.01" per unit, ignoring the bench's own INFO/MEMORY calls. */
function perUnit(before, after, units) {
  const parts = [];
  for (const [cmd, n] of Object.entries(after)) {
    const d = n - (before[cmd] ?? 0);
    if (d > 0 && cmd !== 'info' && cmd !== 'memory') parts.push(`${cmd}:${(d / units).toFixed(2)}`);
  }
  return parts.length ? parts.join('+') : 'none';
}

/** Snapshot for one measured interval: gateway CPU, everyone's CPU, Redis counters. */
async function snapshot(ctx) {
  return {
    t: process.hrtime.bigint(),
    gw: cpuTicks(ctx.gwPids()),
    ours: cpuTicks([process.pid]),
    machine: machineTicks(),
    redis: await redisCalls(ctx.redis),
  };
}

function delta(ctx, a, b, units) {
  const wall = Number(b.t - a.t) / 1e9;
  const busy = b.machine.busy - a.machine.busy;
  const total = b.machine.total - a.machine.total || 1;
  return {
    cpuUsPerUnit: units ? ((b.gw - a.gw) / HZ) * 1e6 / units : 0,
    redis: perUnit(a.redis, b.redis, units || 1),
    // CPU used by processes this bench did not start, in % of one core: other people's work.
    foreign: Math.max(0, ((busy - (b.ours - a.ours)) / HZ / wall) * 100),
    steal: ((b.machine.steal - a.machine.steal) / total) * 100,
  };
}

function wrk(url, cookie, seconds, report) {
  const args = ['-t1', '-c32', `-d${seconds}s`, '--timeout', '5s'];
  if (cookie) args.push('-H', `Cookie: ${cookie}`);
  if (report) args.push('--latency', '-s', path.join(__dirname, '..', 'wrk-report.lua'));
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out.slice(-500)}`));
      const line = out.split('\n').find((l) => l.startsWith('WRK '));
      if (!report) return resolve(null);
      if (!line) return reject(new Error(`wrk printed no report: ${out.slice(-500)}`));
      resolve(Object.fromEntries(line.slice(4).trim().split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])));
    });
  });
}

/** A wrk warm-up of one scenario: V8's JIT and the connection pools settle before measuring. */
function warmUp(ctx, url, cookie) {
  return wrk(url, cookie, ctx.warmupS, false);
}

/** One measured wrk run of one scenario, with its CPU, Redis and machine figures. */
async function measuredRun(ctx, url, cookie) {
  const a = await snapshot(ctx);
  const r = await wrk(url, cookie, ctx.durationS, true);
  const b = await snapshot(ctx);
  return {
    rps: r.requests / (r.duration_us / 1e6),
    p50: r.p50_us / 1000,
    p99: r.p99_us / 1000,
    errors: r.non2xx + r.sockerr,
    ...delta(ctx, a, b, r.requests),
  };
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];

/**
 * A scenario's row from its runs: the median run by req/s (as the peer harness reports), but
 * CPU per request as the median over all runs, the steadiest figure on a shared machine.
 */
function summarize(runs) {
  const byRps = [...runs].sort((x, y) => x.rps - y.rps);
  return {
    ...byRps[Math.floor((byRps.length - 1) / 2)],
    cpuUsPerUnit: median(runs.map((r) => r.cpuUsPerUnit)),
    all: runs.map((r) => Math.round(r.rps)),
    allCpu: runs.map((r) => Math.round(r.cpuUsPerUnit)),
  };
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

/** `clients` concurrent password logins for `seconds` (warm-up first); new session each time. */
async function loginStorm(ctx, { clients = 32, seconds, warmupS = 3 }) {
  const body = JSON.stringify({ user_name: ctx.user, password: ctx.password });
  const url = `${ctx.gateway}/auth/login/password`;
  const one = async () => {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf': '1' },
      body,
    });
    const text = await res.body.text();
    return res.statusCode === 200 && text.includes('"authenticated":true');
  };
  const drive = async (forS, latencies) => {
    const until = Date.now() + forS * 1000;
    let ok = 0;
    let failed = 0;
    const loop = async () => {
      while (Date.now() < until && ok + failed < 1_000_000) {
        const t = performance.now();
        if (await one().catch(() => false)) ok++;
        else failed++;
        latencies?.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: clients }, loop));
    return { ok, failed };
  };
  await drive(warmupS);
  const latencies = [];
  const a = await snapshot(ctx);
  const { ok, failed } = await drive(seconds, latencies);
  const b = await snapshot(ctx);
  latencies.sort((x, y) => x - y);
  return {
    rps: ok / (Number(b.t - a.t) / 1e9),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: failed,
    all: [],
    ...delta(ctx, a, b, ok),
  };
}

module.exports = { warmUp, measuredRun, summarize, median, loginStorm };

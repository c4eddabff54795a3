'use strict';
// The one table of `npm run bench`, and the optional comparison with an external peer harness.
const { execFileSync, spawnSync } = require('node:child_process');
const os = require('node:os');
const fs = require('node:fs');
const path = require('node:path');

const fmt = (n, d = 0) => Number(n).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function printTable(rows, bytes, o) {
  const lines = [];
  lines.push(`oneaccess-bff bench: wrk -t1 -c32 -d${o.durationS}s, ${o.runs} rounds of every scenario, median (warm-up ${o.warmupS}s each); CPU vs R1 = median of per-round ratios; production mode, WORKERS=${o.workers}, LOG_LEVEL=${o.logLevel}, Redis sessions; node ${o.node}`);
  lines.push(`machine: loadavg at start ${o.load}; "other CPU" = CPU used by processes this bench did not start, in % of one core`);
  lines.push('');
  lines.push('| scenario | req/s | p50 ms | p99 ms | gateway CPU us/req | CPU vs R1 | Redis cmds/req | errors | other CPU | steal | runs req/s | runs CPU us/req |');
  lines.push('|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|');
  for (const r of rows) {
    const ratio = r.vsR1 !== undefined ? `${r.vsR1.toFixed(2)}x` : '-';
    const unit = r.unit === 'login' ? ' (per login)' : '';
    lines.push(`| ${r.label}${unit} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.cpuUsPerUnit)} | ${ratio} | ${r.redis} | ${r.errors} | ${fmt(r.foreign)}% | ${fmt(r.steal)}% | ${r.all.join(',') || '-'} | ${r.allCpu?.join(',') || '-'} |`);
  }
  if (bytes) {
    const total = bytes.cred + bytes.sess;
    lines.push('');
    lines.push(`Redis per signed-in session (MEMORY USAGE after a real login): cred ${fmt(bytes.cred)} B + sess ${fmt(bytes.sess)} B = ${fmt(total)} B (${(total / 1024).toFixed(2)} KB); per user, shared by its sessions: index ${fmt(bytes.user_index)} B`);
  }
  console.log(lines.join('\n'));
}

/** The harness's systems beside the gateway: its own R1, then mod_auth_openidc (Debian defaults, unlimited keep-alive). */
const PEER_SYSTEMS = 'R1 BFF1 BFF2 P1k P1';
const OPENIDC = ['P1', 'P1k'];

/**
 * Runs bench/peers.sh in a copy of the harness (harnessCopy): in ONE harness session, the
 * harness's R1, this gateway with WORKERS=1 and 2, and mod_auth_openidc, all through the
 * harness's own bench-gateway.sh (same wrk settings, warm-ups, runs, CPU accounting, pinning);
 * then prints one table with the ratios to the harness's R1 and to P1k, and this bench's rows
 * against the faster mod_auth_openidc.
 */
function runPeers(dir, rows, o) {
  if (!fs.existsSync(path.join(dir, 'run-peers.sh'))) throw new Error(`bench: ${dir}/run-peers.sh not found`);
  const harness = harnessCopy(dir);
  const tsv = path.join(harness, 'peers.tsv');
  const run = spawnSync('bash', [path.join(__dirname, '..', 'peers.sh'), harness, path.join(__dirname, '..', '..'), tsv], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      SYSTEMS: process.env.PEER_SYSTEMS ?? PEER_SYSTEMS,
      MODES: process.env.PEER_MODES ?? 'unpinned pinned',
      RUNS: String(o.runs),
      DURATION: `${o.durationS}s`,
      LOG_LEVEL: o.logLevel,
    },
    timeout: 45 * 60_000,
  });
  if (run.status !== 0) throw new Error(`bench: bench/peers.sh failed (${run.status ?? run.signal}); harness copy in ${harness}`);
  const [head, ...data] = fs.readFileSync(tsv, 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const col = (name) => head.indexOf(name);
  const peers = data.map((d) => ({
    system: d[col('system')], mode: d[col('mode')], rps: Number(d[col('rps')]), p99: Number(d[col('p99_ms')]),
    cpu: Number(d[col('gw_cpu_us_per_req')]), primary: d[col('primary_us_per_req')], flag: d[col('flag')],
    foreign: d[col('foreign_cpu')], steal: d[col('steal')], runs: d[col('runs_rps')],
  }));
  console.log('');
  console.log(peerTable(peers));
  const best = peers.filter((p) => OPENIDC.includes(p.system) && p.mode === 'unpinned').reduce((a, b) => (!a || b.rps > a.rps ? b : a), undefined);
  if (best) {
    console.log('');
    for (const r of rows.filter((x) => x.key !== 'login' && x.key !== 'r1'))
      console.log(`this bench's ${r.label} vs mod_auth_openidc ${best.system} (unpinned): req/s ${(r.rps / best.rps).toFixed(2)}x, p99 ${(r.p99 / best.p99).toFixed(2)}x, CPU/req ${(r.cpuUsPerUnit / best.cpu).toFixed(2)}x`);
  }
  console.log(`peer harness copy (results, raw wrk outputs, logs): ${harness}`);
}

const SYSTEM_LABEL = { R1: 'harness R1 (node:http + GETEX + undici)', BFF1: 'oneaccess-bff WORKERS=1', BFF2: 'oneaccess-bff WORKERS=2' };

/** One table, per mode: the harness's R1, the gateway, mod_auth_openidc; ratios to R1 and to P1k. */
function peerTable(peers) {
  const ratio = (a, b) => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}x` : '-');
  const lines = [
    'Peer harness, one session (its bench-gateway.sh: wrk -t1 -c32, its warm-ups, median run of RUNS; CPU = the process tree, primary included):',
    '',
    '| system | mode | req/s | p99 ms | CPU us/req | CPU vs R1 | req/s vs P1k | p99 vs P1k | CPU vs P1k | primary us/req | foreign | steal | runs req/s | flag |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const p of peers) {
    const r1 = peers.find((x) => x.system === 'R1' && x.mode === p.mode);
    const k = peers.find((x) => x.system === 'P1k' && x.mode === p.mode);
    lines.push(`| ${SYSTEM_LABEL[p.system] ?? p.system} | ${p.mode} | ${fmt(p.rps)} | ${fmt(p.p99, 1)} | ${fmt(p.cpu)} | ${ratio(p.cpu, r1?.cpu)} | ${ratio(p.rps, k?.rps)} | ${ratio(p.p99, k?.p99)} | ${ratio(p.cpu, k?.cpu)} | ${p.primary} | ${p.foreign} | ${p.steal} | ${p.runs} | ${p.flag || ''} |`);
  }
  return lines.join('\n');
}

/**
 * A copy of the harness in a temp folder, where it installs, runs and writes its results: the
 * given folder (another team's reference, perhaps read-only) is never written to.
 */
function harnessCopy(dir) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-peers-'));
  fs.cpSync(dir, copy, { recursive: true, filter: (src) => !/[\\/](node_modules|results|run)$/.test(src) });
  execFileSync('chmod', ['-R', 'u+w', copy]);
  return copy;
}

module.exports = { printTable, runPeers };

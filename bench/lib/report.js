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

/** The peer systems of the harness that are mod_auth_openidc: Debian defaults, and unlimited keep-alive. */
const OPENIDC = ['P1', 'P1k'];

/**
 * Runs `<dir>/run-peers.sh P1 P1k` (Apache + mod_auth_openidc, the peer to beat, with Debian's
 * keep-alive limit and without) unpinned with the same wrk settings, and prints the gateway's
 * ratios to the faster of the two. The harness runs from a copy (harnessCopy).
 */
function runPeers(dir, rows, o) {
  if (!fs.existsSync(path.join(dir, 'run-peers.sh'))) throw new Error(`bench: ${dir}/run-peers.sh not found`);
  const harness = harnessCopy(dir);
  const started = Date.now();
  const run = spawnSync('bash', [path.join(harness, 'run-peers.sh'), ...OPENIDC], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, MODES: 'unpinned', RUNS: String(o.runs), DURATION: `${o.durationS}s` },
    timeout: 30 * 60_000,
  });
  if (run.status !== 0) throw new Error(`bench: run-peers.sh failed (${run.status ?? run.signal})`);
  const results = path.join(harness, 'results');
  const tsv = fs.readdirSync(results)
    .filter((f) => /^results-.*\.tsv$/.test(f) && fs.statSync(path.join(results, f)).mtimeMs >= started)
    .sort()
    .pop();
  if (!tsv) throw new Error('bench: run-peers.sh wrote no results table');
  const [head, ...data] = fs.readFileSync(path.join(results, tsv), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const col = (name) => head.indexOf(name);
  const peers = data
    .filter((d) => OPENIDC.includes(d[col('system')]) && d[col('mode')] === 'unpinned')
    .map((d) => ({ system: d[col('system')], rps: Number(d[col('rps')]), p99: Number(d[col('p99_ms')]), cpu: Number(d[col('gw_cpu_us_per_req')]) }));
  if (peers.length === 0) throw new Error('bench: no mod_auth_openidc row in the peer results');
  console.log('');
  for (const p of peers) console.log(`mod_auth_openidc ${p.system} (unpinned): ${fmt(p.rps)} req/s, p99 ${fmt(p.p99, 1)} ms, ${fmt(p.cpu)} us/req`);
  const best = peers.reduce((a, b) => (b.rps > a.rps ? b : a));
  for (const r of rows.filter((x) => x.key !== 'login' && x.key !== 'r1')) {
    console.log(`${r.label} vs mod_auth_openidc ${best.system}: req/s ${(r.rps / best.rps).toFixed(2)}x, p99 ${(r.p99 / best.p99).toFixed(2)}x, CPU/req ${(r.cpuUsPerUnit / best.cpu).toFixed(2)}x`);
  }
  console.log(`peer results: ${results}`);
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

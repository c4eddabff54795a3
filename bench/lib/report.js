'use strict';
// The one table of `npm run bench`, and the optional comparison with an external peer harness.
const { spawnSync } = require('node:child_process');
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

/**
 * Runs `<dir>/run-peers.sh P1` (Apache + mod_auth_openidc, the peer to beat) unpinned with the
 * same wrk settings, and prints the gateway's ratios to it from the peer's results table.
 */
function runPeers(dir, rows, o) {
  const script = path.join(dir, 'run-peers.sh');
  if (!fs.existsSync(script)) throw new Error(`bench: ${script} not found`);
  const started = Date.now();
  const run = spawnSync('bash', [script, 'P1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, MODES: 'unpinned', RUNS: String(o.runs), DURATION: `${o.durationS}s` },
    timeout: 30 * 60_000,
  });
  if (run.status !== 0) throw new Error(`bench: run-peers.sh failed (${run.status ?? run.signal})`);
  const results = path.join(dir, 'results');
  const tsv = fs.readdirSync(results)
    .filter((f) => /^results-.*\.tsv$/.test(f) && fs.statSync(path.join(results, f)).mtimeMs >= started)
    .sort()
    .pop();
  if (!tsv) throw new Error('bench: run-peers.sh wrote no results table');
  const [head, ...data] = fs.readFileSync(path.join(results, tsv), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const col = (name) => head.indexOf(name);
  const p1 = data.find((d) => d[col('system')] === 'P1' && d[col('mode')] === 'unpinned');
  if (!p1) throw new Error('bench: no P1 row in the peer results');
  const peerRps = Number(p1[col('rps')]);
  const peerCpu = Number(p1[col('gw_cpu_us_per_req')]);
  console.log(`\nmod_auth_openidc (P1, unpinned): ${fmt(peerRps)} req/s, ${fmt(peerCpu)} us/req`);
  for (const r of rows.filter((x) => x.key !== 'login' && x.key !== 'r1')) {
    console.log(`${r.label} vs mod_auth_openidc: req/s ${(r.rps / peerRps).toFixed(2)}x, CPU/req ${(r.cpuUsPerUnit / peerCpu).toFixed(2)}x`);
  }
}

module.exports = { printTable, runPeers };

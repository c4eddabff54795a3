// npm run soak: bounded mixed traffic on two gateway instances sharing one Redis.
//
// Virtual users loop through a whole session life (password login, session views, relayed calls,
// a profile read, logout) against two `node dist/main.js` processes in production mode, for
// SOAK_SECONDS (default 60). Every SOAK_REPORT_S seconds (default 10) it prints throughput, errors,
// each instance's RSS and the number of Redis keys; at the end it checks that RSS and keys
// plateau (the last third's mean within SOAK_GROWTH of the middle third's, default 15 %) and
// that no call answered 5xx. Exit 0 when both hold. Only 127.0.0.1 is ever a target.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

// The bench's process helpers: free ports, bounded waits, children logged and stopped by PID.
const { Procs, freePort, waitFor, treePids } = createRequire(import.meta.url)('./lib/procs.js');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const REPORT_S = Number(process.env.SOAK_REPORT_S ?? 10);
const USERS = Number(process.env.SOAK_USERS ?? 40);
const GROWTH = Number(process.env.SOAK_GROWTH ?? 0.15);
const ORIGIN = 'http://localhost:3000';

const procs = new Procs(mkdtempSync(join(tmpdir(), 'bff-soak-')));
const stopAll = () => {
  for (const child of procs.children.values()) child.kill('SIGKILL');
};
process.on('exit', stopAll);
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

/** RSS of a gateway and its workers, in KiB. */
const rssKb = (pid) =>
  treePids(pid).reduce((sum, p) => {
    try {
      return sum + Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))[1]);
    } catch {
      return sum;
    }
  }, 0);

async function main() {
  for (const f of ['dist/main.js', 'simulator/dist/index.js']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  }
  const { startSimulator } = await import(join(ROOT, 'simulator/dist/index.js'));

  const redisPort = await freePort();
  procs.start(
    'redis',
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {},
  );
  const redisCmd = async (...args) => {
    const { execFileSync } = await import('node:child_process');
    return execFileSync('redis-cli', ['-p', String(redisPort), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  };
  await waitFor('redis', async () => (await redisCmd('PING')) === 'PONG', 10_000);

  const clientSecret = `cs${randomBytes(24).toString('hex')}`;
  const sim = await startSimulator({ port: 0, clientSecret });
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, auth: Boolean(req.headers.authorization) }));
    });
  });
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));

  const env = {
    NODE_ENV: 'production',
    ALLOW_INSECURE: 'true',
    PUBLIC_ORIGIN: ORIGIN,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    ONEACCESS_BASE_URL: sim.url,
    ONEACCESS_CLIENT_ID: sim.clientId,
    ONEACCESS_CLIENT_SECRET: clientSecret,
    SESSION_SECRETS: `ss${randomBytes(24).toString('hex')}`,
    SESSION_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
    RATE_LIMITS: 'off',
    MAX_SESSIONS_PER_USER: '0',
    LOG_LEVEL: 'warn',
    WORKERS: '1',
    API_ROUTES: JSON.stringify({ echo: { target: `http://127.0.0.1:${upstream.address().port}` } }),
  };
  const gateways = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const name = `gateway${i}`;
    const child = procs.start(name, process.execPath, [join(ROOT, 'dist/main.js')], {
      ...env,
      PORT: String(port),
    });
    gateways.push({ url: `http://127.0.0.1:${port}`, child, name });
  }
  for (const g of gateways) {
    await waitFor(
      `gateway ${g.url}`,
      async () => (await request(`${g.url}/readyz`)).statusCode === 200,
      60_000,
    ).catch((e) => {
      throw new Error(`${e.message}\n${procs.log(g.name)}`);
    });
  }

  const agent = new Agent({ connections: 64 });
  const counts = { calls: 0, errors: 0, fivexx: 0, logins: 0 };
  const call = async (url, path, { cookie, method = 'GET', json } = {}) => {
    const headers = { origin: ORIGIN, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) soak' };
    if (cookie) headers.cookie = cookie;
    if (method !== 'GET') headers['x-csrf'] = '1';
    if (json) headers['content-type'] = 'application/json';
    counts.calls++;
    try {
      const res = await request(`${url}${path}`, {
        method,
        headers,
        dispatcher: agent,
        body: json && JSON.stringify(json),
      });
      await res.body.dump();
      if (res.statusCode >= 400) counts.errors++;
      if (res.statusCode >= 500) counts.fivexx++;
      return res;
    } catch {
      counts.errors++;
      counts.fivexx++;
      return undefined;
    }
  };

  const deadline = Date.now() + SECONDS * 1000;
  const user = async (n) => {
    while (Date.now() < deadline) {
      // Alternate instances within one session: every session must work on both.
      const [a, b] = n % 2 ? gateways : [...gateways].reverse();
      const login = await call(a.url, '/auth/login/password', {
        method: 'POST',
        json: { user_name: 'zhangsan', password: 'Passw0rd!2024' },
      });
      const cookie = [login?.headers['set-cookie'] ?? []]
        .flat()
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('__Host-bff='));
      if (!cookie) continue;
      counts.logins++;
      for (let i = 0; i < 10 && Date.now() < deadline; i++) {
        await call(i % 2 ? a.url : b.url, '/api/echo/items', { cookie });
        await call(i % 2 ? b.url : a.url, '/auth/session?slide=false', { cookie });
      }
      await call(b.url, '/auth/profile', { cookie });
      await call(a.url, '/auth/logout', { cookie, method: 'POST' });
    }
  };

  const samples = [];
  const started = Date.now();
  let last = { calls: 0, at: started };
  const reporter = setInterval(async () => {
    const now = Date.now();
    const sample = {
      t: Math.round((now - started) / 1000),
      rps: Math.round(((counts.calls - last.calls) * 1000) / (now - last.at)),
      errors: counts.errors,
      rss: gateways.map((g) => Math.round(rssKb(g.child.pid) / 1024)),
      keys: Number(await redisCmd('DBSIZE')),
    };
    last = { calls: counts.calls, at: now };
    samples.push(sample);
    console.log(
      `t=${String(sample.t).padStart(4)}s  ${String(sample.rps).padStart(5)} req/s  errors ${sample.errors}  RSS ${sample.rss.map((r) => `${r} MB`).join(' / ')}  Redis keys ${sample.keys}`,
    );
  }, REPORT_S * 1000);

  console.log(`soak: ${USERS} virtual users on 2 instances for ${SECONDS} s`);
  await Promise.all(Array.from({ length: USERS }, (_, n) => user(n)));
  clearInterval(reporter);
  await agent.close();

  const third = Math.floor(samples.length / 3);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const verdicts = [];
  if (third >= 1) {
    const middle = samples.slice(third, 2 * third);
    const tail = samples.slice(2 * third);
    for (const [name, pick] of [
      ['RSS', (s) => s.rss.reduce((a, b) => a + b, 0)],
      ['Redis keys', (s) => s.keys],
    ]) {
      const m = mean(middle.map(pick));
      const t = mean(tail.map(pick));
      const growth = m === 0 ? 0 : (t - m) / m;
      verdicts.push({
        name,
        ok: growth <= GROWTH,
        text: `${name}: middle third ${m.toFixed(0)}, last third ${t.toFixed(0)} (${(growth * 100).toFixed(1)} %)`,
      });
    }
  } else {
    verdicts.push({
      name: 'samples',
      ok: false,
      text: `too few samples (${samples.length}) to judge a plateau: raise SOAK_SECONDS`,
    });
  }
  verdicts.push({
    name: '5xx',
    ok: counts.fivexx === 0,
    text: `5xx or failed connections: ${counts.fivexx}`,
  });
  console.log(
    `\n${counts.calls} calls, ${counts.logins} logins, ${counts.errors} errors in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const v of verdicts) console.log(`${v.ok ? 'ok  ' : 'FAIL'} ${v.text}`);

  await sim.close();
  upstream.close();
  stopAll();
  process.exit(verdicts.every((v) => v.ok) ? 0 : 1);
}

main().catch((err) => {
  console.error(`soak: ${err.message}`);
  stopAll();
  process.exit(1);
});

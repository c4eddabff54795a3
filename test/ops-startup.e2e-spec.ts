import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { freePort } from './helpers/free-port';
import { GATEWAY_MAIN } from './helpers/gateway-process';

/** Runs `node dist/main.js` with `env` until it exits by itself (bounded); its code and output. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.execPath, [GATEWAY_MAIN], {
      env: { PATH: process.env.PATH ?? '', SIMULATOR_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 60 s:\n${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The output's lines, without the empty one after the last newline. */
const linesOf = (output: string) => output.trimEnd().split('\n');

/** A listener holding `port` on `host`, so the gateway finds it busy. */
async function hold(port: number, host: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}

const release = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Just enough for WORKERS=2 to pass validation; nothing answers at either address. */
const CLUSTER_ENV = {
  WORKERS: '2',
  REDIS_URL: 'redis://127.0.0.1:1',
  ONEACCESS_BASE_URL: 'http://127.0.0.1:1',
  ONEACCESS_CLIENT_ID: 'AbcdEfgh12345678',
  ONEACCESS_CLIENT_SECRET: 'k9S2m4Q7x1V8b3N6c5Z0a2L4j7H9g1F3',
};

describe('start-up failures an operator must be able to read', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '0.0.0.0', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('should say in one line that the port is in use, and exit non-zero', async () => {
    const run = await runToExit({ PORT: String(port), HOST: '0.0.0.0', LOG_LEVEL: 'silent' });
    expect(run.code).toBe(1);
    const lines = run.output.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^PORT ${port} is already in use on 0\\.0\\.0\\.0: .*EADDRINUSE`),
      ),
    ]);
  });

  it('should name a JSON variable that does not parse and where', async () => {
    const run = await runToExit({ API_ROUTES: '{"orders": {"target": "http://o",}}' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('API_ROUTES: not valid JSON at position 33 (line 1, column 34)');
    expect(run.output).not.toMatch(/\bat .+\.js:\d+/);
  });

  it('should end with the reason naming PORT, and claim no success, at the default log level', async () => {
    const run = await runToExit({ PORT: String(port), HOST: '0.0.0.0' });
    expect(run.code).toBe(1);
    const lines = linesOf(run.output);
    // The start's own lines came first (proof the log level let them through)...
    expect(lines.length).toBeGreaterThan(1);
    // ...and the reason is the last line; nothing said the gateway had started.
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(`^PORT ${port} is already in use on 0\\.0\\.0\\.0: `),
    );
    expect(run.output).not.toMatch(/successfully started|listening on/);
  }, 90_000);

  it("should say in one line that the embedded simulator's port is busy, naming SIMULATOR_PORT", async () => {
    const simPort = await freePort();
    const busy = await hold(simPort, '127.0.0.1');
    try {
      const run = await runToExit({ PORT: '0', SIMULATOR_PORT: String(simPort) });
      expect(run.code).toBe(1);
      const lines = linesOf(run.output);
      expect(lines[lines.length - 1]).toMatch(
        new RegExp(
          `^SIMULATOR_PORT ${simPort} is already in use on 127\\.0\\.0\\.1: .*ONEACCESS_BASE_URL\\)$`,
        ),
      );
      // No colour stack trace from Nest's console logger.
      expect(run.output).not.toContain('\u001b[');
      expect(run.output).not.toMatch(/\bat .+\.js:\d+/);
      expect(run.output).not.toMatch(/successfully started|listening on/);
    } finally {
      await release(busy);
    }
  }, 90_000);

  it('should print a refused configuration as one JSON line with LOG_FORMAT=json, and in production', async () => {
    for (const env of <Record<string, string>[]>[
      { LOG_FORMAT: 'json', WORKERS: 'abc' },
      { NODE_ENV: 'production', WORKERS: 'abc' },
    ]) {
      const run = await runToExit(env);
      expect(run.code).toBe(1);
      const lines = linesOf(run.output);
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]) as Record<string, unknown>;
      expect(line).toMatchObject({
        level: 60,
        context: 'Startup',
        event: 'config_invalid',
        problems: expect.arrayContaining([expect.stringMatching(/^WORKERS: /)]),
        msg: expect.stringMatching(/^Invalid configuration: .*WORKERS: /),
      });
      expect(typeof line.time).toBe('number');
    }
  }, 90_000);

  it('should keep plain text for a terminal in development, and in production with LOG_FORMAT=text', async () => {
    for (const env of <Record<string, string>[]>[
      { WORKERS: 'abc' },
      { NODE_ENV: 'production', LOG_FORMAT: 'text', WORKERS: 'abc' },
    ]) {
      const run = await runToExit(env);
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/^Invalid configuration:\n {2}- /);
      expect(run.output).toMatch(/\n {2}- WORKERS: /);
    }
  }, 90_000);

  it('should have the cluster primary say a busy port once, last, as JSON, when every worker fails', async () => {
    const run = await runToExit({
      ...CLUSTER_ENV,
      LOG_FORMAT: 'json',
      PORT: String(port),
      HOST: '0.0.0.0',
    });
    expect(run.code).toBe(1);
    const lines = linesOf(run.output);
    expect(lines.filter((l) => l.includes('already in use'))).toHaveLength(1);
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({
      level: 60,
      event: 'listen_failed',
      msg: expect.stringMatching(new RegExp(`^PORT ${port} is already in use`)),
    });
    expect(run.output).not.toMatch(/successfully started|listening on/);
  }, 90_000);
});

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
      reject(new Error(`still running after 20 s:\n${output}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

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
});

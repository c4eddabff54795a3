import { ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/**
 * A private redis-server for one test file, on a free port, keeping nothing on disk, so fault
 * tests can stop, pause and restart it without touching anyone else's Redis.
 */
export class TestRedisServer {
  private process?: ChildProcess;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port ||= await freePort();
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(() => this.ping(), 10_000, `redis-server on port ${this.port}`);
    return this;
  }

  /** Stops it; `start()` brings a fresh, empty one back on the same port. */
  async stop(): Promise<void> {
    const p = this.process;
    // Already stopped (a fault test stops it, then the stack's close stops it again).
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** Freezes it: connections stay open but nothing answers, like a hung server. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  client(): Redis {
    return new Redis(this.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  private async ping(): Promise<boolean> {
    const c = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } finally {
      c.disconnect();
    }
  }
}

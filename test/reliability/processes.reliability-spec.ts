import { createHash, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, Server } from 'node:http';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { childProcesses } from '../helpers/child-processes';
import { TestRedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { ReliabilityStack } from './stack';
import { signIn, steadyTraffic } from './traffic';

/** The pids whose parent is `pid` (the cluster workers of a primary). */
const childPids = (pid: number) => childProcesses(pid).map((c) => c.pid);

describe('a worker killed under load (WORKERS=2)', () => {
  const redis = new TestRedisServer();
  const stack = new ReliabilityStack();

  beforeAll(async () => {
    await redis.start();
    await stack.start({ REDIS_URL: redis.url });
    await stack.gateway({ WORKERS: '2' });
  }, 90_000);
  afterAll(async () => {
    await stack.close();
    await redis.stop();
  });

  it('should be replaced by the primary, with only its in-flight calls failing', async () => {
    const gw = stack.gateways[0];
    const cookies = await signIn(gw.url, 10, stack.agent);
    const concurrency = 8;
    const traffic = steadyTraffic([gw.url], cookies, stack.agent, concurrency);
    let replaced: number[] = [];
    let killedAt = 0;
    const workers = childPids(gw.pid);
    expect(workers).toHaveLength(2);
    try {
      // The primary treats a worker that dies within 5 s of its start as a start-up failure.
      await waitFor(
        () =>
          traffic.elapsed() > 6000 && traffic.outcomes.filter((o) => o.status === 200).length >= 50,
        60_000,
        'warm traffic on a worker older than 5 s',
      );
      killedAt = traffic.elapsed();
      process.kill(workers[0], 'SIGKILL');
      replaced = (await waitFor(
        () => {
          const now = childPids(gw.pid);
          return now.length === 2 && !now.includes(workers[0]) ? now : null;
        },
        30_000,
        'a new worker',
      ))!;
      await waitFor(
        () => {
          const after = traffic.outcomes.filter((o) => o.at > killedAt);
          return after.length >= 50 && after.slice(-50).every((o) => o.status === 200);
        },
        30_000,
        'calls to succeed again',
      );
    } finally {
      await traffic.stop();
    }
    const failed = traffic.outcomes.filter((o) => o.status !== 200);
    console.log(
      `worker kill: ${traffic.outcomes.length} calls, ${failed.length} failed, new worker ${replaced.join(',')}`,
    );
    // At most the calls in flight on the killed worker's connections fail, and only around the kill.
    expect(failed.length).toBeLessThanOrEqual(concurrency);
    expect(failed.every((o) => o.at >= killedAt)).toBe(true);
    expect(replaced).toContain(workers[1]);
    expect(gw.output()).toContain(`worker ${workers[0]} exited (SIGKILL)`);
  }, 120_000);
});

/** An upstream that reports when a request has started, and hashes what it received. */
class StreamingUpstream {
  private server?: Server;
  port = 0;
  started = 0;
  readonly received: { bytes: number; sha256: string }[] = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.started++;
      if (req.method === 'GET') {
        // A 16 MiB download, written as the client reads it.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let left = 256;
        const write = () => {
          while (left > 0) {
            left--;
            if (!res.write(chunk)) return res.once('drain', write);
          }
          res.end();
        };
        return write();
      }
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      req.on('end', () => {
        this.received.push({ bytes, sha256: hash.digest('hex') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ bytes }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

describe('SIGTERM while relays stream (graceful stop)', () => {
  const redis = new TestRedisServer();
  const stack = new ReliabilityStack();
  const upstream = new StreamingUpstream();

  beforeAll(async () => {
    await redis.start();
    await upstream.start();
    await stack.start(
      { REDIS_URL: redis.url },
      {
        API_ROUTES: JSON.stringify({ files: { target: `http://127.0.0.1:${upstream.port}` } }),
      },
    );
    await stack.gateway();
  }, 90_000);
  afterAll(async () => {
    await stack.close();
    await upstream.close();
    await redis.stop();
  });

  it('should finish the streams in flight, refuse new connections and exit 0', async () => {
    const gw = stack.gateways[0];
    const [cookie] = await signIn(gw.url, 1, stack.agent);
    const headers = { cookie, 'x-csrf': '1', origin: 'http://localhost:3000' };

    // Upload: half of 8 MiB now, the rest only after SIGTERM.
    const payload = randomBytes(8 * 1024 * 1024);
    const body = new PassThrough();
    const upload = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${gw.url}/api/files/upload`,
        {
          method: 'POST',
          agent: false,
          headers: {
            ...headers,
            'content-type': 'application/octet-stream',
            'content-length': payload.length,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      body.pipe(req);
    });
    body.write(payload.subarray(0, payload.length / 2));

    // Download: read the first chunk, then hold back until after SIGTERM.
    let downloaded = 0;
    let resumeDownload!: () => void;
    const download = new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      const req = httpRequest(`${gw.url}/api/files/download`, { agent: false, headers }, (res) => {
        res.once('data', (d: Buffer) => {
          downloaded += d.length;
          res.pause();
          resumeDownload = () => {
            res.on('data', (c: Buffer) => (downloaded += c.length));
            res.resume();
          };
        });
        res.on('end', () => resolve({ status: res.statusCode!, bytes: downloaded }));
      });
      req.on('error', reject);
      req.end();
    });

    await waitFor(
      () => upstream.started === 2 && downloaded > 0 && resumeDownload,
      20_000,
      'both streams in flight',
    );
    const exit = gw.stop(30_000);

    // New connections are refused once the listener has closed.
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(gw.port, '127.0.0.1');
          socket.once('connect', () => {
            socket.destroy();
            resolve(false);
          });
          socket.once('error', () => resolve(true));
        }),
      10_000,
      'the listener to close',
    );

    body.end(payload.subarray(payload.length / 2));
    resumeDownload();
    const [up, down] = await Promise.all([upload, download]);
    expect(up.status).toBe(200);
    expect(upstream.received[0]).toEqual({
      bytes: payload.length,
      sha256: createHash('sha256').update(payload).digest('hex'),
    });
    expect(down).toEqual({ status: 200, bytes: 16 * 1024 * 1024 });
    expect(await exit).toEqual({ code: 0, signal: null });
  }, 90_000);
});

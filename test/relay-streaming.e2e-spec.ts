import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { Agent, request } from 'undici';
import { EchoUpstream } from './helpers/echo-upstream';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { TestRedisServer } from './helpers/redis-server';
import { cookieFrom } from './helpers/session-cookie';

const MB = 1024 * 1024;
const SIZE = 50 * MB;
/** The same bytes in small pieces, to learn what moving them costs without holding much at once. */
const PIECE = 2 * MB;
const CHUNK = 64 * 1024;
/**
 * How much the gateway's peak RSS (VmHWM) may grow over the peak of the yardstick below, across
 * both 50 MiB transfers. A relay that buffered a body would hold it whole: at least 48 MiB more
 * than the 2 MiB pieces of the yardstick. A streaming one holds a few socket and stream buffers
 * (a few hundred KiB); the rest of its RSS movement is dead chunk buffers awaiting the garbage
 * collector (V8 lets external memory grow by up to 64 MiB before it forces a collection), which
 * the yardstick already includes. 40 MiB stays well below one buffered body and leaves room for
 * collector timing on a small shared machine.
 */
const MAX_GROWTH_KB = 40 * 1024;

/**
 * The relay streams bodies both ways (docs/api.md section 5 "streams the answer back"; "Bodies pass
 * through as they are"): a 50 MiB upload and a 50 MiB download through a real gateway process,
 * neither ever held in memory, by the gateway or by this test.
 */
describe('relay streaming through a gateway process (contract section 5)', () => {
  let redis: TestRedisServer | undefined;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let gw: GatewayProcess;
  let cookie: string;
  let baselineKb: number;
  let peakIsReset: boolean;
  const http = new Agent();

  /** `total` bytes in 64 KiB chunks, each numbered so order matters for the digest. */
  function* generated(total: number, digest: ReturnType<typeof createHash>): Generator<Buffer> {
    const pattern = randomBytes(CHUNK);
    for (let sent = 0, i = 0; sent < total; i++) {
      const chunk = Buffer.from(pattern.subarray(0, Math.min(CHUNK, total - sent)));
      chunk.writeUInt32BE(i, 0);
      digest.update(chunk);
      sent += chunk.length;
      yield chunk;
    }
  }

  async function upload(
    total: number,
    tag: string,
  ): Promise<{ status: number; sha256: string; ms: number }> {
    const digest = createHash('sha256');
    const started = performance.now();
    const res = await request(`${gw.url}/api/files/upload/${tag}`, {
      method: 'PUT',
      headers: { cookie, 'x-csrf': '1', 'content-type': 'application/octet-stream' },
      body: Readable.from(generated(total, digest)),
      dispatcher: http,
    });
    await res.body.dump();
    return {
      status: res.statusCode,
      sha256: digest.digest('hex'),
      ms: Math.round(performance.now() - started),
    };
  }

  async function download(
    total: number,
  ): Promise<{ status: number; length?: string; bytes: number; ms: number }> {
    const started = performance.now();
    const res = await request(`${gw.url}/api/files/bytes/${total}`, {
      headers: { cookie },
      dispatcher: http,
    });
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    return {
      status: res.statusCode,
      length: res.headers['content-length'] as string | undefined,
      bytes,
      ms: Math.round(performance.now() - started),
    };
  }

  const seenUpload = (tag: string) => upstream.seen.filter((s) => s.url === `/files/upload/${tag}`);

  beforeAll(async () => {
    let redisUrl = process.env.REDIS_URL ?? '';
    if (!redisUrl) {
      redis = await new TestRedisServer().start();
      redisUrl = redis.url;
    }
    sim = await startSimulator({ port: 0, control: true, clientSecret: productionClientSecret() });
    upstream = await new EchoUpstream().start();
    gw = await startGatewayProcess({
      ...sharedProductionEnv({ redisUrl, simulator: sim }),
      LOG_LEVEL: 'warn',
      API_ROUTES: JSON.stringify({ files: { target: `${upstream.url}/files`, token: 'id_token' } }),
    });
    const login = await request(`${gw.url}/auth/login/password`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-csrf': '1',
        origin: 'http://localhost:3000',
      },
      body: JSON.stringify({ user_name: 'zhangsan', password: 'Passw0rd!2024' }),
      dispatcher: http,
    });
    await login.body.dump();
    expect(login.statusCode).toBe(200);
    cookie = cookieFrom(login.headers['set-cookie'], '__Host-bff')!;
    expect(cookie).toBeDefined();

    // The yardstick: move the same 50 MiB each way in 2 MiB requests, one at a time. That warms
    // every path (pools, JIT) and shows the peak that the garbage of moving 50 MiB leaves before
    // the collector runs, while never needing more than 2 MiB at once. A single 50 MiB transfer
    // that streams stays at that peak; one that buffered would add the body on top.
    peakIsReset = gw.resetPeakRss();
    for (let i = 0; i < SIZE / PIECE; i++) {
      expect((await upload(PIECE, `warm${i}`)).status).toBe(200);
      expect((await download(PIECE)).bytes).toBe(PIECE);
    }
    baselineKb = gw.peakRssKb();
  }, 60_000);

  afterAll(async () => {
    const exit = await gw?.stop();
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
    await http.close();
    expect(exit?.signal).not.toBe('SIGKILL');
  });

  it('should stream a 50 MiB upload to the upstream intact, without buffering it', async () => {
    const sent = await upload(SIZE, 'big');
    expect(sent.status).toBe(200);
    const [seen] = seenUpload('big');
    expect(seen).toBeDefined();
    expect(seen.bytes).toBe(SIZE);
    expect(seen.sha256).toBe(sent.sha256);
    // It arrived as it was sent: streamed (chunked), with our credential, without the cookie.
    expect(seen.headers['transfer-encoding']).toBe('chunked');
    expect(seen.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(seen.headers.cookie).toBeUndefined();
    const growthKb = gw.peakRssKb() - baselineKb;
    console.log(
      `50 MiB upload: ${sent.ms} ms; gateway peak RSS +${growthKb} KiB over the yardstick's ${baselineKb} KiB`,
    );
    expect(growthKb).toBeLessThan(MAX_GROWTH_KB);
  });

  it('should stream a 50 MiB download to the browser, keeping the gateway memory flat across both transfers', async () => {
    const got = await download(SIZE);
    expect(got.status).toBe(200);
    expect(got.length).toBe(String(SIZE));
    expect(got.bytes).toBe(SIZE);
    const growthKb = gw.peakRssKb() - baselineKb;
    console.log(
      `50 MiB download: ${got.ms} ms; gateway peak RSS across both transfers +${growthKb} KiB ` +
        `over the yardstick's ${baselineKb} KiB (${peakIsReset ? 'peak reset after start-up' : 'peak since start-up'})`,
    );
    expect(growthKb).toBeLessThan(MAX_GROWTH_KB);
  });
});

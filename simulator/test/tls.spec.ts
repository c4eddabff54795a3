import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { makeCertificate, startSimulator, type RunningSimulator } from '../src/index';

const DISCOVERY = '/api/v1/oauth2/.well-known/openid-configuration';
const MAIN = join(__dirname, '..', 'dist', 'main.js');

/** A client that trusts `caPath` only, as the gateway does with NODE_EXTRA_CA_CERTS. */
const trusting = (caPath: string) => new Agent({ connect: { ca: readFileSync(caPath, 'utf8') } });

describe('https with a self-signed certificate (tls option, SIM_TLS=1)', () => {
  let dir: string;
  let sim: RunningSimulator | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sim-tls-'));
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve https, with https issuer and JWKS URI, to a client that trusts the certificate', async () => {
    const cert = makeCertificate(dir);
    sim = await startSimulator({ tls: cert });
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const res = await fetch(`${sim.url}${DISCOVERY}`, { dispatcher: trusting(cert.certPath) });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { issuer: string; jwks_uri: string };
    expect(doc.issuer).toMatch(/^https:\/\//);
    expect(doc.jwks_uri).toBe(`${sim.url}/api/v1/oauth2/jwks`);
  });

  it('should be refused by a client that does not trust it, and not answer plain http', async () => {
    sim = await startSimulator({ tls: makeCertificate(dir) });
    const untrusted = await fetch(`${sim.url}${DISCOVERY}`).catch((err: Error) => err);
    expect(untrusted).toBeInstanceOf(Error);
    expect(String((untrusted as Error & { cause?: unknown }).cause)).toMatch(/self[- ]signed/i);
    const plain = await fetch(`${sim.url.replace('https:', 'http:')}${DISCOVERY}`).catch(
      (err: Error) => err,
    );
    expect(plain).toBeInstanceOf(Error);
  });

  it('should make the certificate at start with SIM_TLS=1 and print the path to trust', async () => {
    if (!existsSync(MAIN))
      throw new Error('simulator/dist/main.js is missing: run `npm run build`');
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', SIM_TLS: '1', SIM_TLS_DIR: dir, SIM_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const lines = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no start line in 30 s: ${output}`)),
          30_000,
        );
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          if (output.includes('NODE_EXTRA_CA_CERTS=')) {
            clearTimeout(timer);
            resolve(output);
          }
        });
      });
      const url = /listening on (https:\/\/\S+)/.exec(lines)?.[1] ?? '';
      const caPath = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(lines)?.[1] ?? '';
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(caPath).toBe(join(dir, 'cert.pem'));
      const res = await fetch(`${url}${DISCOVERY}`, { dispatcher: trusting(caPath) });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});

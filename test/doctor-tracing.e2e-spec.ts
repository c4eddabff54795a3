import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCTOR, DoctorRun, runDoctor } from './helpers/doctor-process';
import { EchoUpstream } from './helpers/echo-upstream';
import { CLOSED_ORIGIN } from './helpers/free-port';
import { mutualTlsCertificates, OtlpReceiver } from './helpers/otlp-receiver';

/*
 * The doctor's `tracing` line (docs/api.md section 7) against a real OTLP receiver. The rest of
 * the configuration is left to its development fallbacks, so no other check needs a server and
 * none fails: the exit code is the tracing line's alone.
 */
describe('npm run doctor: tracing', () => {
  // An API key with the characters OTEL_EXPORTER_OTLP_HEADERS must percent-encode (+ / =).
  const apiKey = `k+${randomBytes(18).toString('base64')}/=`;
  const encodedKey = encodeURIComponent(apiKey);
  const headers = `x-api-key=${encodedKey}`;
  let receiver: OtlpReceiver;
  let upstream: EchoUpstream;

  /** Neither the header as configured nor its decoded value anywhere in the report. */
  function expectNoKey(run: DoctorRun, ...more: string[]): void {
    for (const secret of [apiKey, encodedKey, ...more]) expect(run.output).not.toContain(secret);
  }

  beforeAll(async () => {
    if (!existsSync(DOCTOR)) {
      throw new Error('dist/doctor.js is missing: run `npx nest build` (or `npm run build`) first');
    }
    receiver = await new OtlpReceiver({
      requireHeader: { name: 'x-api-key', value: apiKey },
    }).start();
    upstream = await new EchoUpstream().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await upstream?.close();
  });
  beforeEach(() => receiver.clear());

  it('should report tracing off without an endpoint, and with OTEL_SDK_DISABLED=true post nothing', async () => {
    const off = await runDoctor({});
    expect(off.code).toBe(0);
    expect(off.lines.get('tracing')).toEqual(['ok', 'off (OTEL_EXPORTER_OTLP_ENDPOINT unset)']);
    expect([...off.lines.keys()].slice(-2)).toEqual(['trust-proxy', 'tracing']);

    const disabled = await runDoctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
      OTEL_SDK_DISABLED: 'true',
    });
    expect(disabled.lines.get('tracing')).toEqual(['ok', 'off (OTEL_SDK_DISABLED=true)']);
    expect(receiver.requests).toHaveLength(0);
  });

  it('should post an empty protobuf export with the decoded API key and report the export', async () => {
    const run = await runDoctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
      OTEL_SERVICE_NAME: 'portal-bff',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });

    expect(run.code).toBe(0);
    expect(run.lines.get('tracing')).toEqual([
      'ok',
      `${receiver.tracesUrl} accepts spans (http/protobuf, sampler parentbased_traceidratio 0.25, service portal-bff)`,
    ]);
    expect(receiver.requests).toHaveLength(1);
    const [seen] = receiver.requests;
    expect(seen).toMatchObject({ method: 'POST', path: '/v1/traces', protocol: 'protobuf' });
    expect(seen.status).toBe(200);
    expect(seen.headers['x-api-key']).toBe(apiKey);
    expect(receiver.rawBodies).toEqual([Buffer.alloc(0)]);
    expect(receiver.spans).toHaveLength(0);
    expectNoKey(run);
  });

  it('should post {} as application/json when the protocol is http/json', async () => {
    const run = await runDoctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });

    expect(run.lines.get('tracing')).toEqual([
      'ok',
      expect.stringMatching(/ accepts spans \(http\/json, sampler parentbased_always_on, /),
    ]);
    expect(receiver.requests.map((r) => [r.protocol, r.status])).toEqual([['json', 200]]);
    expect(receiver.rawBodies.map((b) => b.toString())).toEqual(['{}']);
    expectNoKey(run);
  });

  it('should fail a wrong API key naming OTEL_EXPORTER_OTLP_HEADERS, never its value', async () => {
    const wrong = `wr0ng-${randomBytes(12).toString('hex')}`;
    const run = await runDoctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${wrong}`,
    });

    expect(run.code).toBe(1);
    expect(run.lines.get('tracing')).toEqual([
      'fail',
      'the receiver refused the credentials (HTTP 401): check OTEL_EXPORTER_OTLP_HEADERS',
    ]);
    expect(receiver.requests.map((r) => r.status)).toEqual([401]);
    expectNoKey(run, wrong);

    const none = await runDoctor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect(none.lines.get('tracing')).toEqual([
      'fail',
      expect.stringMatching(
        /^the receiver wants credentials \(HTTP 401\) and none are set: set OTEL_EXPORTER_OTLP_HEADERS/,
      ),
    ]);
  });

  it('should send the traces headers over the general ones, as the exporter does', async () => {
    const wrong = `wr0ng-${randomBytes(12).toString('hex')}`;
    const run = await runDoctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${wrong},x-team=portal`,
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: headers,
    });

    expect(run.lines.get('tracing')![0]).toBe('ok');
    expect(receiver.requests[0].headers).toMatchObject({ 'x-api-key': apiKey, 'x-team': 'portal' });
    expectNoKey(run, wrong);
  });

  it('should turn credentials in the endpoint into Basic authorization and print them masked', async () => {
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const basic = new OtlpReceiver({
      requireHeader: {
        name: 'authorization',
        value: `Basic ${Buffer.from(`bff:${password}`).toString('base64')}`,
      },
    });
    await basic.start();
    try {
      const run = await runDoctor({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://bff:${password}@127.0.0.1:${basic.port}`,
      });

      expect(run.lines.get('tracing')).toEqual([
        'ok',
        expect.stringMatching(
          new RegExp(`^http://\\*\\*\\*@127\\.0\\.0\\.1:${basic.port}/v1/traces accepts spans`),
        ),
      ]);
      expect(basic.requests.map((r) => r.status)).toEqual([200]);
      expectNoKey(run, password);
    } finally {
      await basic.stop();
    }
  });

  it('should fail a 404 naming the URL the gateway posts to, the base endpoint ending in /v1/traces', async () => {
    const run = await runDoctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.tracesUrl,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
    });

    expect(run.code).toBe(1);
    expect(run.lines.get('tracing')).toEqual([
      'fail',
      `nothing at ${receiver.tracesUrl}/v1/traces (HTTP 404), where the gateway posts its spans: OTEL_EXPORTER_OTLP_ENDPOINT already ends in /v1/traces: set it to the receiver base URL (the gateway adds /v1/traces)`,
    ]);
    // The traces endpoint is used as given: the full URL passes, the base URL is a 404.
    const given = await runDoctor({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
    });
    expect(given.lines.get('tracing')![0]).toBe('ok');
    const base = await runDoctor({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
    });
    expect(base.lines.get('tracing')).toEqual([
      'fail',
      expect.stringMatching(
        /^nothing at http:\/\/127\.0\.0\.1:\d+\/ \(HTTP 404\).*OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as given/,
      ),
    ]);
    expect(receiver.requests.map((r) => [r.path, r.status])).toEqual([
      ['/v1/traces/v1/traces', 404],
      ['/v1/traces', 200],
      ['/', 404],
    ]);
    expectNoKey(run);
  });

  it('should only warn when the receiver is down or answers an error, the exit code staying 0', async () => {
    const closed = CLOSED_ORIGIN;
    const down = await runDoctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: closed,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
    });
    expect(down.code).toBe(0);
    expect(down.lines.get('tracing')).toEqual([
      'warn',
      `cannot reach ${closed}/v1/traces (ECONNREFUSED): the gateway still serves, but its spans are dropped until the receiver takes them`,
    ]);
    expectNoKey(down);

    const failing = await runDoctor({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${upstream.url}/status/503`,
      OTEL_EXPORTER_OTLP_HEADERS: headers,
    });
    expect(failing.code).toBe(0);
    expect(failing.lines.get('tracing')).toEqual([
      'warn',
      expect.stringMatching(
        /\/status\/503 answered HTTP 503: the gateway still serves, but its spans are dropped/,
      ),
    ]);
    expectNoKey(failing);
  });

  it('should not check an invalid tracing configuration, leaving it to the config line', async () => {
    const run = await runDoctor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otlp.example.com:4318' });

    expect(run.lines.get('config')).toEqual([
      'fail',
      expect.stringMatching(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/),
    ]);
    expect(run.lines.get('tracing')).toEqual([
      'fail',
      'not checked: fix the OTEL_* variables first (see config)',
    ]);
  });
  describe('a receiver behind a private CA that wants a client certificate', () => {
    let dir: string;
    let server: ReturnType<typeof mutualTlsCertificates>['server'];
    let client: ReturnType<typeof mutualTlsCertificates>['client'];
    let tlsReceiver: OtlpReceiver;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'doctor-otlp-tls-'));
      ({ server, client } = mutualTlsCertificates(dir));
      tlsReceiver = await new OtlpReceiver({
        tls: { cert: server.cert, key: server.key, clientCa: client.cert },
      }).start();
    });
    afterAll(async () => {
      await tlsReceiver?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => tlsReceiver.clear());

    it('should trust the CA and present the certificate the exporter is given, and say which is missing', async () => {
      const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: tlsReceiver.url };
      const untrusted = await runDoctor(endpoint);
      expect(untrusted.code).toBe(0);
      expect(untrusted.lines.get('tracing')).toEqual([
        'warn',
        expect.stringMatching(
          /^cannot reach https:.*\(TLS verification failed \(\w+\): .*add its CA with OTEL_EXPORTER_OTLP_CERTIFICATE/,
        ),
      ]);

      const withCa = { ...endpoint, OTEL_EXPORTER_OTLP_CERTIFICATE: server.certPath };
      const noClientCertificate = await runDoctor(withCa);
      expect(noClientCertificate.lines.get('tracing')).toEqual([
        'warn',
        expect.stringMatching(
          /(closed the connection|refused the TLS handshake).*[:;] it may want a client certificate: set OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY\)/,
        ),
      ]);
      expect(tlsReceiver.requests).toHaveLength(0);

      // The traces-specific variables win over the general ones, as in the exporter.
      const run = await runDoctor({
        ...withCa,
        OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE: client.certPath,
        OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: client.keyPath,
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, 'missing.pem'),
      });
      expect(run.lines.get('tracing')).toEqual([
        'ok',
        `${tlsReceiver.tracesUrl} accepts spans (http/protobuf, sampler parentbased_always_on, service oneaccess-bff)`,
      ]);
      expect(tlsReceiver.requests).toHaveLength(1);
      expect(run.output).not.toContain(client.key.split('\n')[1]);
    });

    it('should refuse a file it cannot read, or a certificate without its key, naming the variable', async () => {
      const run = await runDoctor({
        OTEL_EXPORTER_OTLP_ENDPOINT: tlsReceiver.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, 'missing.pem'),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: client.keyPath,
      });
      expect(run.code).not.toBe(0);
      const [status, detail] = run.lines.get('config') ?? [];
      expect(status).toBe('fail');
      expect(detail).toContain(
        `OTEL_EXPORTER_OTLP_CERTIFICATE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`,
      );
      expect(detail).toContain(
        'OTEL_EXPORTER_OTLP_CLIENT_KEY: a client certificate and its key go together',
      );
      expect(run.output).not.toContain(client.key.split('\n')[1]);
      expect(tlsReceiver.requests).toHaveLength(0);
    });
  });
});

import { configProblems } from '../../test/helpers/config-problems';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { environmentProblems } from './config';
import { loadTracesExport, loadTracingConfig } from './tracing.config';

const problemsOf = (env: Record<string, string>) => configProblems(loadTracingConfig, env);

describe('loadTracingConfig', () => {
  it('should be off without an OTLP endpoint, and when OTEL_SDK_DISABLED is true', () => {
    expect(loadTracingConfig({}).enabled).toBe(false);
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).enabled).toBe(false);
    expect(
      loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })
        .enabled,
    ).toBe(false);
  });

  it('should be on with either endpoint, protobuf and the default service name unless told', () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual({
      enabled: true,
      endpoint: 'http://c:4318',
      protocol: 'http/protobuf',
      serviceName: 'oneaccess-bff',
      sampler: 'parentbased_always_on',
    });
    const cfg = loadTracingConfig({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://user:pw@c/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'portal',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
    });
    // The traces variable wins over the general one; credentials never reach the start line.
    expect(cfg).toMatchObject({
      enabled: true,
      endpoint: 'https://***@c/v1/traces',
      protocol: 'http/json',
      serviceName: 'portal',
      sampler: 'parentbased_traceidratio 0.01',
    });
  });

  it('should refuse what the SDK would silently ignore, naming each variable', () => {
    const problems = problemsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_BSP_MAX_QUEUE_SIZE: '0',
      OTEL_BSP_SCHEDULE_DELAY: '1s',
      OTEL_SDK_DISABLED: 'perhaps',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^OTEL_SDK_DISABLED: must be true or false/),
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/),
      "OTEL_EXPORTER_OTLP_PROTOCOL: grpc is not supported; use http/protobuf (a collector's port 4318)",
      expect.stringMatching(/^OTEL_TRACES_SAMPLER: must be one of/),
      expect.stringMatching(/^OTEL_BSP_SCHEDULE_DELAY: must be a whole number/),
      expect.stringMatching(/^OTEL_BSP_MAX_QUEUE_SIZE: must be a whole number/),
    ]);
    expect(
      problemsOf({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }),
    ).toEqual([expect.stringMatching(/^OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1/)]);
    expect(problemsOf({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '2' })).toEqual(
      [],
    );
  });

  it('should never quote the OTLP headers, which carry API keys', () => {
    const problems = problemsOf({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key:s3cr3t-value' });
    expect(problems).toEqual([
      'OTEL_EXPORTER_OTLP_HEADERS: must be a list of name=value pairs separated by commas',
    ]);
    expect(
      problemsOf({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=a,authorization=Basic%20b' }),
    ).toEqual([]);
  });

  it('should be validated with every other namespace at start', () => {
    expect(environmentProblems({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).join('\n')).toContain(
      'OTEL_EXPORTER_OTLP_PROTOCOL',
    );
  });
  it('should take a blank value for unset, as the SDK does', () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).enabled).toBe(false);
    expect(
      loadTracingConfig({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ' ',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_SAMPLER: ' ',
        OTEL_EXPORTER_OTLP_PROTOCOL: '\t',
        OTEL_BSP_SCHEDULE_DELAY: ' ',
      }),
    ).toMatchObject({
      endpoint: 'http://c:4318',
      protocol: 'http/protobuf',
      sampler: 'parentbased_always_on',
    });
  });

  describe('the exporter TLS files', () => {
    let dir: string;
    const pem = (name: string, label: string) => {
      const path = join(dir, name);
      writeFileSync(path, `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`);
      return path;
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'otlp-tls-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('should read them as the exporter does: traces variables first, paths from the working directory', () => {
      const ca = pem('ca.pem', 'CERTIFICATE');
      const tracesCa = pem('traces-ca.pem', 'CERTIFICATE');
      const cert = pem('client.pem', 'CERTIFICATE');
      const key = pem('client-key.pem', 'PRIVATE KEY');
      const target = loadTracesExport({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4318',
        OTEL_EXPORTER_OTLP_CERTIFICATE: ca,
        OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: relative(process.cwd(), tracesCa),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: cert,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: key,
      });
      expect(target?.url).toBe('https://c:4318/v1/traces');
      expect(target?.tls.ca).toMatchObject({
        variable: 'OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE',
        path: relative(process.cwd(), tracesCa),
      });
      expect(target?.tls.ca?.pem.toString()).toContain('BEGIN CERTIFICATE');
      expect(target?.tls.cert?.variable).toBe('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE');
      expect(target?.tls.key?.pem.toString()).toContain('BEGIN PRIVATE KEY');
    });

    it('should refuse a missing or non-PEM file, and a certificate without its key, never quoting a file', () => {
      const notPem = join(dir, 'key.der');
      writeFileSync(notPem, 'not-a-pem-s3cr3t');
      const problems = problemsOf({
        OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, 'nowhere.pem'),
        OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: notPem,
      });
      expect(problems).toEqual([
        `OTEL_EXPORTER_OTLP_CERTIFICATE: cannot read ${join(dir, 'nowhere.pem')} (ENOENT)`,
        `OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: ${notPem} is not a PEM file (no -----BEGIN line)`,
        'OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: a client certificate and its key go together: set both OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY',
      ]);
      expect(problems.join('\n')).not.toContain('s3cr3t');
      expect(
        problemsOf({ OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: pem('c.pem', 'CERTIFICATE') }),
      ).toEqual([
        expect.stringMatching(
          /^OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: a client certificate and its key go together/,
        ),
      ]);
    });
  });
});

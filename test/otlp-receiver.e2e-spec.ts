import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OtlpReceiver, ReceivedSpan } from './helpers/otlp-receiver';
import { rawRequest } from './helpers/raw-http';

/*
 * The OTLP receiver the tracing suites export to (no collector can be installed where they run)
 * must decode what the real exporters send, or every tracing test downstream would prove nothing.
 * Each test exports through a real exporter, in a real process, over real HTTP, and asserts exact
 * values: a wrong field number, wire type or JSON name in the decoder turns into a wrong or
 * missing value here.
 */

const SECONDS = 1767225600; // as in the fixture: 2026-01-01T00:00:00Z
const nanosAt = (nanos: number): bigint => BigInt(SECONDS) * 1_000_000_000n + BigInt(nanos);

const HEADER = { 'x-otlp-test': 'header-arrived' };
const RESOURCE = {
  'service.name': 'otlp-receiver-spec',
  'service.version': '9.8.7',
  'test.resource.marker': 'resource-marker-4f1c',
};
const SCOPE = 'otlp-receiver-spec-scope';

interface SentIds {
  parent: { traceId: string; spanId: string };
  child: { traceId: string; spanId: string };
}

/**
 * Runs test/fixtures/otlp-export-two-spans.js, which exports a server span and its client child
 * through a real exporter, and returns their ids. A process of its own: the exporters' transport
 * loads node:http with a dynamic import(), which jest's module runtime refuses.
 */
async function exportTwoSpans(options: {
  exporter: 'proto' | 'json';
  url: string;
  headers?: Record<string, string>;
  compression?: 'none' | 'gzip';
}): Promise<SentIds> {
  const script = join(__dirname, 'fixtures', 'otlp-export-two-spans.js');
  // Only PATH: no OTEL_* variable of the machine's may change what the exporter sends.
  const child = spawn(process.execPath, [script, JSON.stringify(options)], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    const code = await exited;
    if (code !== 0) throw new Error(`the exporting process ended with ${code}: ${stderr}`);
    if (stderr) throw new Error(`the exporter complained: ${stderr}`);
    return JSON.parse(stdout) as SentIds;
  } finally {
    clearTimeout(killer);
  }
}

/** The two spans `exportTwoSpans` sent, exactly as the receiver must have decoded them. */
function expectedSpans(ids: SentIds): ReceivedSpan[] {
  const common = { traceId: ids.parent.traceId, traceState: '', resource: RESOURCE, scope: SCOPE };
  return [
    {
      ...common,
      spanId: ids.child.spanId,
      parentSpanId: ids.parent.spanId,
      name: 'orders upstream',
      kind: 3,
      startTimeUnixNano: nanosAt(200_000_000),
      endTimeUnixNano: nanosAt(800_000_000),
      attributes: { 'server.address': 'upstream.test', 'test.double': -1.5 },
      events: [
        {
          name: 'retry',
          timeUnixNano: nanosAt(500_000_000),
          attributes: { 'retry.attempt': 2, 'retry.reason': 'timeout' },
        },
      ],
      status: { code: 2, message: 'upstream answered 503' },
    },
    {
      ...common,
      spanId: ids.parent.spanId,
      parentSpanId: '',
      name: 'GET /api/orders',
      kind: 2,
      startTimeUnixNano: nanosAt(123_456_789),
      endTimeUnixNano: nanosAt(987_654_321),
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'test.negative': -42,
        'test.large': 2 ** 40 + 7,
        'test.ratio': 0.25,
        'test.on': true,
        'test.off': false,
        'test.tags': ['a', 'b'],
        'test.codes': [3, 5],
      },
      events: [],
      status: { code: 1 },
    },
  ];
}

describe('OtlpReceiver (test helper) against the real OTLP exporters', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
  });
  afterAll(() => receiver?.stop());
  beforeEach(() => receiver.clear());

  it.each([
    ['proto', 'protobuf', 'application/x-protobuf', 'none'],
    ['json', 'json', 'application/json', 'none'],
    ['proto', 'protobuf', 'application/x-protobuf', 'gzip'],
  ] as const)(
    'should decode every field the %s exporter sends as %s (%s, compression %s)',
    async (exporter, protocol, contentType, compression) => {
      const url = receiver.tracesUrl;
      const ids = await exportTwoSpans({ exporter, url, headers: HEADER, compression });

      const spans = await receiver.waitForSpans((s) => s.traceId === ids.parent.traceId, {
        count: 2,
      });
      expect(ids.parent.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.child.traceId).toBe(ids.parent.traceId);
      // One export per span, sent concurrently: they may arrive in either order.
      const byName = (a: ReceivedSpan, b: ReceivedSpan) => a.name.localeCompare(b.name);
      expect([...spans].sort(byName)).toEqual(expectedSpans(ids).sort(byName));

      // One export per ended span (SimpleSpanProcessor), each with the custom header.
      expect(receiver.requests).toHaveLength(2);
      for (const request of receiver.requests) {
        expect(request).toMatchObject({
          method: 'POST',
          path: '/v1/traces',
          protocol,
          contentEncoding: compression === 'gzip' ? 'gzip' : '',
          status: 200,
          spanCount: 1,
        });
        expect(request.headers['x-otlp-test']).toBe('header-arrived');
        expect(request.headers['content-type']).toBe(contentType);
      }
      // The raw export is searchable for a string wherever it sits (the resource here), and
      // only for what was sent.
      expect(receiver.exportContains('resource-marker-4f1c')).toBe(true);
      expect(receiver.exportContains('upstream answered 503')).toBe(true);
      expect(receiver.exportContains('never-exported-7d2e')).toBe(false);
    },
  );

  it('should refuse a malformed export with 400 and keep receiving', async () => {
    const post = (type: string, body: Buffer | string, extra: Record<string, string> = {}) =>
      rawRequest(receiver.url, 'POST', '/v1/traces', { 'content-type': type, ...extra }, body);

    // A length prefix longer than the bytes left.
    const truncated = await post('application/x-protobuf', Buffer.from([0x0a, 0x05, 0x01]));
    expect(truncated.status).toBe(400);
    expect(truncated.headers['content-type']).toBe('application/x-protobuf');
    expect(truncated.bytes.toString('utf8')).toContain('truncated');
    // Wire type 7 does not exist.
    expect((await post('application/x-protobuf', Buffer.from([0x0f]))).status).toBe(400);
    const badJson = await post('application/json', '{"resourceSpans": [');
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ code: 3, message: expect.stringContaining('not JSON') });
    const badId = await post(
      'application/json',
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'x', spanId: 'y' }] }] }],
      }),
    );
    expect(badId.status).toBe(400);
    expect((await post('application/json', '{}', { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post('text/plain', 'spans')).status).toBe(415);
    expect(receiver.spans).toEqual([]);
    expect(receiver.requests.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 415]);

    const ids = await exportTwoSpans({ exporter: 'proto', url: receiver.tracesUrl });
    await receiver.waitForSpans((s) => s.traceId === ids.parent.traceId, { count: 2 });
    expect(receiver.spans).toHaveLength(2);
  });

  it('should read the OTLP/JSON variants other exporters write: names for enums, strings for integers', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'other' } }] },
          scopeSpans: [
            {
              scope: { name: 'other-scope' },
              spans: [
                {
                  traceId: traceId.toUpperCase(),
                  spanId: 'B7AD6B7169203331',
                  parentSpanId: '',
                  name: 'other',
                  kind: 'SPAN_KIND_PRODUCER',
                  startTimeUnixNano: '1767225600000000001',
                  endTimeUnixNano: 1767225600,
                  attributes: [
                    { key: 'big', value: { intValue: '9007199254740993' } },
                    { key: 'small', value: { intValue: '-7' } },
                    { key: 'raw', value: { bytesValue: Buffer.from('hi').toString('base64') } },
                    { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: {} }] } } },
                  ],
                  status: { code: 'STATUS_CODE_ERROR' },
                },
              ],
            },
          ],
        },
      ],
    };
    const reply = await rawRequest(
      receiver.url,
      'POST',
      '/v1/traces',
      { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' },
      gzipSync(JSON.stringify(body)),
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({});
    expect(receiver.spans).toEqual([
      {
        traceId,
        spanId: 'b7ad6b7169203331',
        parentSpanId: '',
        traceState: '',
        name: 'other',
        kind: 4,
        startTimeUnixNano: 1767225600000000001n,
        endTimeUnixNano: 1767225600n,
        attributes: {
          big: 9007199254740993n,
          small: -7,
          raw: Buffer.from('hi'),
          map: { k: null },
        },
        events: [],
        status: { code: 2 },
        resource: { 'service.name': 'other' },
        scope: 'other-scope',
      },
    ]);
  });
});

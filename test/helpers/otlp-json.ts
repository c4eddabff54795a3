import {
  int64Value,
  OtlpAttributes,
  OtlpDecodeError,
  OtlpValue,
  ReceivedEvent,
  ReceivedSpan,
  SpanOrigin,
} from './otlp-span';

/*
 * OTLP/JSON as the OTLP specification defines it: protobuf's JSON mapping with lowerCamelCase
 * names, except that trace and span ids are hex strings (not base64). Enums may come as numbers
 * or as their names, and 64-bit integers (intValue, the *UnixNano times) as numbers or decimal
 * strings; every variant is read, since other exporters than the JS one choose differently.
 */

type Json = Record<string, unknown>;

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function object(value: unknown, what: string): Json {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new OtlpDecodeError(`${what} is not an object`);
  return value as Json;
}

function list(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${what} is not an array`);
  return value;
}

function text(value: unknown, what: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new OtlpDecodeError(`${what} is not a string`);
  return value;
}

function int64(value: unknown, what: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new OtlpDecodeError(`${what} is not an integer`);
}

function enumValue(value: unknown, names: string[], what: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && names.includes(value)) return names.indexOf(value);
  throw new OtlpDecodeError(`${what} is not one of its enum's values`);
}

function hexId(value: unknown, digits: number, what: string): string {
  const id = text(value, what);
  if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(id))
    throw new OtlpDecodeError(`${what} is not ${digits} hex digits`);
  return id.toLowerCase();
}

function double(value: unknown): number {
  // protobuf's JSON mapping writes the non-finite doubles as strings.
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  throw new OtlpDecodeError('doubleValue is not a number');
}

function anyValue(raw: unknown): OtlpValue {
  const v = object(raw, 'AnyValue');
  if ('stringValue' in v) return text(v.stringValue, 'stringValue');
  if ('boolValue' in v) {
    if (typeof v.boolValue !== 'boolean') throw new OtlpDecodeError('boolValue is not a boolean');
    return v.boolValue;
  }
  if ('intValue' in v) return int64Value(int64(v.intValue, 'intValue'));
  if ('doubleValue' in v) return double(v.doubleValue);
  if ('arrayValue' in v) {
    return list(object(v.arrayValue, 'arrayValue').values, 'arrayValue.values').map(anyValue);
  }
  if ('kvlistValue' in v) return attributes(object(v.kvlistValue, 'kvlistValue').values);
  if ('bytesValue' in v) return Buffer.from(text(v.bytesValue, 'bytesValue'), 'base64');
  return null;
}

function attributes(raw: unknown): OtlpAttributes {
  const out: OtlpAttributes = {};
  for (const entry of list(raw, 'attributes')) {
    const kv = object(entry, 'KeyValue');
    out[text(kv.key, 'key')] = anyValue(kv.value);
  }
  return out;
}

function spanEvent(raw: unknown): ReceivedEvent {
  const e = object(raw, 'event');
  return {
    name: text(e.name, 'event name'),
    timeUnixNano: int64(e.timeUnixNano, 'timeUnixNano'),
    attributes: attributes(e.attributes),
  };
}

function span(raw: unknown, origin: SpanOrigin): ReceivedSpan {
  const s = object(raw, 'span');
  const status = object(s.status, 'status');
  const parent = text(s.parentSpanId, 'parentSpanId');
  return {
    traceId: hexId(s.traceId, 32, 'traceId'),
    spanId: hexId(s.spanId, 16, 'spanId'),
    parentSpanId: parent === '' ? '' : hexId(parent, 16, 'parentSpanId'),
    traceState: text(s.traceState, 'traceState'),
    name: text(s.name, 'name'),
    kind: enumValue(s.kind, SPAN_KINDS, 'kind'),
    startTimeUnixNano: int64(s.startTimeUnixNano, 'startTimeUnixNano'),
    endTimeUnixNano: int64(s.endTimeUnixNano, 'endTimeUnixNano'),
    attributes: attributes(s.attributes),
    events: list(s.events, 'events').map(spanEvent),
    status: {
      code: enumValue(status.code, STATUS_CODES, 'status code'),
      ...(status.message ? { message: text(status.message, 'status message') } : {}),
    },
    ...origin,
  };
}

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest into a flat list of spans.
 * @throws OtlpDecodeError when the body is not JSON or not shaped like a request.
 */
export function decodeJsonTraces(body: Buffer): ReceivedSpan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new OtlpDecodeError(`not JSON: ${(err as Error).message}`);
  }
  return list(object(parsed, 'request').resourceSpans, 'resourceSpans').flatMap((rawRs) => {
    const rs = object(rawRs, 'resourceSpans[]');
    const resource = attributes(object(rs.resource, 'resource').attributes);
    return list(rs.scopeSpans, 'scopeSpans').flatMap((rawSs) => {
      const ss = object(rawSs, 'scopeSpans[]');
      const scope = text(object(ss.scope, 'scope').name, 'scope name');
      return list(ss.spans, 'spans').map((s) => span(s, { resource, scope }));
    });
  });
}

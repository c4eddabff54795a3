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
 * A hand-rolled reader of the protobuf wire format for exactly the OTLP trace fields the tests
 * read; no protobuf library (CONTRIBUTING.md section 1: few dependencies, on purpose). Field
 * numbers are those of opentelemetry-proto (collector/trace/v1/trace_service.proto,
 * trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto), the ones the
 * exporter's own serializer in @opentelemetry/otlp-transformer writes. Unknown fields are
 * skipped, as protobuf requires; a known field with the wrong wire type is an error, so a wrong
 * number here shows up as a failed decode or a wrong value, never as silence.
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** One field of a message, read at most once, through the accessor of its wire type. */
class WireField {
  consumed = false;

  constructor(
    readonly field: number,
    readonly wire: number,
    private readonly reader: WireReader,
  ) {}

  varint(): bigint {
    return this.take(VARINT, () => this.reader.varint());
  }

  fixed64(): bigint {
    return this.take(FIXED64, () => this.reader.fixed64());
  }

  double(): number {
    return this.take(FIXED64, () => this.reader.double());
  }

  bytes(): Buffer {
    return this.take(LENGTH_DELIMITED, () => this.reader.bytes());
  }

  string(): string {
    return this.bytes().toString('utf8');
  }

  private take<T>(wire: number, read: () => T): T {
    if (this.wire !== wire)
      throw new OtlpDecodeError(`field ${this.field}: wire type ${this.wire}, expected ${wire}`);
    this.consumed = true;
    return read();
  }
}

class WireReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.need(1)[0];
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    throw new OtlpDecodeError('varint longer than 10 bytes');
  }

  fixed64(): bigint {
    return this.need(8).readBigUInt64LE(0);
  }

  double(): number {
    return this.need(8).readDoubleLE(0);
  }

  bytes(): Buffer {
    return this.need(Number(this.varint()));
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.need(8);
    else if (wire === LENGTH_DELIMITED) this.bytes();
    else if (wire === FIXED32) this.need(4);
    else throw new OtlpDecodeError(`unsupported wire type ${wire}`);
  }

  private need(length: number): Buffer {
    if (length > this.buf.length - this.pos)
      throw new OtlpDecodeError(`truncated: ${length} bytes wanted at offset ${this.pos}`);
    const slice = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }
}

/** Calls `visit` for each field of the message in `buf`; what it does not read is skipped. */
function eachField(buf: Buffer, visit: (field: WireField) => void): void {
  const reader = new WireReader(buf);
  while (!reader.done) {
    const tag = reader.varint();
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (number === 0) throw new OtlpDecodeError('field number 0');
    const field = new WireField(number, wire, reader);
    visit(field);
    if (!field.consumed) reader.skip(wire);
  }
}

/** AnyValue: string_value=1, bool_value=2, int_value=3, double_value=4, array_value=5, kvlist_value=6, bytes_value=7. */
function anyValue(buf: Buffer): OtlpValue {
  let value: OtlpValue = null;
  eachField(buf, (f) => {
    if (f.field === 1) value = f.string();
    else if (f.field === 2) value = f.varint() !== 0n;
    else if (f.field === 3) value = int64Value(BigInt.asIntN(64, f.varint()));
    else if (f.field === 4) value = f.double();
    else if (f.field === 5) {
      // ArrayValue: values=1.
      const items: OtlpValue[] = [];
      eachField(f.bytes(), (g) => g.field === 1 && items.push(anyValue(g.bytes())));
      value = items;
    } else if (f.field === 6) {
      // KeyValueList: values=1 (KeyValue).
      const entries: OtlpAttributes = {};
      eachField(f.bytes(), (g) => g.field === 1 && keyValue(g.bytes(), entries));
      value = entries;
    } else if (f.field === 7) value = Buffer.from(f.bytes());
  });
  return value;
}

/** KeyValue: key=1, value=2. */
function keyValue(buf: Buffer, into: OtlpAttributes): void {
  let key = '';
  let value: OtlpValue = null;
  eachField(buf, (f) => {
    if (f.field === 1) key = f.string();
    else if (f.field === 2) value = anyValue(f.bytes());
  });
  into[key] = value;
}

function hexId(bytes: Buffer, length: number, what: string): string {
  if (bytes.length !== length)
    throw new OtlpDecodeError(`${what} is ${bytes.length} bytes, expected ${length}`);
  return bytes.toString('hex');
}

/** Span.Event: time_unix_nano=1 (fixed64), name=2, attributes=3. */
function spanEvent(buf: Buffer): ReceivedEvent {
  const event: ReceivedEvent = { name: '', timeUnixNano: 0n, attributes: {} };
  eachField(buf, (f) => {
    if (f.field === 1) event.timeUnixNano = f.fixed64();
    else if (f.field === 2) event.name = f.string();
    else if (f.field === 3) keyValue(f.bytes(), event.attributes);
  });
  return event;
}

/**
 * Span: trace_id=1, span_id=2, trace_state=3, parent_span_id=4, name=5, kind=6,
 * start_time_unix_nano=7 and end_time_unix_nano=8 (fixed64), attributes=9, events=11, status=15
 * (Status: message=2, code=3).
 */
function span(buf: Buffer, origin: SpanOrigin): ReceivedSpan {
  const out: ReceivedSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    status: { code: 0 },
    ...origin,
  };
  eachField(buf, (f) => {
    if (f.field === 1) out.traceId = hexId(f.bytes(), 16, 'trace_id');
    else if (f.field === 2) out.spanId = hexId(f.bytes(), 8, 'span_id');
    else if (f.field === 3) out.traceState = f.string();
    else if (f.field === 4) {
      const parent = f.bytes();
      out.parentSpanId = parent.length === 0 ? '' : hexId(parent, 8, 'parent_span_id');
    } else if (f.field === 5) out.name = f.string();
    else if (f.field === 6) out.kind = Number(f.varint());
    else if (f.field === 7) out.startTimeUnixNano = f.fixed64();
    else if (f.field === 8) out.endTimeUnixNano = f.fixed64();
    else if (f.field === 9) keyValue(f.bytes(), out.attributes);
    else if (f.field === 11) out.events.push(spanEvent(f.bytes()));
    else if (f.field === 15) {
      eachField(f.bytes(), (g) => {
        if (g.field === 2) out.status.message = g.string();
        else if (g.field === 3) out.status.code = Number(g.varint());
      });
    }
  });
  if (!out.traceId || !out.spanId) throw new OtlpDecodeError('a span without trace_id or span_id');
  return out;
}

/** ScopeSpans: scope=1 (InstrumentationScope: name=1), spans=2. */
function scopeSpans(buf: Buffer, resource: OtlpAttributes): ReceivedSpan[] {
  let scope = '';
  const spans: Buffer[] = [];
  eachField(buf, (f) => {
    if (f.field === 1) eachField(f.bytes(), (g) => g.field === 1 && (scope = g.string()));
    else if (f.field === 2) spans.push(f.bytes());
  });
  return spans.map((s) => span(s, { resource, scope }));
}

/** ResourceSpans: resource=1 (Resource: attributes=1), scope_spans=2. */
function resourceSpans(buf: Buffer): ReceivedSpan[] {
  const resource: OtlpAttributes = {};
  const scopes: Buffer[] = [];
  eachField(buf, (f) => {
    if (f.field === 1) eachField(f.bytes(), (g) => g.field === 1 && keyValue(g.bytes(), resource));
    else if (f.field === 2) scopes.push(f.bytes());
  });
  // Fields may come in any order: the resource is known only once the message is read.
  return scopes.flatMap((s) => scopeSpans(s, resource));
}

/**
 * Decodes a protobuf ExportTraceServiceRequest (resource_spans=1) into a flat list of spans.
 * @throws OtlpDecodeError when the bytes are not a well-formed request.
 */
export function decodeProtobufTraces(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  eachField(body, (f) => f.field === 1 && spans.push(...resourceSpans(f.bytes())));
  return spans;
}

/** A google.rpc.Status (code=1, message=2), the body OTLP/HTTP asks for on a 4xx in protobuf. */
export function encodeProtobufStatus(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const length: number[] = [];
  for (let n = text.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x08, code, 0x12, ...length]), text]);
}

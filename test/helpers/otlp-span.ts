/**
 * One span as the OTLP receiver (`otlp-receiver.ts`) decodes it, the same shape whichever encoding
 * (protobuf or JSON) carried it, so one assertion covers both exporters.
 */

/**
 * An OTLP AnyValue. An int64 is a number when it is a safe integer and a bigint beyond that (so
 * no digit is lost and it never reads as a string); bytes are a Buffer; an empty AnyValue is null.
 */
export type OtlpValue =
  string | number | bigint | boolean | null | Buffer | OtlpValue[] | { [key: string]: OtlpValue };

export type OtlpAttributes = Record<string, OtlpValue>;

export interface ReceivedEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: OtlpAttributes;
}

export interface ReceivedSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 lowercase hex digits, or '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** The OTLP enum: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: OtlpAttributes;
  events: ReceivedEvent[];
  /** The OTLP enum: 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  /** The resource's attributes (`service.name`, ...). */
  resource: OtlpAttributes;
  /** The instrumentation scope's name. */
  scope: string;
}

/** The scope and resource a span is decoded under, shared by both decoders. */
export interface SpanOrigin {
  resource: OtlpAttributes;
  scope: string;
}

/** Keeps an int64 exact: a number while it is safe, a bigint beyond. */
export function int64Value(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** A malformed export: the receiver answers 400 with this message. */
export class OtlpDecodeError extends Error {}

import { registerAs } from '@nestjs/config';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { ConfigError, Env, parseBoolean } from './validate-env';
import { readPemFile } from './pem-file';
import { quotedValue, withoutCredentials } from './secrets';

/** The OTLP encodings the gateway exports in (OTEL_EXPORTER_OTLP_PROTOCOL). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The samplers OTEL_TRACES_SAMPLER may name (the specification's, less the vendor ones). */
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/** The batch span processor's and the exporter's whole numbers (ms, spans): the SDK reads them once they pass here. */
function bspVariables(env: Env): Array<[string, string | undefined]> {
  return [
    ['OTEL_BSP_SCHEDULE_DELAY', env.OTEL_BSP_SCHEDULE_DELAY],
    ['OTEL_BSP_EXPORT_TIMEOUT', env.OTEL_BSP_EXPORT_TIMEOUT],
    ['OTEL_BSP_MAX_QUEUE_SIZE', env.OTEL_BSP_MAX_QUEUE_SIZE],
    ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', env.OTEL_EXPORTER_OTLP_TIMEOUT],
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT],
  ];
}

/** The exporter's body coding: what the SDK accepts. */
function compressionVariables(env: Env): Array<[string, string | undefined]> {
  return [
    ['OTEL_EXPORTER_OTLP_COMPRESSION', env.OTEL_EXPORTER_OTLP_COMPRESSION],
    ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION],
  ];
}

/**
 * Empty or blank counts as unset, as the SDK reads these variables (`FOO=` in a compose file means
 * the default): a value this check took for set would otherwise be one the SDK ignores.
 */
const set = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value;

type EndpointVariable = 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_EXPORTER_OTLP_ENDPOINT';

/** The endpoint the exporter uses: the traces one over the general one. */
function chosenEndpoint(env: Env): { variable: EndpointVariable; raw: string } | undefined {
  const traces = set(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (traces !== undefined) return { variable: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', raw: traces };
  const base = set(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  return base === undefined ? undefined : { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', raw: base };
}

/** One PEM file the exporter's TLS uses, and the variable that named it. */
export interface OtlpTlsFile {
  variable: string;
  path: string;
  pem: Buffer;
}

/** The exporter's TLS files: a private CA (which replaces the system CAs), a client certificate and its key. */
export type OtlpTls = Partial<Record<'ca' | 'cert' | 'key', OtlpTlsFile>>;

/** Each TLS option with its variables, the traces one over the general one, as the SDK reads them. */
const TLS_VARIABLES = [
  ['ca', 'OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE', 'OTEL_EXPORTER_OTLP_CERTIFICATE'],
  ['cert', 'OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE', 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'],
  ['key', 'OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY', 'OTEL_EXPORTER_OTLP_CLIENT_KEY'],
] as const;

/**
 * Reads the TLS files the exporter will read, from the working directory as the SDK does. The SDK
 * only warns of a file it cannot read and then exports without it, so every span would fail TLS
 * (or, for a client certificate, be refused) with nothing at start to say why: here a missing or
 * non-PEM file (readPemFile), or a certificate without its key, is a problem naming the variable.
 */
function readTlsFiles(env: Env, problems: string[]): OtlpTls {
  const tls: OtlpTls = {};
  const named: Partial<Record<keyof OtlpTls, string>> = {};
  for (const [option, traces, general] of TLS_VARIABLES) {
    const variable = set(env[traces]) !== undefined ? traces : general;
    const path = set(env[variable]);
    if (path === undefined) continue;
    named[option] = variable;
    const pem = readPemFile(variable, path, problems);
    if (pem) tls[option] = { variable, path, pem };
  }
  if ((named.cert === undefined) !== (named.key === undefined))
    problems.push(
      `${named.cert ?? named.key}: a client certificate and its key go together: set both OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY`,
    );
  return tls;
}

export const DEFAULT_SERVICE_NAME = 'oneaccess-bff';

function endpointProblem(name: string, raw: string): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
  } catch {
    // reported below
  }
  return `${name}: must be an http(s) URL of an OTLP/HTTP receiver${quotedValue(name, raw)}`;
}

/** `key=value,key2=value2` (W3C baggage format, values percent-encoded), as the SDK parses it. */
function headersProblem(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const ok = raw
    .split(',')
    .filter((p) => p.trim() !== '')
    .every((pair) => /^\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=/.test(pair));
  // A header value is a credential more often than not: the problem never quotes it.
  return ok ? undefined : `${name}: must be a list of name=value pairs separated by commas`;
}

/**
 * OpenTelemetry tracing (docs/api.md section 7). The standard OTEL_* variables, checked here so a
 * typo fails the start with the variable's name rather than being ignored by the SDK with a
 * diagnostic nobody reads. Tracing is on when an OTLP endpoint is set and OTEL_SDK_DISABLED is
 * not true. The SDK reads the variables itself (tracing-sdk.ts); this only decides whether to
 * start it, and in which encoding, and describes it for the start line.
 */
export function loadTracingConfig(env: Env = process.env) {
  const problems: string[] = [];
  const disabled = parseBoolean('OTEL_SDK_DISABLED', set(env.OTEL_SDK_DISABLED), false, problems);
  for (const name of [
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
  ] as const) {
    const raw = set(env[name]);
    const problem = raw === undefined ? undefined : endpointProblem(name, raw);
    if (problem) problems.push(problem);
  }
  const tracesProtocol = set(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL);
  const protocolName = tracesProtocol
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = tracesProtocol ?? set(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol))
    problems.push(
      protocol === 'grpc'
        ? `${protocolName}: grpc is not supported; use http/protobuf (a collector's port 4318)`
        : `${protocolName}: must be one of ${OTLP_PROTOCOLS.join(', ')}${quotedValue(protocolName, protocol)}`,
    );
  for (const [name, raw] of [
    ['OTEL_EXPORTER_OTLP_HEADERS', set(env.OTEL_EXPORTER_OTLP_HEADERS)],
    ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', set(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS)],
  ] as const) {
    const problem = headersProblem(name, raw);
    if (problem) problems.push(problem);
  }
  const sampler = set(env.OTEL_TRACES_SAMPLER) ?? 'parentbased_always_on';
  if (!SAMPLERS.includes(sampler))
    problems.push(
      `OTEL_TRACES_SAMPLER: must be one of ${SAMPLERS.join(', ')}${quotedValue('OTEL_TRACES_SAMPLER', sampler)}`,
    );
  const samplerArg = set(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = samplerArg === undefined ? 1 : Number(samplerArg);
  if (sampler.endsWith('traceidratio') && !(ratio >= 0 && ratio <= 1))
    problems.push(
      `OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1${quotedValue('OTEL_TRACES_SAMPLER_ARG', samplerArg)}`,
    );
  for (const [name, value] of bspVariables(env)) {
    const raw = set(value);
    if (raw !== undefined && !/^[1-9][0-9]*$/.test(raw))
      problems.push(`${name}: must be a whole number above 0${quotedValue(name, raw)}`);
  }
  for (const [name, value] of compressionVariables(env)) {
    const raw = set(value);
    if (raw !== undefined && raw !== 'gzip' && raw !== 'none')
      problems.push(`${name}: must be gzip or none${quotedValue(name, raw)}`);
  }
  readTlsFiles(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const endpoint = chosenEndpoint(env)?.raw;
  return {
    enabled: endpoint !== undefined && !disabled,
    /** Where spans go, credentials cut out (it is shown on the start line). */
    endpoint: endpoint === undefined ? null : withoutCredentials(endpoint),
    protocol: protocol as OtlpProtocol,
    serviceName: set(env.OTEL_SERVICE_NAME) ?? DEFAULT_SERVICE_NAME,
    sampler: sampler.endsWith('traceidratio') ? `${sampler} ${ratio}` : sampler,
  };
}

/** Where the exporter posts spans and what it sends: secrets, see {@link loadTracesExport}. */
export interface TracesExport {
  /** The traces URL, credentials included, as the exporter posts to it. */
  url: string;
  /** The variable that URL came from. */
  urlVariable: EndpointVariable;
  /** The configured headers, values percent-decoded. */
  headers: Record<string, string>;
  /** The variables the headers came from (none, one or both), for a message naming them. */
  headerVariables: string[];
  /** The exporter's TLS files, read; the key among them is a secret. */
  tls: OtlpTls;
}

const HEADER_VARIABLES = [
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
] as const;

/**
 * The export the SDK would make, worked out from the variables as its exporter does
 * (`@opentelemetry/otlp-exporter-base`): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else
 * OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`; the traces headers over the general ones, parsed by
 * the SDK's own parser; the TLS files it reads. For the doctor's probe, which must post where and
 * as the gateway would. It holds secrets (an API key, credentials in the URL, a client key): never
 * print it.
 * @returns null when tracing is off.
 * @throws ConfigError when a tracing variable is invalid.
 */
export function loadTracesExport(env: Env): TracesExport | null {
  if (!loadTracingConfig(env).enabled) return null;
  // Enabled, so an endpoint is set (and a valid URL).
  const { variable, raw } = chosenEndpoint(env)!;
  const headerVariables = HEADER_VARIABLES.filter((name) => set(env[name]) !== undefined);
  return {
    url:
      variable === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
        ? new URL(raw).toString()
        : `${raw.endsWith('/') ? raw : `${raw}/`}v1/traces`,
    urlVariable: variable,
    headers: Object.assign(
      {},
      ...headerVariables.map((name) => parseKeyPairsIntoRecord(env[name])),
    ) as Record<string, string>,
    headerVariables,
    tls: readTlsFiles(env, []),
  };
}

export const tracingConfig = registerAs('tracing', () => loadTracingConfig(process.env));
export type TracingConfig = ReturnType<typeof loadTracingConfig>;

import {
  DEFAULT_FORWARDED_HEADERS,
  neverForwarded,
  TRACE_CONTEXT_HEADERS,
} from './relay-header-names';

/** Which credential the relay attaches for a route (contract section 5). */
export type RouteCredential = 'id_token' | 'access_token' | 'none';

export interface ApiRoute {
  name: string;
  target: URL;
  /** The target's path without trailing slashes, to which relayed paths are appended. */
  basePath: string;
  token: RouteCredential;
  /** Methods the route accepts (docs/security.md 36); others answer 404. */
  methods: ReadonlySet<string>;
  /** Bound on the upstream's answer (headers) and on each pause in its body. */
  timeoutMs: number;
  /** Size of the route's own connection pool: one busy route cannot starve the others. */
  maxConnections: number;
  /** Browser request headers forwarded (lower case): the defaults plus `forward_headers`. */
  forwardHeaders: ReadonlySet<string>;
  /** Whether `GET` upgrades to a WebSocket are relayed too (docs/api.md section 5). */
  websocket: boolean;
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
export const DEFAULT_ROUTE_TIMEOUT_MS = 30_000;
export const DEFAULT_ROUTE_MAX_CONNECTIONS = 64;
const MAX_ROUTE_CONNECTIONS = 4096;
const KNOWN_KEYS = [
  'target',
  'token',
  'methods',
  'timeout_ms',
  'max_connections',
  'forward_headers',
  'websocket',
];
/** RFC 9110 token characters, lower case (names are compared in lower case). */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

/** The known key `key` most likely meant (`timeout` -> `timeout_ms`), or undefined. */
function nearestKey(key: string): string | undefined {
  const k = key
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-\s]/g, '_');
  return KNOWN_KEYS.find(
    (known) =>
      known === k ||
      known.startsWith(k) ||
      k.startsWith(known) ||
      known.split('_')[0] === k.split('_')[0],
  );
}

function checkKeys(where: string, spec: object, problems: string[]): void {
  for (const key of Object.keys(spec)) {
    if (KNOWN_KEYS.includes(key)) continue;
    const near = nearestKey(key);
    problems.push(
      `${where}: unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; known keys: ${KNOWN_KEYS.join(', ')}`,
    );
  }
}

function parseForwardHeaders(where: string, raw: unknown, problems: string[]): Set<string> {
  const names = new Set(DEFAULT_FORWARDED_HEADERS);
  if (raw === undefined) return names;
  if (
    !Array.isArray(raw) ||
    raw.some((h) => typeof h !== 'string' || !HEADER_NAME.test(h.toLowerCase()))
  ) {
    problems.push(`${where}.forward_headers: must be a list of header names`);
    return names;
  }
  for (const header of raw as string[]) {
    const name = header.toLowerCase();
    if (TRACE_CONTEXT_HEADERS.has(name))
      problems.push(
        `${where}.forward_headers: "${header}" is trace context, which the gateway sets itself: a trusted proxy's trace is continued, a browser's never (docs/api.md section 7)`,
      );
    else if (neverForwarded(name))
      problems.push(
        `${where}.forward_headers: "${header}" is an identity, routing, credential or hop-by-hop header and is never forwarded`,
      );
    else names.add(name);
  }
  return names;
}

function integerIn(
  where: string,
  value: unknown,
  min: number,
  max: number,
  problems: string[],
): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    problems.push(`${where}: must be an integer from ${min} to ${max}`);
  return value as number;
}

/**
 * Parses API_ROUTES (contract section 8): `{ "<name>": { "target", "token", "methods",
 * "timeout_ms", "max_connections", "forward_headers", "websocket" } }`, appending one problem per mistake,
 * unknown keys included (a misspelt `timeout` must not silently mean the default).
 */
export function parseRoutes(value: unknown, problems: string[]): ApiRoute[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(
      'API_ROUTES: must be an object of { "<name>": { "target": "http://...", "token": "id_token" } }',
    );
    return [];
  }
  const routes: ApiRoute[] = [];
  for (const [name, spec] of Object.entries(value as Record<string, unknown>)) {
    const where = `API_ROUTES.${name}`;
    if (!/^[a-z0-9-]+$/.test(name)) problems.push(`${where}: the name must match [a-z0-9-]+`);
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      problems.push(`${where}: must be an object like { "target": "http://..." }`);
      continue;
    }
    checkKeys(where, spec, problems);
    const s = spec as Record<string, unknown>;
    let target: URL | undefined;
    try {
      target = new URL(String(s.target));
    } catch {
      problems.push(`${where}.target: must be an absolute http(s) URL`);
    }
    if (
      target &&
      (!/^https?:$/.test(target.protocol) || target.search || target.hash || target.username)
    ) {
      problems.push(
        `${where}.target: must be an http(s) URL without query, fragment or credentials`,
      );
    }
    const token = s.token ?? 'id_token';
    if (token !== 'id_token' && token !== 'access_token' && token !== 'none') {
      problems.push(`${where}.token: must be id_token, access_token or none`);
    }
    const methods = s.methods ?? ALL_METHODS;
    if (
      !Array.isArray(methods) ||
      methods.some((m) => typeof m !== 'string' || !ALL_METHODS.includes(m.toUpperCase()))
    ) {
      problems.push(`${where}.methods: must be a list of ${ALL_METHODS.join(', ')}`);
    }
    const timeoutMs = s.timeout_ms ?? DEFAULT_ROUTE_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || (timeoutMs as number) < 100)
      problems.push(`${where}.timeout_ms: must be an integer >= 100`);
    const maxConnections = integerIn(
      `${where}.max_connections`,
      s.max_connections ?? DEFAULT_ROUTE_MAX_CONNECTIONS,
      1,
      MAX_ROUTE_CONNECTIONS,
      problems,
    );
    const forwardHeaders = parseForwardHeaders(where, s.forward_headers, problems);
    const websocket = s.websocket ?? false;
    if (typeof websocket !== 'boolean') problems.push(`${where}.websocket: must be true or false`);
    if (target) {
      routes.push({
        name,
        target,
        basePath: target.pathname.replace(/\/+$/, ''),
        token: token as RouteCredential,
        methods: new Set(
          (Array.isArray(methods) ? methods : ALL_METHODS).map((m) => String(m).toUpperCase()),
        ),
        timeoutMs: timeoutMs as number,
        maxConnections,
        forwardHeaders,
        websocket: websocket === true,
      });
    }
  }
  return routes;
}

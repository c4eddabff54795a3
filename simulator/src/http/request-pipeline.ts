import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatMessage, MESSAGES } from '../errors/messages';
import { OAuthError, OneAccessError } from '../errors/sim-errors';
import type { SimulatorCore } from '../simulator-core';
import { NOTABLE_HEADERS } from '../state/journal';
import { json, type Reply } from './reply';
import type { RequestContext } from './request-context';
import type { RouteFamily, Router } from './router';
import { applyWireVariants } from './wire-variants';

const MAX_BODY_BYTES = 1024 * 1024;

/** Timers of requests held back by the `slow` failure mode, cleared on close. */
export type PendingTimers = Set<NodeJS.Timeout>;

/**
 * Handles one request: control gating, failure modes, SDK header checks, the route handler, the
 * mapping of errors to bodies, and the journal/log line. Never throws.
 */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  sim: SimulatorCore,
  router: Router,
  timers: PendingTimers,
): Promise<void> {
  const startedAt = Date.now();
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const match = router.match(method, path);
  const family: RouteFamily | undefined =
    match.kind === 'found'
      ? match.route.family
      : match.kind === 'wrong-method'
        ? match.family
        : undefined;
  const isControl = path.startsWith('/__sim/');

  if (isControl && !sim.config.control) {
    write(res, notFound(path, 404));
    return;
  }

  if (!isControl && sim.config.latencyMs > 0) await sleep(sim.config.latencyMs, timers);

  if (!isControl && sim.failureApplies(path)) {
    if (sim.failure.mode === 'down') {
      req.socket.destroy();
      record(sim, { method, path, status: 0, startedAt, req });
      return;
    }
    if (sim.failure.mode === 'slow') await sleep(sim.failure.delayMs, timers);
    if (sim.failure.mode === 'error500') {
      const reply =
        family === 'oauth'
          ? json({ error: 'server_error', error_description: 'System busy' }, 500)
          : errorReply(new OneAccessError('SYSTEM_BUSY', [], 500), langOf(req));
      finish(res, reply, sim, { method, path, startedAt, req });
      return;
    }
  }

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch {
    finish(res, errorReply(new OneAccessError('PARAM_INVALID', ['body']), langOf(req)), sim, {
      method,
      path,
      startedAt,
      req,
    });
    return;
  }

  let reply: Reply;
  if (match.kind !== 'found') {
    reply = notFound(path, match.kind === 'wrong-method' ? 405 : 404);
  } else {
    const ctx: RequestContext = {
      req,
      method,
      path,
      query: url.searchParams,
      params: match.params,
      body,
      lang: langOf(req),
      sim,
      header: (name) => headerValue(req, name),
    };
    try {
      if (match.route.family === 'sdk') assertSdkHeaders(ctx);
      if (match.route.family === 'sdk' || match.route.family === 'tenant') assertTenant(ctx);
      reply = await match.route.handler(ctx);
    } catch (err) {
      reply = toErrorReply(err, match.route.family, ctx.lang, sim);
    }
    reply = applyWireVariants(reply, match.route.family, sim.config);
  }
  // Control calls stay out of the journal and the log: they are the test's, not the gateway's.
  if (isControl) write(res, reply);
  else finish(res, reply, sim, { method, path, startedAt, req });
}

/**
 * The common SDK headers (§2.2).
 * @throws OneAccessError CLIENT_ID_REQUIRED (PARAM.0002), APP_NOT_FOUND (APP.0001) for another
 *   client, DEVICE_INCOMPLETE (PARAM.0001) when a mandatory device header is missing.
 */
function assertSdkHeaders(ctx: RequestContext): void {
  const clientId = ctx.header('x-client-id');
  if (!clientId) throw new OneAccessError('CLIENT_ID_REQUIRED');
  if (clientId !== ctx.sim.config.clientId) throw new OneAccessError('APP_NOT_FOUND');
  for (const name of ['x-operating-sys-version', 'x-device-fingerprint', 'x-agent']) {
    if (!ctx.header(name)) throw new OneAccessError('DEVICE_INCOMPLETE');
  }
}

/** A configured tenant id must match `X-tenant-id` whenever the header is sent (guess: APP.0001). */
function assertTenant(ctx: RequestContext): void {
  const tenantId = ctx.header('x-tenant-id');
  if (ctx.sim.config.tenantId && tenantId !== undefined && tenantId !== ctx.sim.config.tenantId) {
    throw new OneAccessError('APP_NOT_FOUND');
  }
}

function toErrorReply(
  err: unknown,
  family: RouteFamily,
  lang: 'en' | 'zh',
  sim: SimulatorCore,
): Reply {
  if (err instanceof OAuthError) {
    const headers: Record<string, string> =
      err.status === 401 ? { 'www-authenticate': `Bearer error="${err.error}"` } : {};
    return json({ error: err.error, error_description: err.description }, err.status, headers);
  }
  if (err instanceof OneAccessError) return errorReply(err, lang);
  sim.config.logger?.(
    `simulator error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  return family === 'oauth'
    ? json({ error: 'server_error', error_description: 'System busy' }, 500)
    : errorReply(new OneAccessError('SYSTEM_BUSY', [], 500), lang);
}

function errorReply(err: OneAccessError, lang: 'en' | 'zh'): Reply {
  return json(
    { error_code: MESSAGES[err.key].code, error_msg: formatMessage(err.key, err.params, lang) },
    err.status,
  );
}

/** Spring Boot's default body for unknown paths (the real service runs on Spring). */
function notFound(path: string, status: 404 | 405): Reply {
  return json(
    {
      timestamp: new Date().toISOString(),
      status,
      error: status === 404 ? 'Not Found' : 'Method Not Allowed',
      path,
    },
    status,
  );
}

function langOf(req: IncomingMessage): 'en' | 'zh' {
  return (headerValue(req, 'x-l') ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number, timers: PendingTimers): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

function write(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  const body = reply.body ?? '';
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

interface CallInfo {
  method: string;
  path: string;
  startedAt: number;
  req: IncomingMessage;
}

function finish(res: ServerResponse, reply: Reply, sim: SimulatorCore, call: CallInfo): void {
  write(res, reply);
  record(sim, { ...call, status: reply.status, error: errorCodeOf(reply) });
}

function record(sim: SimulatorCore, call: CallInfo & { status: number; error?: string }): void {
  const duration = Date.now() - call.startedAt;
  sim.journal.add({
    method: call.method,
    path: call.path,
    status: call.status,
    at: new Date(call.startedAt).toISOString(),
    duration_ms: duration,
    headers: NOTABLE_HEADERS.filter((name) => call.req.headers[name] !== undefined),
    ...(typeof call.req.headers['x-device-ip'] === 'string'
      ? { device_ip: call.req.headers['x-device-ip'] }
      : {}),
    ...(typeof call.req.headers.traceparent === 'string'
      ? { traceparent: call.req.headers.traceparent }
      : {}),
    ...(call.error ? { error: call.error } : {}),
  });
  // Path only: query strings can carry codes and tokens, and values never reach the log.
  sim.config.logger?.(`${call.method} ${call.path} ${call.status || 'dropped'} ${duration}ms`);
}

function errorCodeOf(reply: Reply): string | undefined {
  if (reply.status < 400 || typeof reply.body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(reply.body) as { error_code?: string; error?: string };
    return parsed.error_code ?? parsed.error;
  } catch {
    return undefined;
  }
}

import { RUNTIME_KEYS, validateOptions, type ResolvedOptions } from '../config/options';
import { empty, json, type Reply } from '../http/reply';
import type { RequestContext } from '../http/request-context';
import type { Router } from '../http/router';
import { prepareForeignKey } from '../sessions/id-token-issuer';
import { FAILURE_MODES, type FailureMode } from '../simulator-core';

/**
 * Development-only endpoints under `/__sim/`, answered only when the `control` option is on
 * (otherwise 404 like any unknown path). Bodies are JSON; errors are `{error}`.
 */
export function registerControlRoutes(router: Router): void {
  router.add('GET', '/__sim/sms/outbox', 'control', (ctx) =>
    json(ctx.sim.state.sms.outbox(ctx.query.get('mobile') ?? undefined)),
  );

  router.add('GET', '/__sim/captcha/:token', 'control', (ctx) => {
    const answer = ctx.sim.state.captchas.answer(ctx.params.token);
    return answer
      ? json(answer)
      : json({ error: 'unknown, expired or already tried captcha' }, 404);
  });

  router.add('GET', '/__sim/lockout', 'control', (ctx) => {
    const userName = ctx.query.get('user_name');
    if (!userName) return badRequest('user_name is required');
    return json(ctx.sim.state.lockout.status(userName));
  });

  router.add('GET', '/__sim/journal', 'control', (ctx) => json(ctx.sim.journal.list()));
  router.add('DELETE', '/__sim/journal', 'control', (ctx) => {
    ctx.sim.journal.clear();
    return empty(204);
  });

  router.add('GET', '/__sim/failure', 'control', (ctx) => json(failureBody(ctx)));
  router.add('POST', '/__sim/failure', 'control', (ctx) => {
    const body = controlBody(ctx);
    if (!body) return badRequest('body must be a JSON object');
    const mode = body.mode as FailureMode;
    if (!FAILURE_MODES.includes(mode))
      return badRequest(`mode must be one of ${FAILURE_MODES.join(', ')}`);
    const delayMs = body.delay_ms ?? 0;
    if (typeof delayMs !== 'number' || delayMs < 0)
      return badRequest('delay_ms must be a non-negative number');
    const paths = body.paths;
    if (
      paths !== undefined &&
      (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string'))
    ) {
      return badRequest('paths must be an array of path prefixes');
    }
    ctx.sim.failure = { mode, delayMs, paths: paths as string[] | undefined };
    return json(failureBody(ctx));
  });

  router.add('GET', '/__sim/config', 'control', (ctx) => json(runtimeConfig(ctx.sim.config)));
  router.add('PATCH', '/__sim/config', 'control', async (ctx) => {
    const body = controlBody(ctx);
    if (!body) return badRequest('body must be a JSON object');
    const unknown = Object.keys(body).filter(
      (key) => key !== 'lifetimes' && !(RUNTIME_KEYS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) return badRequest(`not changeable at run time: ${unknown.join(', ')}`);
    const lifetimes = body.lifetimes ?? {};
    if (typeof lifetimes !== 'object' || lifetimes === null || Array.isArray(lifetimes))
      return badRequest('lifetimes must be an object');
    const next = {
      ...ctx.sim.config,
      ...body,
      lifetimes: { ...ctx.sim.config.lifetimes, ...lifetimes },
    } as ResolvedOptions;
    const problems = validateOptions(next);
    if (problems.length > 0) return badRequest(problems.join('; '));
    if (next.oauthIdTokenFault === 'foreign-key') await prepareForeignKey();
    Object.assign(ctx.sim.config, next);
    return json(runtimeConfig(ctx.sim.config));
  });

  router.add('POST', '/__sim/reset', 'control', (ctx) => {
    ctx.sim.reset();
    return empty(204);
  });

  router.add('POST', '/__sim/oauth/rotate-key', 'control', async (ctx) =>
    json({ kid: await ctx.sim.rotateIdTokenKey() }),
  );

  router.add('GET', '/__sim/issued-tokens', 'control', (ctx) =>
    json({ tokens: ctx.sim.state.issued.list() }),
  );
}

function controlBody(ctx: RequestContext): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = ctx.body.length === 0 ? {} : JSON.parse(ctx.body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function failureBody(ctx: RequestContext): Record<string, unknown> {
  const { mode, delayMs, paths } = ctx.sim.failure;
  return { mode, delay_ms: delayMs, ...(paths ? { paths } : {}) };
}

function runtimeConfig(config: ResolvedOptions): Record<string, unknown> {
  const entries: [string, unknown][] = [
    ['lifetimes', config.lifetimes],
    ...RUNTIME_KEYS.map((key): [string, unknown] => [key, config[key]]),
  ];
  return Object.fromEntries(entries);
}

function badRequest(error: string): Reply {
  return json({ error }, 400);
}

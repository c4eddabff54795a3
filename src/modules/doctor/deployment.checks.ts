import { Agent } from 'undici';
import type { AppConfig } from '../../config/app.config';
import type { ApiRoute } from '../../config/upstreams.config';
import { describeNetworkError, fetchOnce } from './doctor-http';
import { CheckResult, fail, ok, warn } from './doctor.types';

/**
 * The doctor's wait for one relay target: enough to tell "answers" from "nothing there"; a
 * route's own timeout_ms (how long the relay waits for a slow answer) may be minutes.
 */
const TARGET_TIMEOUT_MS = 5000;

/**
 * `api-routes`: each API_ROUTES target answers a GET of its base path. Any HTTP answer, even a
 * 404 or a 401, proves the relay can reach it; a refused connection, a timeout or a certificate
 * the gateway does not trust is what the relay would turn into 502/504 for every call.
 */
export async function checkApiRoutes(routes: ApiRoute[]): Promise<CheckResult> {
  const name = 'api-routes';
  if (routes.length === 0) return ok(name, 'none configured (API_ROUTES): nothing is relayed');
  const dispatcher = new Agent({ connect: { timeout: TARGET_TIMEOUT_MS } });
  try {
    const outcomes = await Promise.all(
      routes.map(async (route) => {
        const timeoutMs = Math.min(route.timeoutMs, TARGET_TIMEOUT_MS);
        try {
          const { status } = await fetchOnce(dispatcher, route.target.href, timeoutMs);
          return { route, answer: `HTTP ${status}` };
        } catch (err) {
          return { route, error: describeNetworkError(err) };
        }
      }),
    );
    const failed = outcomes.filter((o) => o.error !== undefined);
    if (failed.length > 0) {
      const what = failed.map((o) => `${o.route.name} (${o.route.target.href}): ${o.error}`);
      return fail(
        name,
        `${what.join('; ')}: the relay would answer 502/504 on these routes; fix the target in API_ROUTES or the network`,
      );
    }
    return ok(
      name,
      outcomes
        .map((o) => `${o.route.name} answers (${o.answer} at ${o.route.target.href})`)
        .join(', '),
    );
  } finally {
    await dispatcher.close();
  }
}

/**
 * `trust-proxy`: whether forwarded headers are expected, and TRUST_PROXY says whom to believe.
 * The gateway itself listens plain http only, so an https PUBLIC_ORIGIN means a proxy ends TLS
 * in front of it, and a BASE_PATH means a proxy mounts it under a prefix. Behind a proxy without
 * TRUST_PROXY, every client has the proxy's address: the per-address rate limits are shared by
 * all users, and logs, audit and OneAccess see the proxy. A warning, not a failure: the gateway
 * still works, only with every client seen as the proxy.
 */
export function checkTrustProxy(app: AppConfig): CheckResult {
  const name = 'trust-proxy';
  const signals: string[] = [];
  if (app.publicOrigin.startsWith('https:'))
    signals.push('PUBLIC_ORIGIN is https while the gateway listens plain http');
  if (app.basePath) signals.push(`BASE_PATH is ${app.basePath}`);
  const trust = app.trustProxy;
  if (trust !== false && trust !== 0) {
    const whom = Array.isArray(trust) ? trust.join(', ') : String(trust);
    return ok(name, `TRUST_PROXY ${whom}: client addresses come from X-Forwarded-For set by it`);
  }
  if (signals.length === 0)
    return ok(name, 'no proxy expected (PUBLIC_ORIGIN is http, no BASE_PATH); TRUST_PROXY unset');
  return warn(
    name,
    `${signals.join(' and ')}, so a proxy is in front, but TRUST_PROXY is unset: every client would have the proxy's address (per-address rate limits shared by all users; logs, audit and OneAccess see the proxy); set TRUST_PROXY to the proxy's address (e.g. loopback or 10.0.0.5)`,
  );
}

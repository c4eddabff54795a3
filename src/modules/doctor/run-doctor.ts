import { loadAppConfig } from '../../config/app.config';
import { loadDoctorConfig } from '../../config/doctor.config';
import { loadOneAccessConfig } from '../../config/oneaccess.config';
import { loadRedisConfig } from '../../config/redis.config';
import { loadTracesExport, loadTracingConfig } from '../../config/tracing.config';
import { loadUpstreamsConfig } from '../../config/upstreams.config';
import { Env, isProduction } from '../../config/validate-env';
import { checkConfig, loadFor } from './config.check';
import { checkApiRoutes, checkTrustProxy } from './deployment.checks';
import { CheckResult, fail, warn } from './doctor.types';
import { checkDiscoveryAndJwks, checkRedirectUri } from './oidc.checks';
import { checkPublicKey, checkReachableAndClock, checkTenantToken } from './oneaccess.checks';
import { OneAccessProbe } from './oneaccess-probe';
import { checkRedis } from './redis.check';
import { checkTracing } from './tracing.check';

/** The checks after `oneaccess` that need OneAccess to answer. */
const ONEACCESS_DEPENDENTS = [
  'public-key',
  'tenant-token',
  'oidc-discovery',
  'jwks',
  'oauth-redirect-uri',
];

/**
 * Every check of `npm run doctor`, in order, against the configuration in `env` and the live
 * Redis, OneAccess and OTLP receiver it names. Never serves, never writes to Redis or OneAccess
 * (a tenant token is issued, which revokes nothing); the receiver gets an export of no spans.
 */
export async function runDoctor(env: Env): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkConfig(env)];
  results.push(...(await checkRedis(loadFor(() => loadRedisConfig(env)))));
  results.push(...(await checkOneAccess(env)));
  results.push(...(await checkDeployment(env)));
  const tracing = loadFor(() => loadTracingConfig(env));
  results.push(
    tracing
      ? await checkTracing(tracing, loadTracesExport(env))
      : fail('tracing', 'not checked: fix the OTEL_* variables first (see config)'),
  );
  return results;
}

/** The relay's targets and the proxy in front: what the gateway depends on besides OneAccess. */
async function checkDeployment(env: Env): Promise<CheckResult[]> {
  const upstreams = loadFor(() => loadUpstreamsConfig(env));
  const app = loadFor(() => loadAppConfig(env));
  return [
    upstreams
      ? await checkApiRoutes([...upstreams.routes.values()])
      : fail('api-routes', 'not checked: fix API_ROUTES first (see config)'),
    app
      ? checkTrustProxy(app)
      : fail(
          'trust-proxy',
          'not checked: fix PUBLIC_ORIGIN / BASE_PATH / TRUST_PROXY first (see config)',
        ),
  ];
}

async function checkOneAccess(env: Env): Promise<CheckResult[]> {
  const app = loadFor(() => loadAppConfig(env));
  const cfg = loadFor(() => loadOneAccessConfig(env));
  const doctor = loadFor(() => loadDoctorConfig(env));
  if (!app || !cfg || !doctor) {
    return [
      fail(
        'oneaccess',
        'not checked: fix the ONEACCESS_* / OAUTH_* / PUBLIC_ORIGIN variables first (see config)',
      ),
    ];
  }
  const probe = OneAccessProbe.fromConfig(cfg, isProduction(env));
  if (!probe) {
    return [
      warn(
        'oneaccess',
        'ONEACCESS_BASE_URL unset: the gateway would start its embedded simulator (development only); nothing to check',
      ),
    ];
  }
  try {
    const { results, reachable } = await checkReachableAndClock(probe);
    if (!reachable) {
      return [
        ...results,
        ...ONEACCESS_DEPENDENTS.map((n) => fail(n, 'not checked: OneAccess unreachable')),
      ];
    }
    const settings = {
      jwksUrl: doctor.jwksUrl,
      // As the OAuth login service sends it (docs/api.md section 8, OAUTH_SCOPE).
      redirectUri: `${app.publicOrigin}${app.basePath}/auth/oauth/callback`,
      scope: cfg.oauthScope,
    };
    results.push(await checkPublicKey(probe));
    results.push(await checkTenantToken(probe));
    results.push(...(await checkDiscoveryAndJwks(probe, settings)));
    results.push(await checkRedirectUri(probe, settings));
    return results;
  } finally {
    await probe.close();
  }
}

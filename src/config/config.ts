import { loadAppConfig, appConfig } from './app.config';
import { demoConfig, loadDemoConfig } from './demo.config';
import { docsConfig, loadDocsConfig } from './docs.config';
import { loadLoggingConfig, loggingConfig } from './logging.config';
import { loadOneAccessConfig, oneAccessConfig } from './oneaccess.config';
import { loadRedisConfig, redisConfig } from './redis.config';
import { loadSecurityConfig, securityConfig } from './security.config';
import { loadServerConfig, serverConfig } from './server.config';
import { loadSessionConfig, sessionConfig } from './session.config';
import { loadSpaConfig, spaConfig } from './spa.config';
import { loadTracingConfig, tracingConfig } from './tracing.config';
import { loadUpstreamsConfig, upstreamsConfig } from './upstreams.config';
import { ConfigError, collectProblems, Env } from './validate-env';

/** Every config namespace, for `ConfigModule.forRoot({ load })`. */
export const allConfigs = [
  appConfig,
  serverConfig,
  sessionConfig,
  redisConfig,
  oneAccessConfig,
  upstreamsConfig,
  demoConfig,
  spaConfig,
  docsConfig,
  securityConfig,
  loggingConfig,
  tracingConfig,
];

/**
 * Validates every namespace at once, before Nest starts, so one failed start names every bad
 * variable instead of the first namespace's.
 * @throws ConfigError
 */
export function assertValidEnvironment(env: Env = process.env): void {
  const problems = environmentProblems(env);
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Every problem of every namespace in `env`; none when it would start. */
export function environmentProblems(env: Env): string[] {
  return collectProblems(
    [
      loadAppConfig,
      loadServerConfig,
      loadSessionConfig,
      loadRedisConfig,
      loadOneAccessConfig,
      loadUpstreamsConfig,
      loadDemoConfig,
      loadSpaConfig,
      loadDocsConfig,
      loadSecurityConfig,
      loadLoggingConfig,
      loadTracingConfig,
    ].map((load) => () => load(env)),
  );
}

/** Where the test helpers find the programs the suites start (see test-prerequisites.js). */
export function locate(
  name: 'redis-server' | 'nginx' | 'chromium' | 'openssl',
  env?: Record<string, string | undefined>,
): string | undefined;

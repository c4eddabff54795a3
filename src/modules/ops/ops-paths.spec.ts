import { isOpsPath } from './ops-paths';

describe('isOpsPath', () => {
  it('should claim the probes, metrics and docs, with or without a query', () => {
    for (const path of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/metrics?x=1',
      '/openapi.json',
      '/docs',
      '/docs/swagger-ui.css',
    ])
      expect({ path, ops: isOpsPath(path) }).toEqual({ path, ops: true });
  });

  it('should leave every browser path to the main port', () => {
    for (const path of ['/', '/auth/session', '/api/orders/metrics', '/docsx', '/healthz/x'])
      expect({ path, ops: isOpsPath(path) }).toEqual({ path, ops: false });
  });
});

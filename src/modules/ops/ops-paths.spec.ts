import fc from 'fast-check';
import { spellingOf } from '../../../test/helpers/path-spellings';
import { canonicalPath } from '../../common/http/canonical-path';
import { isOpsPath } from './ops-paths';

/** The ops guard as the listeners apply it (bootstrap.ts): on the canonical path. */
const guarded = (url: string, basePath = '') => isOpsPath(canonicalPath(url, basePath));

const OPS = ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/docs/swagger-ui.css'];

describe('isOpsPath', () => {
  it('should claim the probes, metrics and docs, with or without a query', () => {
    for (const path of [...OPS, '/metrics?x=1'])
      expect({ path, ops: guarded(path) }).toEqual({ path, ops: true });
  });

  it('should claim every spelling Express or a proxy would serve as one of them', () => {
    for (const path of [
      '/METRICS',
      '/metrics/',
      '/Readyz',
      '/healthz/',
      '/DOCS',
      '/Docs/',
      '/OPENAPI.JSON',
      '/openapi.json/',
      '/%6detrics',
      '/%6Detrics',
      '//metrics',
      '/./metrics',
      '/auth/../metrics',
      '/auth/%2e%2e/metrics',
      '/auth/..%2fmetrics',
      '/docs//swagger-ui.css',
    ])
      expect({ path, ops: guarded(path) }).toEqual({ path, ops: true });
  });

  it('should leave every browser path to the main port', () => {
    for (const path of [
      '/',
      '/auth/session',
      '/api/orders/metrics',
      '/docsx',
      '/healthz/x',
      '/%256detrics',
      '/metrics/..',
    ])
      expect({ path, ops: guarded(path) }).toEqual({ path, ops: false });
  });

  it('should let no spelling of an ops path, under BASE_PATH or not, pass the main port', () => {
    const base = fc.constantFrom('', '/portal', '/Portal', '/%70ortal', '//portal', '/portal/.');
    for (const path of OPS)
      fc.assert(
        fc.property(base, spellingOf(path), (prefix, spelling) => {
          const url = `${prefix}${spelling}`;
          expect({ url, ops: guarded(url, '/portal') }).toEqual({ url, ops: true });
          expect({ url: spelling, ops: guarded(spelling) }).toEqual({ url: spelling, ops: true });
        }),
        { numRuns: 500 },
      );
  });
});

// Five projects so each layer can run alone (npm run test:unit / test:e2e / test:simulator /
// test:browser / test:reliability).
// TypeScript is transpiled file by file (ts-jest with isolatedModules: no type-check here;
// `npm run typecheck` and the build do that), which keeps the suite fast on small machines.
// Not swc: its native packages for other platforms are missing from this registry, and npm ci
// then refuses the lock file.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }];
const common = {
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  // The gateway imports the simulator (and tests the client) as packages; in tests use their
  // sources, no build needed.
  moduleNameMapper: {
    '^oneaccess-simulator$': '<rootDir>/simulator/src/index.ts',
    '^@oneaccess-bff/client$': '<rootDir>/client/src/index.ts',
    // The client's sources import each other as './x.js' (what its ES module build needs at run
    // time); here they are the .ts files beside them.
    '^(\\./(?:client|errors|types|api-socket))\\.js$': '$1',
  },
};
module.exports = {
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'simulator', rootDir: __dirname, testMatch: ['<rootDir>/simulator/test/**/*.spec.ts', '<rootDir>/simulator/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', rootDir: __dirname, testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // The demo SPA in Debian's Chromium (playwright-core); `npm run test:browser` runs it alone.
    { ...common, displayName: 'browser', rootDir: __dirname, testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
    // Real processes under faults: Redis failover (Sentinel, Cluster), a worker killed, a
    // graceful stop. About a minute together, so CI runs them too; `npm run test:reliability`
    // runs them alone.
    { ...common, displayName: 'reliability', rootDir: __dirname, testMatch: ['<rootDir>/test/reliability/**/*.reliability-spec.ts'] },
  ],
};

import { configSummary } from './config-summary';

describe('configSummary', () => {
  it('should show secrets only as set, keep flags and cut credentials out of URLs', () => {
    const shown = configSummary({
      session: {
        secrets: ['s3cret-one', 's3cret-two'],
        encryptionKeys: [Buffer.alloc(32)],
        usingDevSecrets: false,
        tokenRefreshMarginS: 60,
      },
      oneaccess: { clientSecret: 'cs-value', clientId: 'client-1', baseUrl: 'https://oa.example' },
      redis: { url: 'redis://:pa55@redis:6379/0', keyPrefix: 'bff:' },
      upstreams: {
        routes: new Map([
          ['orders', { target: new URL('http://u:p@orders/v1'), token: 'id_token' }],
        ]),
        adminToken: undefined,
      },
    });
    expect(shown).toEqual({
      session: {
        secrets: '[2 set]',
        encryptionKeys: '[1 set]',
        usingDevSecrets: false,
        tokenRefreshMarginS: 60,
      },
      oneaccess: { clientSecret: '[set]', clientId: 'client-1', baseUrl: 'https://oa.example' },
      redis: { url: 'redis://***@redis:6379/0', keyPrefix: 'bff:' },
      upstreams: { routes: { orders: 'http://***@orders/v1 (id_token)' }, adminToken: undefined },
    });
    expect(JSON.stringify(shown)).not.toMatch(/s3cret|cs-value|pa55|u:p@/);
  });
});

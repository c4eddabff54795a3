import { loadRedisConfig } from '../../config/redis.config';
import { checkTransport } from './redis.check';

const transport = (env: Record<string, string>) => {
  const { status, detail } = checkTransport(loadRedisConfig(env));
  return [status, detail];
};

describe('doctor: redis-tls', () => {
  it('should pass TLS and plain redis:// on loopback, and warn of plain redis:// to any other host', () => {
    expect(transport({ REDIS_URL: 'rediss://u:p@redis.example:6380' })).toEqual([
      'ok',
      'TLS, verified against the system CAs (and NODE_EXTRA_CA_CERTS)',
    ]);
    for (const url of ['redis://127.0.0.1:6379', 'redis://localhost', 'redis://[::1]:6379'])
      expect(transport({ REDIS_URL: url })).toEqual(['ok', 'plain redis:// on loopback']);
    expect(transport({ REDIS_URL: 'redis://:secret-pw@10.0.0.5:6379' })).toEqual([
      'warn',
      'plain redis:// to 10.0.0.5: the Redis password and session ids cross the network unencrypted; use rediss:// (REDIS_CA_FILE for a private CA)',
    ]);
  });

  it("should judge Sentinel and Cluster by their nodes, REDIS_URL's host being unused there", () => {
    expect(
      transport({
        REDIS_URL: 'redis://:pw@127.0.0.1',
        REDIS_SENTINELS: 's1.internal:26379, s2.internal:26379, 127.0.0.1:26379',
      }),
    ).toEqual(['warn', expect.stringMatching(/^plain redis:\/\/ to s1\.internal, s2\.internal:/)]);
    expect(transport({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' })).toEqual([
      'ok',
      'plain redis:// on loopback',
    ]);
  });
});

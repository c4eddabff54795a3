import { RedisOutageLog } from './redis-outage-log';

interface Written {
  level: 'warn' | 'log';
  line: Record<string, unknown>;
}

function harness() {
  let now = 1_000_000;
  const written: Written[] = [];
  const log = new RedisOutageLog(
    {
      warn: (line) => written.push({ level: 'warn', line: line as Record<string, unknown> }),
      log: (line) => written.push({ level: 'log', line: line as Record<string, unknown> }),
    },
    () => now,
  );
  /** ioredis's rhythm while Redis is away: an error every `everyMs` for `forMs`. */
  const outage = (forMs: number, everyMs = 2_000) => {
    for (let t = 0; t < forMs; t += everyMs) {
      log.error(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
      );
      now += everyMs;
    }
  };
  return { log, written, outage, advance: (ms: number) => (now += ms) };
}

describe('RedisOutageLog', () => {
  it('should warn at once, then ever less often, and never stay silent longer than five minutes', () => {
    const { written, outage } = harness();
    outage(60 * 60_000); // an hour: 1800 errors
    const warnings = written.filter((w) => w.level === 'warn');
    // 2 s, 4 s ... 256 s, then every 300 s: 9 doubling pauses and ~10 capped ones, not 1800 lines.
    expect(warnings.length).toBeGreaterThan(10);
    expect(warnings.length).toBeLessThan(25);
    expect(warnings[0].line).toMatchObject({
      event: 'redis_unavailable',
      errors: 1,
      down_s: 0,
      next_warning_s: 2,
      msg: 'Redis connection problem: connect ECONNREFUSED 127.0.0.1:6379',
    });
    const pauses = warnings
      .slice(1)
      .map((w, i) => (w.line.down_s as number) - (warnings[i].line.down_s as number));
    for (let i = 1; i < pauses.length; i++) expect(pauses[i]).toBeGreaterThanOrEqual(pauses[i - 1]);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(300);
    // Nothing is lost: each warning counts the errors it stands for.
    const counted = warnings.reduce((n, w) => n + (w.line.errors as number), 0);
    expect(counted).toBeLessThanOrEqual(1800);
    expect(counted).toBeGreaterThan(1800 - 300 / 2);
  });

  it('should say once when Redis is back, with how long it was away, and start afresh next time', () => {
    const { log, written, outage, advance } = harness();
    log.ready(); // the first connection is no recovery
    expect(written).toEqual([]);
    outage(30_000);
    log.ready();
    log.ready();
    const restored = written.filter((w) => w.level === 'log');
    expect(restored).toEqual([
      {
        level: 'log',
        line: { event: 'redis_restored', down_s: 30, msg: 'Redis connection restored after 30 s' },
      },
    ]);
    advance(3_600_000);
    written.length = 0;
    outage(2_000);
    // A new outage warns at once again, with the short pause.
    expect(written).toEqual([
      expect.objectContaining({
        level: 'warn',
        line: expect.objectContaining({ errors: 1, down_s: 0, next_warning_s: 2 }),
      }),
    ]);
  });
});

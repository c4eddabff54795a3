import { join } from 'node:path';
import { loadAppConfig } from './app.config';
import { autoWorkers, cgroupCpuLimit, parseCfs, parseCpuMax } from './cpu-quota';

/** File-system roots holding /proc/self/cgroup and /sys/fs/cgroup as containers see them. */
const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'cgroup');

describe('the container CPU limit (WORKERS=auto)', () => {
  it('should read cgroup v2 cpu.max and v1 cfs quota/period', () => {
    expect(parseCpuMax('250000 100000\n')).toBe(2.5);
    expect(parseCpuMax('max 100000\n')).toBeUndefined();
    expect(parseCpuMax('garbage')).toBeUndefined();
    expect(parseCfs('300000\n', '100000\n')).toBe(3);
    expect(parseCfs('-1\n', '100000\n')).toBeUndefined();
  });

  it.each([
    ['v2-limited', 2.5],
    // The process's own cgroup wins over the mount root (no limit there).
    ['v2-nested', 2],
    ['v2-unlimited', undefined],
    ['v1-limited', 3],
    ['v1-unlimited', undefined],
    // The host's path in /proc/self/cgroup, the container's files at the mount root.
    ['v1-host-path', 0.5],
    ['none', undefined],
    ['does-not-exist', undefined],
  ])('should find the limit of %s: %s CPUs', (fixture, cpus) => {
    expect(cgroupCpuLimit(join(FIXTURES, fixture))).toBe(cpus);
  });

  it('should start one worker per whole CPU of the quota, bounded by the CPUs available, at least 1', () => {
    expect(autoWorkers(64, 2.5)).toBe(2);
    expect(autoWorkers(2, 8)).toBe(2);
    expect(autoWorkers(4, 0.5)).toBe(1);
    expect(autoWorkers(6, undefined)).toBe(6);
  });

  it('should resolve WORKERS=auto within the available CPUs', () => {
    const cfg = loadAppConfig({
      WORKERS: 'auto',
      REDIS_URL: 'redis://127.0.0.1:6379',
      ONEACCESS_BASE_URL: 'https://oa.example.com',
    });
    expect(cfg.workers).toBe(autoWorkers());
  });
});

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** The file's text, or undefined when it cannot be read (not there, not this cgroup version). */
function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** cgroup v2 `cpu.max`: "<quota> <period>" in microseconds, or "max <period>" for no limit. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === 'max') return undefined;
  return ratio(quota, period);
}

/** cgroup v1 `cpu.cfs_quota_us` (-1: no limit) over `cpu.cfs_period_us`. */
export function parseCfs(quotaText: string, periodText: string): number | undefined {
  return ratio(quotaText.trim(), periodText.trim());
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  if (!Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return undefined;
  return q / p;
}

/**
 * This process's cgroup paths from /proc/self/cgroup: the v2 one (`0::<path>`) and the v1 `cpu`
 * controller's (`<n>:cpu,cpuacct:<path>`).
 */
function ownCgroups(text: string | undefined): { v2?: string; v1Cpu?: string } {
  const out: { v2?: string; v1Cpu?: string } = {};
  for (const line of (text ?? '').split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line.trim()) ?? [];
    if (path === undefined) continue;
    if (controllers === '') out.v2 = path;
    else if (controllers.split(',').includes('cpu')) out.v1Cpu = path;
  }
  return out;
}

/**
 * The CPUs this container may use by its CFS quota (Kubernetes `limits.cpu`, `docker --cpus`), or
 * undefined when there is none. cgroup v2 first, then v1. Each is looked up at this process's own
 * cgroup path and then at the mount's root, because a container without its own cgroup namespace
 * sees the host's path in /proc/self/cgroup while its own files are at the root. `root` is the
 * file system root (a fixture directory in tests).
 */
export function cgroupCpuLimit(root = '/'): number | undefined {
  const cg = ownCgroups(read(join(root, 'proc/self/cgroup')));
  const v2Base = join(root, 'sys/fs/cgroup');
  for (const dir of [cg.v2 && join(v2Base, cg.v2), v2Base]) {
    const text = dir ? read(join(dir, 'cpu.max')) : undefined;
    if (text !== undefined) return parseCpuMax(text);
  }
  for (const mount of ['cpu', 'cpu,cpuacct', 'cpuacct,cpu']) {
    const base = join(root, 'sys/fs/cgroup', mount);
    for (const dir of [cg.v1Cpu && join(base, cg.v1Cpu), base]) {
      if (!dir) continue;
      const quota = read(join(dir, 'cpu.cfs_quota_us'));
      const period = read(join(dir, 'cpu.cfs_period_us'));
      if (quota !== undefined && period !== undefined) return parseCfs(quota, period);
    }
  }
  return undefined;
}

/**
 * `WORKERS=auto`: one worker per CPU the process may use. Node's availableParallelism() counts
 * the CPUs it may run on (the affinity mask), not a CFS quota, so a pod limited to 2 CPUs on a
 * 64-core node would start 64 workers, each throttled. The quota, rounded down (a worker needs a
 * whole CPU to be worth its memory), bounded by availableParallelism(), at least 1.
 */
export function autoWorkers(
  available = availableParallelism(),
  limit: number | undefined = cgroupCpuLimit(),
): number {
  if (limit === undefined) return available;
  return Math.max(1, Math.min(available, Math.floor(limit)));
}

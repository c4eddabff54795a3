import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The live processes whose parent is `pid`, with their command names (Linux /proc). */
export function childProcesses(pid: number): { pid: number; name: string }[] {
  const children: { pid: number; name: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === pid)
        children.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/**
 * How many TCP connections process `pid` holds to local port `port` (Linux /proc: the socket
 * inodes among its file descriptors, matched against /proc/net/tcp's remote ports).
 */
export function connectionsTo(pid: number, port: number): number {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return 0;
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // cols: sl, local_address, rem_address, st, ..., inode (10th)
    if (cols.length > 9 && cols[2].endsWith(`:${hexPort}`) && inodes.has(cols[9])) n++;
  }
  return n;
}

'use strict';
// Processes of one bench run: started on free loopback ports, logs to a temp directory, all
// stopped by PID at the end (and on Ctrl-C), CPU time read from /proc.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const HZ = 100; // USER_HZ: 100 on every Linux the bench targets (getconf CLK_TCK)

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns true, at most `ms`. */
async function waitFor(what, probe, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench: ${what} did not come up within ${ms} ms`);
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

class Procs {
  constructor(logDir) {
    this.logDir = logDir;
    this.children = new Map();
  }

  start(name, cmd, args, env = {}) {
    const log = fs.openSync(path.join(this.logDir, `${name}.log`), 'w');
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.children.set(name, child);
    child.once('exit', () => this.children.delete(name));
    return child;
  }

  pid(name) {
    return this.children.get(name)?.pid;
  }

  log(name) {
    try {
      return fs.readFileSync(path.join(this.logDir, `${name}.log`), 'utf8').slice(-3000);
    } catch {
      return '';
    }
  }

  async stop(name) {
    const child = this.children.get(name);
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  async stopAll() {
    await Promise.all([...this.children.keys()].map((n) => this.stop(n)));
  }
}

/** A process and all its descendants (the gateway's cluster workers). */
function treePids(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks = [];
    try {
      tasks = fs.readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const kids = fs.readFileSync(`/proc/${out[i]}/task/${t}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      } catch {
        /* gone */
      }
    }
  }
  return out;
}

function statFields(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU ticks (user+system, own and reaped children) of the given process trees. */
function cpuTicks(pids) {
  let sum = 0;
  for (const root of pids) {
    for (const pid of treePids(root)) {
      const f = statFields(pid);
      // fields after "(comm) ": state=0 ... utime=11 stime=12 cutime=13 cstime=14
      if (f) sum += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    }
  }
  return sum;
}

/** Whole-machine ticks: busy (user+nice+system+irq+softirq), steal and total. */
function machineTicks() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line;
  return { busy: user + nice + system + irq + softirq, steal, total: line.slice(0, 8).reduce((a, b) => a + b, 0) };
}

module.exports = { HZ, Procs, freePort, waitFor, portOpen, treePids, cpuTicks, machineTicks };

'use strict';
// The WebSocket scenario: CLIENTS sockets each sending a 64-byte message and waiting for its echo,
// for a bounded time, through the gateway (/api/live/..., a route with "websocket": true) and
// straight to the same upstream. Reports round trips per second, their latency, and the CPU per
// message of the process that relays (the gateway) or answers (the upstream, for the direct row).
const WebSocket = require('ws');
const { HZ, cpuTicks, machineTicks } = require('./procs');

const PAYLOAD = Buffer.alloc(64, 0x61).toString();

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

function openSocket(url, headers) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`bench: ${url} answered ${res.statusCode} to the upgrade`)));
    ws.once('error', reject);
  });
}

/** One measured run of `seconds`: every socket ping-pongs as fast as its echoes come back. */
async function wsRun(ctx, url, headers, { clients = 32, seconds }) {
  const sockets = await Promise.all(Array.from({ length: clients }, () => openSocket(url, headers)));
  const latencies = [];
  let errors = 0;
  const a = { t: process.hrtime.bigint(), cpu: cpuTicks(ctx.pids()), ours: cpuTicks([process.pid]), machine: machineTicks() };
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise((resolve) => {
          let sent = 0n;
          const send = () => {
            if (Date.now() >= deadline || ws.readyState !== WebSocket.OPEN) return resolve();
            sent = process.hrtime.bigint();
            ws.send(PAYLOAD);
          };
          ws.on('message', () => {
            latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
            send();
          });
          ws.once('close', () => {
            errors++;
            resolve();
          });
          send();
        }),
    ),
  );
  const b = { t: process.hrtime.bigint(), cpu: cpuTicks(ctx.pids()), ours: cpuTicks([process.pid]), machine: machineTicks() };
  for (const ws of sockets) {
    ws.removeAllListeners('close');
    ws.terminate();
  }
  const wall = Number(b.t - a.t) / 1e9;
  const busy = b.machine.busy - a.machine.busy;
  const total = b.machine.total - a.machine.total || 1;
  const sorted = latencies.sort((x, y) => x - y);
  const messages = sorted.length;
  return {
    rps: messages / wall,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors,
    // Each round trip is two messages through the relay (one each way): CPU per message.
    cpuUsPerUnit: messages ? (((b.cpu - a.cpu) / HZ) * 1e6) / (messages * 2) : 0,
    redis: 'none',
    foreign: Math.max(0, ((busy - (b.ours - a.ours)) / HZ / wall) * 100),
    steal: ((b.machine.steal - a.machine.steal) / total) * 100,
  };
}

module.exports = { wsRun };

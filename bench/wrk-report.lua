-- Prints one machine-readable line at the end of a wrk run (latencies in microseconds). Only a
-- done() hook: request()/response() hooks would slow wrk's own loop down.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d sockerr=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end

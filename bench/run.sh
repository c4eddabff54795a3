#!/usr/bin/env bash
# npm run bench [-- --peers <dir>]: everything the bench needs, from a fresh clone. Installs wrk
# (and redis-server) with apt when missing, builds the gateway and the simulator when not built,
# then runs bench/bench.js. Knobs: DURATION, RUNS, WARMUP, LOGIN_DURATION, SIM_LATENCY_MS,
# WORKERS, LOG_LEVEL, ONLY (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_=(); [ "$(id -u)" = 0 ] || sudo_=(sudo)
  "${sudo_[@]}" apt-get update -qq && "${sudo_[@]}" apt-get install -y -qq "${missing[@]}"
fi
[ -f dist/main.js ] && [ -f simulator/dist/main.js ] || npm run build
exec node bench/bench.js "$@"

#!/usr/bin/env bash
# npm run bench: the "authenticated API proxy" job of ../shared/bench, on this gateway.
# Starts Redis, the simulator (as OneAccess), an upstream and the built gateway in production
# mode, signs in through the real password flow, then runs the shared harness's
# bench-gateway.sh (same wrk settings, warm-up, 3 runs, median as the peers).
#
# Knobs: WORKERS (gateway processes, default auto), PINNED=1 (gateway on CPU 1, the rest on
# CPU 0, like the peers' pinned mode), LOG_LEVEL (default info: access logs on, as in production),
# and bench-gateway.sh's own (DURATION, RUNS, WARMUP, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=${HARNESS:-../shared/bench}
[ -x "$HARNESS/bench-gateway.sh" ] || { echo "bench: $HARNESS/bench-gateway.sh not found" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
[ -f dist/main.js ] && [ -f simulator/dist/main.js ] || npm run build

REDIS_PORT=${REDIS_PORT:-6391} SIM_PORT=${SIM_PORT:-7101} UP_PORT=${UP_PORT:-7011} GW_PORT=${GW_PORT:-9000}
RUN=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$RUN/redis.log" 2>&1 &
REDIS_PID=$!; pids+=("$REDIS_PID")
SIM_PORT=$SIM_PORT SIM_CLIENT_SECRET=bench-simulator-client-credential node simulator/dist/main.js >"$RUN/sim.log" 2>&1 &
SIM_PID=$!; pids+=("$SIM_PID")
PORT=$UP_PORT node bench/upstream.js >"$RUN/up.log" 2>&1 &
UP_PID=$!; pids+=("$UP_PID")
for port in "$REDIS_PORT" "$SIM_PORT" "$UP_PORT"; do
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done

# wrk drives ONE session over CONNS (32) connections, more than the per-session limit of
# concurrent relayed calls (default 16) allows a real browser: lift it, or half the calls are 429.
# ALLOW_INSECURE: the bench runs plain http on loopback, which production otherwise refuses.
NODE_ENV=production ALLOW_INSECURE=true PORT=$GW_PORT WORKERS=${WORKERS:-auto} LOG_LEVEL=${LOG_LEVEL:-info} \
  PUBLIC_ORIGIN=http://127.0.0.1:$GW_PORT RATE_LIMITS=off \
  RELAY_MAX_CONCURRENT_PER_SESSION=${RELAY_MAX_CONCURRENT_PER_SESSION:-10000} \
  REDIS_URL=redis://127.0.0.1:$REDIS_PORT ONEACCESS_BASE_URL=http://127.0.0.1:$SIM_PORT \
  ONEACCESS_CLIENT_ID=OneAccessSimDevClient0000000001 ONEACCESS_CLIENT_SECRET=bench-simulator-client-credential \
  SESSION_SECRETS=bench-session-signing-secret-0123456789abcdef \
  SESSION_ENCRYPTION_KEYS="$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")" \
  API_ROUTES="{\"echo\":{\"target\":\"http://127.0.0.1:$UP_PORT\",\"token\":\"id_token\"}}" \
  node dist/main.js >"$RUN/gw.log" 2>&1 &
GW_PID=$!; pids+=("$GW_PID")
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$GW_PORT/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$GW_PORT/readyz" >/dev/null || { cat "$RUN/gw.log"; exit 1; }

# Sign in through the real flow; the simulator's seed user logs straight in.
COOKIE=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$GW_PORT/auth/login/password" \
  -H 'X-CSRF: 1' -H 'Content-Type: application/json' \
  -d '{"user_name":"zhangsan","password":"Passw0rd!2024"}' | sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-bff=[^;]*\).*/\1/p')
[ -n "$COOKIE" ] || { echo "bench: login failed" >&2; cat "$RUN/gw.log"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_PORT/api/echo")" = 401 ] || { echo "bench: anonymous call not refused" >&2; exit 1; }

GW_ALL="$( (pgrep -P "$GW_PID" || true) | tr '\n' ' ')$GW_PID"
if [ "${PINNED:-0}" = 1 ]; then
  for p in $GW_ALL; do taskset -a -p -c 1 "$p" >/dev/null; done
  for p in "$REDIS_PID" "$SIM_PID" "$UP_PID"; do taskset -a -p -c 0 "$p" >/dev/null; done
  export WRK_CPUS=0
fi
echo "gateway: WORKERS=${WORKERS:-auto} PINNED=${PINNED:-0} LOG_LEVEL=${LOG_LEVEL:-info} node $(node --version)"
GW_PIDS="$GW_ALL" MY_PIDS="$REDIS_PID $SIM_PID $UP_PID" REDIS_COUNT_PORT=$REDIS_PORT LABEL="oneaccess-bff" \
  "$HARNESS/bench-gateway.sh" "http://127.0.0.1:$GW_PORT/api/echo" "Cookie: $COOKIE"

#!/usr/bin/env bash
# bench/peers.sh HARNESS_COPY REPO_ROOT OUT_TSV  (started by bench/lib/report.js for `--peers <dir>`)
#
# Measures, in ONE session of an external peer harness (a temp copy of it), the harness's own
# reference relay R1, this gateway (WORKERS=1 and WORKERS=2) and the mod_auth_openidc peers, each
# through the harness's bench-gateway.sh with its wrk settings, warm-ups, runs, CPU accounting and
# pinning. It uses the harness's documented way to add a gateway: source run-peers.sh for its
# functions (start_infra, start_bg, set_mode, stop_all) and start the gateway beside its
# infrastructure: Redis :6390 and the upstream :7001 are the harness's; the gateway signs in
# through its own password flow against this repository's simulator (the harness's OP speaks
# OIDC, which OneAccess's password login is not).
#
# Environment: SYSTEMS (default "R1 BFF1 BFF2 P1k P1"), MODES ("unpinned pinned"), RUNS, DURATION,
# LOG_LEVEL (info), RELAY_SHARE (RELAY_MAX_CONCURRENT_PER_SESSION, default 10000: see
# bench/README.md), BFF_PORT (8090), BFF_SIM_PORT (7010), SKIP_INSTALL=1.
set -euo pipefail

HARNESS=${1:?usage: peers.sh HARNESS_COPY REPO_ROOT OUT_TSV}
ROOT=$(cd "${2:?}" && pwd)
OUT_TSV=${3:?}
WANT=${SYSTEMS:-R1 BFF1 BFF2 P1k P1}
cd "$HARNESS"
set -- # run-peers.sh reads its systems from the arguments: none here
# shellcheck source=/dev/null  # the harness is the user's, passed as --peers
source ./run-peers.sh # sourcing only defines its functions and settings
trap 'set +e; stop_all' EXIT
trap 'exit 130' INT TERM

read -r -a SYSTEMS <<<"$WANT"
MODES=${MODES:-"unpinned pinned"}
BFF_PORT=${BFF_PORT:-8090}
BFF_SIM_PORT=${BFF_SIM_PORT:-7010}
SIM_SECRET=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
SESSION_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
SESSION_KEY=$(head -c 32 /dev/urandom | base64)

# Our simulator is infrastructure like the harness's OP: pinned with it, never "foreign" CPU.
start_sim() {
  port_free "$BFF_SIM_PORT" "$BFF_PORT"
  SIM_PORT=$BFF_SIM_PORT SIM_CLIENT_SECRET=$SIM_SECRET start_bg sim node "$ROOT/simulator/dist/main.js"
  wait_port "$BFF_SIM_PORT" 30
  INFRA+=(sim)
}

# start_bff WORKERS: the built gateway in production mode against the harness's Redis and upstream.
start_bff() {
  start_bg bff env NODE_ENV=production ALLOW_INSECURE=true PORT="$BFF_PORT" WORKERS="$1" \
    LOG_LEVEL="${LOG_LEVEL:-info}" PUBLIC_ORIGIN="http://127.0.0.1:$BFF_PORT" RATE_LIMITS=off \
    MAX_SESSIONS_PER_USER=0 RELAY_MAX_CONCURRENT_PER_SESSION="${RELAY_SHARE:-10000}" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT" ONEACCESS_BASE_URL="http://127.0.0.1:$BFF_SIM_PORT" \
    ONEACCESS_CLIENT_ID=OneAccessSimDevClient0000000001 ONEACCESS_CLIENT_SECRET="$SIM_SECRET" \
    SESSION_SECRETS="$SESSION_SECRET" SESSION_ENCRYPTION_KEYS="$SESSION_KEY" \
    API_ROUTES="{\"echo\":{\"target\":\"http://127.0.0.1:$UPSTREAM_PORT\",\"token\":\"id_token\"}}" \
    node "$ROOT/dist/main.js"
  local _
  for _ in $(seq 1 300); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$BFF_PORT/readyz") == 200 ]] && break
    sleep 0.1
  done
  wait_port "$BFF_PORT" 1
  GW=(bff); URL=http://127.0.0.1:$BFF_PORT/api/echo; EXPECT_BODY='"auth":true'
  NOTE="oneaccess-bff WORKERS=$1 (production, LOG_LEVEL=${LOG_LEVEL:-info}, RELAY_MAX_CONCURRENT_PER_SESSION=${RELAY_SHARE:-10000}), password login against its simulator"
}
start_BFF1() { start_bff 1; }
start_BFF2() { start_bff 2; }
# The real password login; the session cookie (__Host-bff) comes from Set-Cookie, since curl's
# jar refuses __Host- cookies over http.
login_bff() {
  curl -s -D - -o /dev/null -X POST -H 'content-type: application/json' -H 'x-csrf: 1' \
    --data '{"user_name":"zhangsan","password":"Passw0rd!2024"}' "http://127.0.0.1:$BFF_PORT/auth/login/password" |
    tr -d '\r' | awk 'tolower($1) == "set-cookie:" && $2 ~ /^__Host-bff=/ { sub(/;.*/, "", $2); print "Cookie: " $2; exit }'
}
login_BFF1() { login_bff; }
login_BFF2() { login_bff; }
stop_BFF1() { stop_name bff; }
stop_BFF2() { stop_name bff; }

# Own CPU ticks (utime+stime, not its children) of one process: the cluster primary's share.
own_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

[[ ${SKIP_INSTALL:-0} == 1 ]] || install_deps
mkdir -p "$RESULTS_DIR" "$RAW_DIR"
write_versions
start_infra
start_sim
redis_cli FLUSHALL >/dev/null

printf 'system\tmode\trps\tp50_ms\tp99_ms\tgw_cpu\tgw_cpu_us_per_req\tcpu0\tcpu1\tsteal\tforeign_cpu\tredis_per_req\tnon2xx\tsockerr\truns_rps\tdiscarded\tflag\tprimary_us_per_req\tnote\n' >"$OUT_TSV"
for sys in "${SYSTEMS[@]}"; do
  declare -F "start_$sys" >/dev/null || die "unknown system $sys"
  log "=== $sys"
  "start_$sys"
  COOKIE=$("login_$sys")
  nocookie=$(curl -s -o /dev/null -w '%{http_code}' "$URL")
  [[ $nocookie == 401 ]] || die "$sys: unauthenticated request answered $nocookie, expected 401"
  [[ -n $COOKIE ]] || die "$sys: login produced no cookie"
  warm=$WARMUP_FIRST
  for mode in $MODES; do
    set_mode "$mode"
    root=$(gw_pids | head -1); p0=$(own_ticks "$root")
    line=$(WARMUP=$warm LABEL="$sys $mode" EXPECT="$EXPECT_BODY" WRK_CPUS=$WRK_CPUS GW_PIDS="$(gw_pids | tr '\n' ' ')" \
      MY_PIDS="$(other_pids | tr '\n' ' ')" REDIS_COUNT_PORT=$REDIS_PORT OUT_DIR="$RAW_DIR/$sys-$mode" \
      ./bench-gateway.sh "$URL" "$COOKIE")
    p1=$(own_ticks "$root")
    warm=$WARMUP_LATER
    echo "$line" | tee -a "$RAW_DIR/lines.txt" >&2
    # The primary's own CPU per request over the warm-up and every attempt (wrk's "N requests in"): only meaningful for WORKERS > 1,
    # where it shows whether the relay's slot ledger talks to it per call (it should not).
    total=$(cat "$RAW_DIR/$sys-$mode"/*.txt 2>/dev/null | awk '$2 == "requests" && $3 == "in" { n += $1 } END { print n + 0 }')
    prim=$(awk -v a="$p0" -v b="$p1" -v hz="$(getconf CLK_TCK)" -v n="${total:-0}" -v s="$sys" \
      'BEGIN { if (s ~ /^BFF[2-9]/ && n > 0) printf "%.1f", (b - a) / hz * 1e6 / n; else printf "-" }')
    echo "$line" | awk -v note="$NOTE" -v prim="$prim" '{
      flag = ""
      for (i = 3; i <= NF; i++) { if (index($i, "=") == 0) { flag = flag $i; continue }
        split($i, kv, "="); v[kv[1]] = substr($i, length(kv[1]) + 2) }
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $1, $2, v["rps"], v["p50_ms"], v["p99_ms"],
        v["gw_cpu"], v["gw_cpu_us_per_req"], v["cpu0"], v["cpu1"], v["steal"], v["foreign_cpu"], v["redis_per_req"], v["non2xx"], v["sockerr"],
        v["runs_rps"], v["discarded"], flag, prim, note }' >>"$OUT_TSV"
  done
  "stop_$sys"
done
log "raw wrk outputs: $RAW_DIR"

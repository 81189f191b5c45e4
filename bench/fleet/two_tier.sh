#!/usr/bin/env bash
# Layered pools (docs/methodology.md section 4) against a real two-tier loopback fleet: FRONT_N
# clone servers of FRONT_C workers behind nginx (round robin), each worker sleeping FRONT_MS
# (exponential) and then calling one back clone_server (BACK_C workers, BACK_MS exponential)
# CALLS times synchronously over its own keep-alive connection, so a front worker is held for the
# back's whole response. Driven open-loop (Poisson) through nginx at several rates and once past
# saturation; each run printed beside `headroom-cli analyze` of the same topology (front's
# layered mean and p95, and its saturation multiplier x the rate), plus the naive tier-by-tier
# capacity and a closed-network MVA of the saturated front.
#
#   bench/fleet/two_tier.sh          about 2 minutes
#
# Settings (environment):
#   FRONT_N=3 FRONT_C=4 FRONT_MS=10 BACK_C=8 BACK_MS=10 CALLS=1
#   RATES="300 400 450 500 550"  DURATION=15 WARMUP=4     the latency levels (req/s)
#   SAT_RATE=900 SAT_DURATION=12                          the saturation run ("" = none)
#   CALL_FIRST=1     front workers call the back before their own sleep (default: after)
#   NGINX_WORKERS=1 KEEP=1 CLI=...                         as in run.sh
# Needs build/app/headroom-cli, g++, python3, nginx (see run.sh). Listens on 127.0.0.1 only; stops
# only the processes it started.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FRONT_N=${FRONT_N:-3}
FRONT_C=${FRONT_C:-4}
FRONT_MS=${FRONT_MS:-10}
BACK_C=${BACK_C:-8}
BACK_MS=${BACK_MS:-10}
CALLS=${CALLS:-1}
RATES=${RATES:-"300 400 450 500 550"}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-4}
SAT_RATE=${SAT_RATE-900}
SAT_DURATION=${SAT_DURATION:-12}
NGINX_WORKERS=${NGINX_WORKERS:-1}
CLI=${CLI:-$ROOT/build/app/headroom-cli}
PY=(python3 "$HERE/fleet.py")
TT=(python3 "$HERE/two_tier.py")
FLEET_ARGS=(--front-n "$FRONT_N" --front-c "$FRONT_C" --front-ms "$FRONT_MS" --back-n 1
            --back-c "$BACK_C" --back-ms "$BACK_MS" --calls "$CALLS")
CALL_ARGS=(); [ "${CALL_FIRST:-0}" = 1 ] && CALL_ARGS=(--call-first)

WORK_PREFIX=headroom-two-tier
# shellcheck source=bench/fleet/common.sh
source "$HERE/common.sh"

read -r -a PORTS <<<"$("${PY[@]}" ports $((FRONT_N + 2)))"
FRONT_PORTS=("${PORTS[@]:0:$FRONT_N}")
BACK_PORT=${PORTS[$FRONT_N]}
NGX_PORT=${PORTS[$((FRONT_N + 1))]}

# --- the fleet -------------------------------------------------------------------------------
"$WORK/bin/clone_server" --port "$BACK_PORT" --workers "$BACK_C" --service-ms "$BACK_MS" \
  --dist exp --seed 101 --id back 2>>"$WORK/back.log" &
BACK_PID=$!; PIDS+=("$BACK_PID")
"${PY[@]}" wait "$BACK_PORT"
FRONT_PIDS=()
for ((i = 0; i < FRONT_N; i++)); do
  "$WORK/bin/clone_server" --port "${FRONT_PORTS[$i]}" --workers "$FRONT_C" \
    --service-ms "$FRONT_MS" --dist exp --seed $((i + 1)) --id "front$i" \
    --backend-port "$BACK_PORT" --backend-calls "$CALLS" "${CALL_ARGS[@]}" \
    2>>"$WORK/front$i.log" &
  PIDS+=($!); FRONT_PIDS+=($!)
done
for p in "${FRONT_PORTS[@]}"; do "${PY[@]}" wait "$p"; done

start_nginx "$NGX_PORT" "" "${FRONT_PORTS[@]}"   # round robin

# --- the runs --------------------------------------------------------------------------------
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
ALL_PORTS=("${FRONT_PORTS[@]}" "$BACK_PORT")
run_level() { # RATE DURATION SEED [--saturation]
  local rate=$1 dur=$2 seed=$3 sat=() bn bf bb t0 t1 gen
  if [ -n "${4:-}" ]; then sat=(--saturation); fi
  "${PY[@]}" stats "${ALL_PORTS[@]}" >/dev/null # starts the counters afresh
  # shellcheck disable=SC2046
  bn=$(cpu_s $(nginx_workers)); bf=$(cpu_s "${FRONT_PIDS[@]}"); bb=$(cpu_s "$BACK_PID")
  t0=$(date +%s.%N)
  "$WORK/bin/load_gen" --port "$NGX_PORT" --rate "$rate" --duration "$dur" \
    --warmup "$WARMUP" --seed "$seed" --json >"$WORK/gen.json" &
  gen=$!; PIDS+=("$gen")
  wait "$gen"; forget "$gen"
  t1=$(date +%s.%N)
  "${PY[@]}" stats "${ALL_PORTS[@]}" >"$WORK/stats.json"
  # shellcheck disable=SC2046
  "${TT[@]}" row "${FLEET_ARGS[@]}" --gen "$WORK/gen.json" --stats "$WORK/stats.json" \
    --cli "$CLI_RUN" --rate "$rate" \
    --cpu-nginx "$(awk -v a="$bn" -v b="$(cpu_s $(nginx_workers))" 'BEGIN { print b - a }')" \
    --cpu-front "$(awk -v a="$bf" -v b="$(cpu_s "${FRONT_PIDS[@]}")" 'BEGIN { print b - a }')" \
    --cpu-back "$(awk -v a="$bb" -v b="$(cpu_s "$BACK_PID")" 'BEGIN { print b - a }')" \
    --wall "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "${sat[@]}" >>"$RESULTS"
}

"${TT[@]}" project "${FLEET_ARGS[@]}" --rate 100 "$WORK/two_tier.headroom.json"
"$CLI_RUN" validate "$WORK/two_tier.headroom.json" >/dev/null
echo "two-tier fleet: front $FRONT_N x $FRONT_C workers, $FRONT_MS ms exp sleep, $CALLS sync" \
     "call(s)$([ -n "${CALL_ARGS[*]}" ] && echo ' first') to back 1 x $BACK_C workers, $BACK_MS" \
     "ms exp; nginx round robin, $NGINX_WORKERS worker(s); $DURATION s per level, first" \
     "$WARMUP s dropped; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Headroom at 100 req/s: $("${TT[@]}" predict "${FLEET_ARGS[@]}" --cli "$CLI_RUN" --rate 100 --line)"
START=$(date +%s)
i=0
for r in $RATES; do
  i=$((i + 1))
  run_level "$r" "$DURATION" "$i"
done
[ -n "$SAT_RATE" ] && run_level "$SAT_RATE" "$SAT_DURATION" 99 --saturation
echo
"${TT[@]}" table "${FLEET_ARGS[@]}" "$RESULTS"
echo
echo "wall time $(($(date +%s) - START)) s; machine load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0

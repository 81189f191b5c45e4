#!/usr/bin/env bash
# The load-balanced tier of core/analysis/fleet against a real fleet (issue 6): N clone servers
# (c workers each, one FCFS queue per clone, sleep-based service) behind nginx, driven by an
# open-loop Poisson generator through nginx, each run printed beside headroom-cli's prediction.
#
#   bench/fleet/run.sh              full run, about 12 minutes
#   QUICK=1 bench/fleet/run.sh      about 2 minutes: 50, 80, 90% load, 6 s each (indicative only)
#
# Needs build/app/headroom-cli (CLI=... to point elsewhere), g++, python3, nginx-light (installed
# with apt-get when missing, as root or with sudo). Everything listens on 127.0.0.1 only, on free
# ports; the processes the script started are stopped on exit, and only those.
# Settings (environment):
#   CLONES=3 WORKERS=4 SERVICE_MS=20      the fleet: N clones x c workers, mean service time
#   DISTS="exp const"                     service distributions; gamma:X = gamma with SCV X
#   LBS="round_robin least_conn"          nginx methods: round_robin least_conn random hash ip_hash
#   LOADS="50 70 80 90 95"                offered load, % of the fleet's N*c/S
#   DURATION=30 WARMUP=8                  seconds per level, of which the first WARMUP are dropped
#   SAT_LOAD=120 SAT_LBS="round_robin least_conn" SAT_DIST=exp   the saturation runs ("" = none)
#   NGINX_WORKERS=1                       nginx worker processes (each keeps its own round robin)
#   PREDICT_S=measured|nominal            service time given to the CLI: the clones' measured
#                                         mean holding time (default) or SERVICE_MS
#   KEEP=1                                keep the work directory (logs, configs, raw results)
# ip_hash keys on the client's first three address bytes: from 127.0.0.1 everything goes to one
# clone. hash runs use `hash $request_uri consistent` with 1000 distinct URIs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
QUICK=${QUICK:-0}
N=${CLONES:-3}
C=${WORKERS:-4}
S_MS=${SERVICE_MS:-20}
DISTS=${DISTS:-"exp const"}
LBS=${LBS:-"round_robin least_conn"}
if [ "$QUICK" = 1 ]; then
  # Not 95%: there a 1.5 s warm-up is shorter than the queue's relaxation time, and the
  # measured queue would still be growing from empty.
  LOADS=${LOADS:-"50 80 90"}; DURATION=${DURATION:-6}; WARMUP=${WARMUP:-1.5}
else
  LOADS=${LOADS:-"50 70 80 90 95"}; DURATION=${DURATION:-30}; WARMUP=${WARMUP:-8}
fi
SAT_LOAD=${SAT_LOAD:-120}
SAT_LBS=${SAT_LBS-"round_robin least_conn"}
SAT_DIST=${SAT_DIST:-exp}
NGINX_WORKERS=${NGINX_WORKERS:-1}
PREDICT_S=${PREDICT_S:-measured}
CLI=${CLI:-$ROOT/build/app/headroom-cli}
PY=(python3 "$HERE/fleet.py")

WORK_PREFIX=headroom-fleet
# shellcheck source=bench/fleet/common.sh
source "$HERE/common.sh"
CLONE_PIDS=()

read -r -a PORTS <<<"$("${PY[@]}" ports $((N + 1)))"
NGX_PORT=${PORTS[$N]}
CLONE_PORTS=("${PORTS[@]:0:$N}")

# --- the fleet -------------------------------------------------------------------------------
start_clones() { # DIST SCV
  local i
  CLONE_PIDS=()
  for ((i = 0; i < N; i++)); do
    "$WORK/bin/clone_server" --port "${CLONE_PORTS[$i]}" --workers "$C" --service-ms "$S_MS" \
      --dist "$1" --scv "$2" --seed $((i + 1)) --id "clone$i" 2>>"$WORK/clone$i.log" &
    PIDS+=($!); CLONE_PIDS+=($!)
  done
  for ((i = 0; i < N; i++)); do "${PY[@]}" wait "${CLONE_PORTS[$i]}"; done
}
stop_clones() { local p; for p in "${CLONE_PIDS[@]}"; do stop "$p"; done; CLONE_PIDS=(); }

start_balancer() { # METHOD
  local method
  case "$1" in
    round_robin) method="" ;;
    least_conn) method="least_conn;" ;;
    random) method="random;" ;;
    hash) method="hash \$request_uri consistent;" ;;
    ip_hash) method="ip_hash;" ;;
    *) echo "unknown balancing method $1" >&2; exit 1 ;;
  esac
  start_nginx "$NGX_PORT" "$method" "${CLONE_PORTS[@]}"
}

RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
run_level() { # DIST SCV LB LOAD SEED [--saturation]
  local dist=$1 scv=$2 lb=$3 load=$4 seed=$5 rate keys=() sat=() before_n before_c t0 t1 gen
  if [ -n "${6:-}" ]; then sat=(--saturation); fi
  rate=$(awk -v p="$load" -v n="$N" -v c="$C" -v s="$S_MS" 'BEGIN { printf "%.3f", p / 100 * n * c * 1000 / s }')
  [ "$lb" = hash ] && keys=(--keys 1000)
  "${PY[@]}" stats "${CLONE_PORTS[@]}" >/dev/null # starts the clones' counters afresh
  # shellcheck disable=SC2046
  before_n=$(cpu_s $(nginx_workers)); before_c=$(cpu_s "${CLONE_PIDS[@]}")
  t0=$(date +%s.%N)
  # In the background and waited for, so that a signal to this script stops it at once.
  "$WORK/bin/load_gen" --port "$NGX_PORT" --rate "$rate" --duration "$DURATION" \
    --warmup "$WARMUP" --seed "$seed" --json "${keys[@]}" >"$WORK/gen.json" &
  gen=$!; PIDS+=("$gen")
  wait "$gen"; forget "$gen"
  t1=$(date +%s.%N)
  "${PY[@]}" stats "${CLONE_PORTS[@]}" >"$WORK/stats.json"
  # shellcheck disable=SC2046
  "${PY[@]}" row --gen "$WORK/gen.json" --stats "$WORK/stats.json" --cli "$CLI_RUN" --lb "$lb" \
    --dist "$dist" --scv "$scv" --load "$load" --rate "$rate" --replicas "$N" \
    --concurrency "$C" --service-ms "$S_MS" --predict-s "$PREDICT_S" \
    --cpu-nginx "$(awk -v a="$before_n" -v b="$(cpu_s $(nginx_workers))" 'BEGIN { print b - a }')" \
    --cpu-clones "$(awk -v a="$before_c" -v b="$(cpu_s "${CLONE_PIDS[@]}")" 'BEGIN { print b - a }')" \
    --wall "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "${sat[@]}" >>"$RESULTS"
}

echo "fleet: $N clones x $C workers, mean service $S_MS ms (a sleep: the CPU is not the limit)," \
     "N*c/S = $(awk -v n="$N" -v c="$C" -v s="$S_MS" 'BEGIN { print n * c * 1000 / s }')/s;" \
     "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), $NGINX_WORKERS worker process(es);" \
     "$DURATION s per level, first $WARMUP s dropped; $(nproc) cores, load average" \
     "$(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s)
for d in $DISTS; do
  case "$d" in
    exp) dist=exp scv=1 ;;
    const) dist=const scv=0 ;;
    gamma:*) dist=gamma scv=${d#gamma:} ;;
    *) echo "unknown distribution $d" >&2; exit 1 ;;
  esac
  start_clones "$dist" "$scv"
  for lb in $LBS; do
    start_balancer "$lb"
    i=0
    for load in $LOADS; do
      i=$((i + 1))
      run_level "$d" "$scv" "$lb" "$load" "$i"
    done
    if [ "$d" = "$SAT_DIST" ] && [[ " $SAT_LBS " == *" $lb "* ]]; then
      run_level "$d" "$scv" "$lb" "$SAT_LOAD" 99 --saturation
    fi
    stop_nginx
  done
  stop_clones
done
echo
"${PY[@]}" table "$RESULTS"
echo
echo "wall time $(($(date +%s) - START)) s; machine load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0

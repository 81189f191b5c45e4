#!/usr/bin/env bash
# What-if engine speed (issue 7), in one run on this machine: the Google Benchmark (30 days at
# 15 s ticks for ten tiers, each an HPA on CPU at 60%), then `headroom-cli simulate` beside a
# straightforward Python loop of the same simulation (bench/whatif/reference_sim.py) on the
# same offered load, with a tick-by-tick check that both decide the same replica counts.
#   bench/whatif_bench.sh              (needs a build in build/: cmake --build build)
#   RUNS=5 bench/whatif_bench.sh       each timing is the best of RUNS runs (default 3)
#   TEN_TIERS=0 bench/whatif_bench.sh  skip the benchmark's ten tiers in Python (about 2 minutes)
#   KEEP=1 bench/whatif_bench.sh       keep the work directory (projects, runs, results)
#   BENCH_ARGS=--benchmark_repetitions=5 bench/whatif_bench.sh   more Google Benchmark options
#                                      (with repetitions, the table takes the median)
#
# Cases, one tier at a time (web's policy: an HPA on CPU 60% without behavior, min 4, max 24):
#   - webshop, "Black Friday week" (7 days, 40,320 ticks), web;
#   - webshop with a 30-day scenario added to a copy of the project (172,800 ticks): the same
#     week's shape for a month, growing 20% a month, with the Friday sale and a flash sale of x8
#     that takes web to its max, past the legacy scale-up limit, and into drops;
#   - the Google Benchmark's ten tiers (bench/whatif_bench.cpp, rebuilt here as a project),
#     each tier against Python, and all ten together.
# The Python reference reads the offered load from `simulate --format csv` (6 significant
# digits) and is checked against `simulate --format json` (every digit); should the two
# disagree, it is run again on the JSON's load, so that the CSV's rounding is told apart from
# a difference in the rules.
# C++ times are wall times of the whole process (start, project, analysis, load, loop, text
# output), and of the same on a one-minute scenario (4 ticks): the difference estimates the
# loop. Python's time is its loop alone, the load already read. For one tier both use one
# core; for several, `simulate` runs the tiers on all cores and Python one after the other.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
TEN_TIERS=${TEN_TIERS:-1}
PY=/usr/bin/python3
HERE=bench/whatif
for b in build/app/headroom-cli build/bench/headroom_bench; do
  [ -x "$b" ] || { echo "no $b: build the project first (cmake --build build)" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/headroom-whatif.XXXXXX)
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK/bin"
# Copies, so that a rebuild during the run cannot pull the binaries away.
cp build/app/headroom-cli build/bench/headroom_bench "$WORK/bin/"
CLI=$WORK/bin/headroom-cli
RESULTS=$WORK/results.jsonl
: >"$RESULTS"

echo "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load average" \
     "$(cut -d' ' -f1-3 /proc/loadavg); $($PY --version); timings: best of $RUNS"
echo
echo "== Google Benchmark (bench/whatif_bench.cpp) =="
read -r -a EXTRA <<<"${BENCH_ARGS:-}"
"$WORK/bin/headroom_bench" --benchmark_filter=Whatif --benchmark_out="$WORK/gbench.json" \
  --benchmark_out_format=json "${EXTRA[@]}"

best_wall() { # best wall seconds of RUNS runs of a command, its output discarded
  "$PY" - "$RUNS" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = None
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    best = min(best or 1e9, time.perf_counter() - t)
print(f"{best:.6f}")
PY
}

# --- the projects ------------------------------------------------------------------------------
mkdir -p "$WORK/webshop" "$WORK/ten"
cp models/webshop.headroom.json "$WORK/webshop/"
cp -r models/data "$WORK/webshop/" # metric files are named relative to the project
"$PY" - "$WORK/webshop/webshop.headroom.json" <<'PY'
import json, sys
path = sys.argv[1]
p = json.load(open(path))
p["scenarios"] += [
    {"name": "Month (30 days)", "source": "synthetic",
     "description": "Black Friday week's shape for 30 days, +20% a month, two sales.",
     "synthetic": {"mean_rps": 400, "days": 30, "daily_amplitude": 0.6, "peak_hour": 20,
                   "weekend_factor": 1.3, "poisson_noise": True, "seed": 2026},
     "transforms": [{"type": "growth", "percent_per_month": 20},
                    {"type": "spike", "at_hours": 114, "factor": 3, "rise_minutes": 30,
                     "decay_minutes": 240},
                    {"type": "spike", "at_hours": 500, "factor": 8, "rise_minutes": 2,
                     "decay_minutes": 60}]},
    {"name": "Minute", "source": "synthetic", "synthetic": {"mean_rps": 400, "days": 1 / 1440}},
]
json.dump(p, open(path, "w"), indent=1)
PY
# bench/whatif_bench.cpp's tenTiers() and month(): users -> t0 -> ... -> t9, sync calls.
"$PY" - "$WORK/ten/ten.headroom.json" <<'PY'
import json, sys
components = [{"id": "users", "kind": "client", "name": "Users", "x": 0.0, "y": 0.0,
               "properties": {"arrival_rate_rps": 400.0}}]
links, policies, previous = [], [], "users"
for i in range(10):
    tid = f"t{i}"
    components.append({"id": tid, "kind": "service", "name": f"Tier {i}", "x": 200.0 * (i + 1),
                       "y": 0.0, "properties": {
                           "replicas": 6, "concurrency": 16, "service_time_ms": 20.0,
                           "cpu_ms_per_request": 8.0 + i, "cores": 2.0,
                           "cpu_request_millicores": 1000.0}})
    links.append({"id": f"l{i}", "from": previous, "to": tid, "kind": "sync_call",
                  "calls_per_request": 1.0, "only_on_miss": False})
    policies.append({"name": f"hpa {tid}", "component": tid, "kind": "kubernetes_hpa",
                     "definition": {"spec": {"minReplicas": 2, "maxReplicas": 40, "metrics": [
                         {"type": "Resource", "resource": {"name": "cpu", "target": {
                             "type": "Utilization", "averageUtilization": 60}}}]}}})
    previous = tid
json.dump({"format": "headroom-project", "version": 1, "name": "ten tiers",
           "components": components, "links": links, "policies": policies,
           "scenarios": [
               {"name": "month", "source": "synthetic",
                "synthetic": {"mean_rps": 400, "days": 30, "daily_amplitude": 0.6,
                              "peak_hour": 20, "weekend_factor": 1.3, "poisson_noise": True,
                              "seed": 7}},
               {"name": "Minute", "source": "synthetic",
                "synthetic": {"mean_rps": 400, "days": 1 / 1440}}]},
          open(sys.argv[1], "w"), indent=1)
PY
for p in "$WORK/webshop/webshop" "$WORK/ten/ten"; do
  # Canonical form: every property written, defaults included, for tier_params.py.
  "$CLI" convert "$p.headroom.json" "$p.canonical.headroom.json" >/dev/null 2>>"$WORK/convert.log"
  "$CLI" analyze "$p.headroom.json" --format json >"$p.analysis.json"
done

# --- one tier: C++ and Python on the same load -------------------------------------------------
run_case() { # LABEL PROJECT-BASE SCENARIO COMPONENT
  local label=$1 base=$2 scenario=$3 component=$4 d cpp overhead
  d=$WORK/case-$component-$(echo "$scenario" | tr -c 'A-Za-z0-9' _)
  mkdir -p "$d"
  "$PY" "$HERE/tier_params.py" "$base.canonical.headroom.json" "$base.analysis.json" \
    "$component" >"$d/params.json"
  "$CLI" simulate "$base.headroom.json" --scenario "$scenario" --component "$component" \
    --format csv >"$d/sim.csv"
  "$CLI" simulate "$base.headroom.json" --scenario "$scenario" --component "$component" \
    --format json >"$d/sim.json"
  cpp=$(best_wall "$CLI" simulate "$base.headroom.json" --scenario "$scenario" --component "$component")
  overhead=$(best_wall "$CLI" simulate "$base.headroom.json" --scenario Minute --component "$component")
  "$PY" "$HERE/reference_sim.py" "$d/sim.csv" --params "$d/params.json" --compare "$d/sim.json" \
    --repeat "$RUNS" --json >"$d/ref.json"
  if ! "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); c=r["compare"]; sys.exit(0 if c["desired_agree"]==c["ticks"]==r["ticks"] else 1)' "$d/ref.json"; then
    echo "$label: the desired counts differ with the load from the CSV; again with the JSON's load" >&2
    "$PY" "$HERE/reference_sim.py" "$d/sim.json" --params "$d/params.json" --compare "$d/sim.json" \
      --json >"$d/ref-exact.json"
  fi
  "$PY" - "$label" "$cpp" "$overhead" "$d" >>"$RESULTS" <<'PY'
import json, os, sys
label, cpp, overhead, d = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
ref = json.load(open(f"{d}/ref.json"))
row = {"label": label, "ticks": ref["ticks"], "cpp_s": cpp, "cpp_overhead_s": overhead,
       "python_s": ref["loop_s"], "ref": ref}
if os.path.exists(f"{d}/ref-exact.json"):
    row["ref_exact"] = json.load(open(f"{d}/ref-exact.json"))
print(json.dumps(row))
PY
  echo "  $label: done"
}

echo
echo "== headroom-cli simulate beside bench/whatif/reference_sim.py =="
W=$WORK/webshop/webshop
run_case "webshop web, Black Friday week" "$W" "Black Friday week" web
run_case "webshop web, 30 days" "$W" "Month (30 days)" web
TEN_CPP=""
if [ "$TEN_TIERS" = 1 ]; then
  T=$WORK/ten/ten
  for i in 0 1 2 3 4 5 6 7 8 9; do run_case "ten tiers: t$i, 30 days" "$T" month "t$i"; done
  TEN_CPP=$(best_wall "$CLI" simulate "$T.headroom.json" --scenario month)
  TEN_OVERHEAD=$(best_wall "$CLI" simulate "$T.headroom.json" --scenario Minute)
  echo "{\"ten\": true, \"cpp_s\": $TEN_CPP, \"cpp_overhead_s\": $TEN_OVERHEAD}" >>"$RESULTS"
fi

# --- the table ---------------------------------------------------------------------------------
echo
"$PY" - "$RESULTS" "$WORK/gbench.json" "$(nproc)" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
bench = json.load(open(sys.argv[2]))["benchmarks"]
cores = int(sys.argv[3])
cases = [r for r in rows if "label" in r]
ten = next((r for r in rows if r.get("ten")), None)

print("C++ proc: headroom-cli simulate, the whole process. start-up: the same on a 4-tick "
      "scenario (project, analysis, latency table).\nC++ loop = proc - start-up: the ticks, and "
      "also drawing the load (Poisson noise) and each tick's latency, which Python does not do.\n"
      "Python: reference_sim.py, the loop alone. desired agree: ticks with the same desired "
      "replica count.")
head = (f"{'case':34s} {'ticks':>8s} {'C++ proc':>9s} {'start-up':>9s} {'C++ loop':>9s} "
        f"{'Python':>8s} {'Py/proc':>8s} {'Py/loop':>8s} {'desired agree':>17s} "
        f"{'inst-h C++':>11s} {'Python':>9s}")
print(head)
print("-" * len(head))
disagreements = []
for r in cases:
    c = r["ref"]["compare"]
    loop = r["cpp_s"] - r["cpp_overhead_s"]
    agree = f"{c['desired_agree']:,}/{r['ticks']:,}"
    print(f"{r['label']:34s} {r['ticks']:>8,} {r['cpp_s']:8.3f}s {r['cpp_overhead_s']:8.3f}s "
          f"{loop:8.3f}s {r['python_s']:7.3f}s {r['python_s'] / r['cpp_s']:7.1f}x "
          + (f"{r['python_s'] / loop:7.1f}x " if loop > 0.005 else f"{'-':>8s} ")
          + f"{agree:>17s} {c['cpp_instance_hours']:11.2f} {r['ref']['instance_hours']:9.2f}")
    if c["desired_agree"] != r["ticks"] or "tick_count_differs" in c:
        disagreements.append(r)
if ten:
    tiers = [r for r in cases if r["label"].startswith("ten tiers")]
    py = sum(r["python_s"] for r in tiers)
    agree = sum(r["ref"]["compare"]["desired_agree"] for r in tiers)
    ticks = sum(r["ticks"] for r in tiers)
    loop = ten["cpp_s"] - ten["cpp_overhead_s"]
    print(f"{'ten tiers together (C++ ' + str(cores) + ' cores)':34s} {ticks:>8,} "
          f"{ten['cpp_s']:8.3f}s {ten['cpp_overhead_s']:8.3f}s {loop:8.3f}s {py:7.3f}s "
          f"{py / ten['cpp_s']:7.1f}x "
          + (f"{py / loop:7.1f}x " if loop > 0.005 else f"{'-':>8s} ")
          + f"{f'{agree:,}/{ticks:,}':>17s}")
print()
# Issue 7's targets, by benchmark.
targets = {"Whatif_Simulate30Days10Tiers": "20 ms", "Whatif_Sweep1000PoliciesWeek": "10 s"}
medians = [b for b in bench if b.get("aggregate_name") == "median"]
for b in medians or bench:
    name = b["name"].split("/")[0]
    print(f"Google Benchmark {name}: {b['real_time']:.1f} {b['time_unit']} wall "
          f"({b.get('label', '')}; "
          + (f"median of {b['repetitions']} repetitions)" if medians else
             f"{b['iterations']} iteration(s))")
          + (f"; issue 7's target: {targets[name]}" if name in targets else ""))
    if ten and name == "Whatif_Simulate30Days10Tiers":
        wall_s = b["real_time"] / {"ns": 1e9, "us": 1e6, "ms": 1e3, "s": 1}[b["time_unit"]]
        py = sum(r["python_s"] for r in cases if r["label"].startswith("ten tiers"))
        print(f"  the same ten tiers in Python, one after the other: {py:.2f} s, "
              f"{py / wall_s:.1f}x the benchmark's time")
for r in disagreements:
    c = r["ref"]["compare"]
    print(f"\n{r['label']}: the desired counts differ on {r['ticks'] - c['desired_agree']} ticks "
          f"(load from the CSV); first: {c['first_disagreements'][:3]}")
    if "ref_exact" in r:
        e = r["ref_exact"]["compare"]
        print(f"  with the JSON's load (every digit): {e['desired_agree']:,}/{r['ticks']:,} agree"
              + (f"; first: {e['first_disagreements'][:3]}" if e["first_disagreements"] else
                 ": the CSV's 6 significant digits made the difference"))
if not disagreements:
    print("\nThe Python reference and headroom-cli simulate decide the same replica count on "
          "every tick of every case.")
PY
echo
echo "machine load average now: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env python3
"""A straightforward Python reference of the what-if loop for one tier (issue 7), written from
the rules in docs/autoscalers.md rather than translated line by line from core/whatif/: a
Kubernetes HPA on CPU Utilization without `behavior` (the legacy rules) scaling one tier tick by
tick. bench/whatif_bench.sh runs it beside `headroom-cli simulate` on the same offered load, to
time a plain implementation of the loop and to check, tick by tick, that both decide the same.
Standard library only.

    reference_sim.py LOAD --params TIER.json [--set KEY=VALUE ...] [--component ID]
                     [--series OUT.csv] [--compare SIM.csv|SIM.json] [--repeat N] [--json]

LOAD is what `headroom-cli simulate PROJECT --scenario NAME --format csv` prints (columns t_s,
component, offered_rps, ...) or its `--format json` output; only the offered load of the chosen
tier is read. The CSV has 6 significant digits, the JSON every digit: give the JSON to reproduce
the C++ run exactly. TIER.json holds the parameters below (`--set` overrides one). --compare
reads the C++ run's desired, ready, booting and draining counts and says on how many ticks they
agree. Only the loop is timed (reading and writing files are not); --repeat N runs it N times
and reports the fastest.

The loop, per tick of `tick_s` at time t (the order matters):
  1. the fleet at t: desired (every instance started and not removed), ready (those whose boot
     ended at or before t), booting, draining (removed ready ones, billed `drain_s` longer);
  2. served = min(offered + backlog / tick, ready x capacity); the rest waits in the backlog, and
     what exceeds `queue_limit_s` seconds of the ready capacity is dropped;
  3. billing: (desired + draining) instance-ticks, so an instance started at this tick's sync
     is billed from the next tick;
  4. at a sync (every `sync_s`), the HPA decides from samples `metric_delay_s` old, and the fleet
     is scaled at once: new instances become ready `boot_time_s` later; removal takes booting
     instances first, newest first, then ready ones, newest first.
"""
import argparse
import csv
import json
import math
import sys
import time

PARAMETERS = {
    # name: (default, meaning); None = required
    "capacity_rps": (None, "requests per second one ready instance serves at saturation"),
    "cpu_ms_per_request": (None, "CPU milliseconds per request"),
    "cores": (None, "cores per instance: a pod's CPU use is capped at cores x 1000 m"),
    "cpu_request_millicores": (None, "the pod's CPU request, what utilisation is a percent of"),
    "boot_time_s": (None, "from start to ready"),
    "initial_replicas": (None, "running at t = 0 (clamped to min and max)"),
    "min_replicas": (1, "the HPA's minReplicas"),
    "max_replicas": (None, "the HPA's maxReplicas"),
    "target_percent": (None, "averageUtilization of the CPU target"),
    "price_per_hour_usd": (0.0, "per instance"),
    "tick_s": (15.0, "seconds per tick"),
    "metric_delay_s": (30.0, "from a pod's work to its sample reaching the controller"),
    "sync_s": (15.0, "the controller's sync period"),
    "queue_limit_s": (30.0, "backlog past this many seconds of ready capacity is dropped"),
    "drain_s": (30.0, "a removed ready instance is billed this long"),
    "tolerance": (0.1, "--horizontal-pod-autoscaler-tolerance"),
    "downscale_stabilization_s": (300.0, "--horizontal-pod-autoscaler-downscale-stabilization"),
    "cpu_initialization_s": (300.0, "--horizontal-pod-autoscaler-cpu-initialization-period"),
    "initial_readiness_delay_s": (30.0, "--horizontal-pod-autoscaler-initial-readiness-delay"),
    "sample_window_s": (15.0, "the window metrics-server averages a CPU sample over"),
}


def round_half_away(x):
    """C's llround for x >= 0 (Python's round() rounds half to even)."""
    whole = math.floor(x)
    return int(whole) + (1 if x - whole >= 0.5 else 0)


class Cohort:
    """Instances started together, so ready together."""

    __slots__ = ("count", "started", "ready_at")

    def __init__(self, count, started, ready_at):
        self.count = count
        self.started = started
        self.ready_at = ready_at


class Tier:
    """The parameters, checked, with the derived figures the loop uses."""

    def __init__(self, given):
        unknown = sorted(set(given) - set(PARAMETERS))
        if unknown:
            raise SystemExit(f"unknown parameter(s): {', '.join(unknown)}")
        for name, (default, _) in PARAMETERS.items():
            value = given.get(name, default)
            if value is None:
                raise SystemExit(f"missing parameter {name}: {PARAMETERS[name][1]}")
            setattr(self, name, float(value))
        self.min_replicas = int(self.min_replicas)
        self.max_replicas = int(self.max_replicas)
        self.target_percent = int(self.target_percent)
        # Milli-units, as the controller counts: a pod uses at most its cores, requests a whole
        # number of millicores.
        self.cores_milli = max(1.0, self.cores * 1000)
        self.request_milli = int(max(1.0, self.cpu_request_millicores))
        self.initial = min(max(int(self.initial_replicas), self.min_replicas), self.max_replicas)


# --- one HPA sync: the CPU proposal, then the legacy rules ------------------------------------


def within_tolerance(ratio, tier):
    return 1 - tier.tolerance <= ratio <= 1 + tier.tolerance


def cpu_unready(started_ago, changed_ago, ready, sample_age, tier):
    """The controller's CPU initialisation rule: during the initialisation period a pod's
    sample is set aside when the pod is not ready or the sample's window began before the pod
    became ready; after it, only a pod that has never been ready is."""
    if started_ago < tier.cpu_initialization_s:
        return (not ready) or sample_age > changed_ago - tier.sample_window_s
    return (not ready) and changed_ago > started_ago - tier.initial_readiness_delay_s


def cpu_proposal(current, pods, tier, stats):
    """What the CPU Utilization metric proposes (None when it cannot be computed). `pods` holds
    (count, pending, ready, started_ago, changed_ago, usage_milli or None, sample_age)."""
    if sum(p[0] for p in pods) == 0:
        return None  # no pods returned by selector
    request = tier.request_milli
    used = requested = counted = 0
    unready = missing = 0
    for count, pending, ready, started_ago, changed_ago, usage, sample_age in pods:
        if count <= 0:
            continue
        if pending:
            unready += count
        elif usage is None:
            missing += count
        elif cpu_unready(started_ago, changed_ago, ready, sample_age, tier):
            unready += count
            stats["cpu_init_set_aside"] += count
        else:
            used += usage * count
            requested += request * count
            counted += count
    if counted == 0:
        return None  # did not receive metrics for targeted pods
    ratio = (used * 100 // requested) / tier.target_percent  # a whole percent, rounded down
    if missing == 0 and not (unready > 0 and ratio > 1):
        if within_tolerance(ratio, tier):
            return current
        return math.ceil(ratio * counted)
    # Second pass: missing pods at 100% of their request (or the target, if above) on a
    # scale-down and at 0 on a scale-up; unready pods at 0 on a scale-up.
    if missing > 0 and ratio != 1:
        if ratio < 1:
            used += missing * (request * max(100, tier.target_percent) // 100)
        requested += missing * request
        counted += missing
    if unready > 0 and ratio > 1:
        requested += unready * request
        counted += unready
    new_ratio = (used * 100 // requested) / tier.target_percent
    if within_tolerance(new_ratio, tier) or (ratio < 1 < new_ratio) or (ratio > 1 > new_ratio):
        return current
    proposed = math.ceil(new_ratio * counted)
    if (new_ratio < 1 and proposed > current) or (new_ratio > 1 and proposed < current):
        return current
    return proposed


def hpa_sync(current, pods, recommendations, t, tier, stats):
    """One decision: (desired, the recommendation to remember or None). `recommendations` holds
    (replicas, made at) of earlier syncs."""
    if current == 0 and tier.min_replicas != 0:
        return current, None  # ScalingDisabled
    if current > tier.max_replicas:
        return tier.max_replicas, None
    if current < tier.min_replicas:
        return tier.min_replicas, None
    proposal = cpu_proposal(current, pods, tier, stats)
    if proposal is None:
        return current, None  # the metric failed: no change, nothing remembered
    # Legacy downscale stabilisation: the highest proposal of the window, ages up to it included.
    stabilised = proposal
    for replicas, made_at in recommendations:
        if t - made_at <= tier.downscale_stabilization_s:
            stabilised = max(stabilised, replicas)
    largest_step = int(max(2.0 * current, 4.0))  # the legacy scale-up limit
    if stabilised < tier.min_replicas:
        return tier.min_replicas, proposal
    if stabilised > min(tier.max_replicas, largest_step):
        return min(tier.max_replicas, largest_step), proposal
    return stabilised, proposal


# --- the loop ----------------------------------------------------------------------------------


def simulate(offered, tier):
    dt = tier.tick_s
    delay_ticks = round_half_away(tier.metric_delay_s / dt)
    # The sample a sync reads is the work of the tick `metric_delay_s` before it: its window
    # starts there and ends one tick later, so at the sync it is (delay - window) seconds old.
    sample_age = tier.metric_delay_s - tier.sample_window_s
    cohorts = [Cohort(tier.initial, -1e9, -1e9)]  # running long before the start
    draining = []  # (count, billed until)
    recommendations = []  # (replicas, made at)
    served_seen, ready_seen = [], []
    desired_series, ready_series, booting_series, draining_series = [], [], [], []
    backlog = 0.0
    next_sync = 0.0
    instance_ticks = 0
    stats = {"cpu_init_set_aside": 0, "scale_ups": 0, "scale_downs": 0, "dropped": 0.0,
             "peak_replicas": 0}
    for i, rate in enumerate(offered):
        t = i * dt
        desired = sum(c.count for c in cohorts)
        ready = sum(c.count for c in cohorts if c.ready_at <= t)
        in_drain = sum(n for n, until in draining if until > t)
        capacity = ready * tier.capacity_rps
        served = min(rate + backlog / dt, capacity)
        backlog = max(0.0, backlog + (rate - served) * dt)
        limit = tier.queue_limit_s * capacity
        if backlog > limit:
            stats["dropped"] += backlog - limit
            backlog = limit
        instance_ticks += desired + in_drain
        stats["peak_replicas"] = max(stats["peak_replicas"], desired)
        desired_series.append(desired)
        ready_series.append(ready)
        booting_series.append(desired - ready)
        draining_series.append(in_drain)
        served_seen.append(served)
        ready_seen.append(ready)

        if t + 1e-9 < next_sync:
            continue
        next_sync += tier.sync_s
        # The pods as the controller sees them, with samples `metric_delay_s` old; every pod
        # serving then used the same share of the served rate.
        sampled = i >= delay_ticks
        sample_time = t - tier.metric_delay_s
        usage = None
        if sampled:
            k = i - delay_ticks
            per_pod = served_seen[k] / ready_seen[k] if ready_seen[k] > 0 else 0.0
            usage = round_half_away(min(per_pod * tier.cpu_ms_per_request, tier.cores_milli))
        pods = []
        for c in cohorts:
            booting = c.ready_at > t
            has_sample = sampled and not booting and c.ready_at <= sample_time
            pods.append((c.count, booting, not booting, t - c.started,
                         t - c.started if booting else t - c.ready_at,
                         usage if has_sample else None, sample_age))
        recommendations = [r for r in recommendations
                           if t - r[1] <= tier.downscale_stabilization_s]
        target, remember = hpa_sync(desired, pods, recommendations, t, tier, stats)
        if remember is not None:
            recommendations.append((remember, t))
        if target == desired:
            continue
        stats["scale_ups" if target > desired else "scale_downs"] += 1
        if target > desired:
            cohorts.append(Cohort(target - desired, t, t + tier.boot_time_s))
            continue
        remove = desired - target
        for booting_pass in (True, False):  # booting ones first, then ready; newest first
            for c in reversed(cohorts):
                if remove == 0:
                    break
                booting = c.ready_at > t
                if booting != booting_pass or c.count == 0:
                    continue
                n = min(remove, c.count)
                c.count -= n
                remove -= n
                if not booting:
                    draining.append((n, t + tier.drain_s))
        cohorts = [c for c in cohorts if c.count > 0]
        draining = [d for d in draining if d[1] > t]
    hours = instance_ticks * dt / 3600
    return {
        "ticks": len(offered),
        "instance_hours": hours,
        "cost_usd": hours * tier.price_per_hour_usd,
        "scale_ups": stats["scale_ups"],
        "scale_downs": stats["scale_downs"],
        "peak_replicas": stats["peak_replicas"],
        "dropped_requests": stats["dropped"],
        "cpu_init_set_aside": stats["cpu_init_set_aside"],
        "series": {"desired": desired_series, "ready": ready_series,
                   "booting": booting_series, "draining": draining_series},
    }


# --- reading and comparing ---------------------------------------------------------------------


def read_run(path, component):
    """The ticks of one tier from `headroom-cli simulate` output (CSV or JSON): (tick_s or None,
    component, columns by name, summary or None)."""
    with open(path, encoding="utf-8") as f:
        head = f.read(1)
        if not head:
            raise SystemExit(f"{path}: empty")
        f.seek(0)
        if head == "{":
            run = json.load(f)
            tiers = run["tiers"]
            if component is None and len(tiers) > 1:
                raise SystemExit(f"{path}: several tiers; choose one with --component")
            tier = next((x for x in tiers if component in (None, x["component"])), None)
            if tier is None:
                raise SystemExit(f"{path}: no tier {component}")
            columns = {k: [tick[k] for tick in tier["ticks"]]
                       for k in ("offered_rps", "desired", "ready", "booting", "draining")}
            return run["tick_s"], tier["component"], columns, tier["summary"]
        rows = list(csv.DictReader(f))
    names = sorted({r["component"] for r in rows})
    if component is None and len(names) > 1:
        raise SystemExit(f"{path}: several tiers ({', '.join(names)}); choose one with --component")
    component = component or (names[0] if names else None)
    rows = [r for r in rows if r["component"] == component]
    if not rows:
        raise SystemExit(f"{path}: no rows for {component}")
    columns = {"offered_rps": [float(r["offered_rps"]) for r in rows]}
    for k in ("desired", "ready", "booting", "draining"):
        columns[k] = [int(r[k]) for r in rows]
    # t_s is printed with 6 significant digits: past 999,999 s it no longer tells ticks apart.
    tick = float(rows[1]["t_s"]) - float(rows[0]["t_s"]) if len(rows) > 1 else None
    return tick, component, columns, None


def compare(mine, path, component, tier):
    _, _, theirs, summary = read_run(path, component)
    out = {"against": path, "ticks": min(len(theirs["desired"]), len(mine["series"]["desired"]))}
    if len(theirs["desired"]) != len(mine["series"]["desired"]):
        out["tick_count_differs"] = [len(mine["series"]["desired"]), len(theirs["desired"])]
    for key in ("desired", "ready", "booting", "draining"):
        a, b = mine["series"][key], theirs[key]
        out[key + "_agree"] = sum(1 for x, y in zip(a, b) if x == y)
    a, b = mine["series"]["desired"], theirs["desired"]
    out["first_disagreements"] = [
        {"tick": i, "t_s": i * tier.tick_s, "python": x, "cpp": y}
        for i, (x, y) in enumerate(zip(a, b)) if x != y][:10]
    theirs_hours = (summary["instance_hours"] if summary else
                    sum(d + n for d, n in zip(theirs["desired"], theirs["draining"]))
                    * tier.tick_s / 3600)
    out["cpp_instance_hours"] = theirs_hours
    if summary:
        for key in ("scale_ups", "scale_downs", "peak_replicas", "cost_usd"):
            out["cpp_" + key] = summary[key]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="parameters:\n" + "\n".join(
                                     f"  {k:27s} {m}" + ("" if d is None else f" (default {d})")
                                     for k, (d, m) in PARAMETERS.items()))
    ap.add_argument("load", help="headroom-cli simulate --format csv (or json) output")
    ap.add_argument("--params", help="the tier's parameters, a JSON object")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a parameter, over the one in --params")
    ap.add_argument("--component", help="the tier to read from LOAD (needed when it has several)")
    ap.add_argument("--series", metavar="OUT.csv", help="write t_s,desired,ready,booting,draining")
    ap.add_argument("--compare", metavar="SIM", help="a simulate run (csv or json) to check against")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="run the loop N times and report the fastest (default 1)")
    ap.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = ap.parse_args()

    given = {}
    if args.params:
        with open(args.params, encoding="utf-8") as f:
            given.update(json.load(f))
    for item in args.set:
        key, _, value = item.partition("=")
        given[key] = float(value)
    file_tick, component, columns, _ = read_run(args.load, args.component)
    if file_tick is not None and "tick_s" not in given:
        given["tick_s"] = file_tick
    tier = Tier(given)
    offered = columns["offered_rps"]

    best = None
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        result = simulate(offered, tier)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    result["loop_s"] = best
    result["component"] = component

    if args.series:
        s = result["series"]
        with open(args.series, "w", encoding="utf-8") as f:
            f.write("t_s,desired,ready,booting,draining\n")
            for i in range(len(offered)):
                f.write(f"{i * tier.tick_s:.0f},{s['desired'][i]},{s['ready'][i]},"
                        f"{s['booting'][i]},{s['draining'][i]}\n")
    if args.compare:
        result["compare"] = compare(result, args.compare, component, tier)
    series = result.pop("series")
    if args.json:
        json.dump(result, sys.stdout)
        print()
        return
    print(f"{component}: {result['ticks']} ticks of {tier.tick_s:g} s, loop {result['loop_s']:.3f} s "
          f"({result['loop_s'] / max(1, result['ticks']) * 1e6:.1f} us per tick)")
    print(f"  instance-hours {result['instance_hours']:.4f}, cost {result['cost_usd']:.4f} USD, "
          f"{result['scale_ups']} up, {result['scale_downs']} down, peak {result['peak_replicas']}, "
          f"dropped {result['dropped_requests']:.0f}")
    print(f"  desired per tick: {' '.join(map(str, series['desired'][:20]))}"
          + (" ..." if len(series["desired"]) > 20 else ""))
    if "compare" in result:
        c = result["compare"]
        print(f"  against {c['against']}: desired agrees on {c['desired_agree']} of {c['ticks']} "
              f"ticks (ready {c['ready_agree']}, booting {c['booting_agree']}, draining "
              f"{c['draining_agree']}); instance-hours {c['cpp_instance_hours']:.4f} there")
        for d in c["first_disagreements"]:
            print(f"    tick {d['tick']} (t = {d['t_s']:.0f} s): python {d['python']}, "
                  f"c++ {d['cpp']}")


if __name__ == "__main__":
    main()

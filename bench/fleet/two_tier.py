#!/usr/bin/env python3
"""Helpers for bench/fleet/two_tier.sh (standard library only); fleet.py does ports/wait/stats.

  two_tier.py project OUT.json --rate L [--front-ms S] [--back-ms S] [...]   the project file
  two_tier.py predict --cli CLI [project options]        Headroom's figures for front and back
  two_tier.py row [options]                              one measured run beside the prediction
  two_tier.py table RESULTS.jsonl                        the comparison table
  two_tier.py mva --n 12 --z 0.010 --sb 0.010 --c 8 [--v 1]   closed-network saturation check
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleet import fmt, rel  # noqa: E402  the table cells, as run.sh prints them


def project(rate, front_n, front_c, front_ms, front_scv, back_n, back_c, back_ms, back_scv,
            calls):
    """A client -> nginx (round robin) -> front -> back project, as the loader reads it."""
    service = lambda cid, n, c, ms, scv: {
        "id": cid, "kind": "service", "name": cid,
        "properties": {"replicas": n, "min_replicas": 1, "max_replicas": max(10, n),
                       "concurrency": c, "service_time_ms": ms, "cpu_ms_per_request": 0.0,
                       "service_time_scv": scv}}
    link = lambda a, b, k: {"id": f"{a}-{b}", "from": a, "to": b, "kind": "sync_call",
                            "calls_per_request": k, "only_on_miss": False}
    return {
        "format": "headroom-project", "version": 1, "name": "two-tier fleet (bench/fleet)",
        "description": "bench/fleet/two_tier.sh: load_gen -> nginx round robin -> front clones, "
                       "each worker calling the back clone synchronously.",
        "components": [
            {"id": "client", "kind": "client", "name": "load_gen",
             "properties": {"arrival_rate_rps": rate}},
            {"id": "lb", "kind": "load_balancer", "name": "nginx",
             "properties": {"algorithm": "round_robin"}},
            service("front", front_n, front_c, front_ms, front_scv),
            service("back", back_n, back_c, back_ms, back_scv),
        ],
        "links": [link("client", "lb", 1.0), link("lb", "front", 1.0),
                  link("front", "back", float(calls))],
    }


def analyze(cli, proj):
    fd, path = tempfile.mkstemp(suffix=".headroom.json")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(proj, f, indent=1)
        out = subprocess.run([cli, "analyze", path, "--format", "json", "--percentile", "95"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    d = json.loads(out)
    comps = {c["id"]: c for c in d["components"]}
    rate = proj["components"][0]["properties"]["arrival_rate_rps"]
    ms = lambda v: None if v is None else v * 1e3
    r = {"bottleneck": d.get("bottleneck")}
    for cid in ("front", "back"):
        c = comps[cid]
        r[cid] = {"mean_ms": ms(c.get("mean_response_s")),
                  "p95_ms": ms(c.get("percentile_response_s")),
                  "utilisation": c.get("utilisation"),
                  "saturation_rps": c["saturation_multiplier"] * rate
                  if c.get("saturation_multiplier") is not None else None,
                  "saturating_resource": c.get("saturating_resource"),
                  "pushed_by": c.get("pushed_by"), "model": c.get("model")}
    return r


def mva(n, z, sb, c, v=1.0):
    """Exact MVA of the saturated front: its n workers cycle between their own sleep (a delay of
    mean z) and v calls to the back (c servers, mean sb each, load-dependent). Returns X(n)."""
    p = [1.0]
    x = 0.0
    for k in range(1, n + 1):
        r = sum(j * sb / min(j, c) * p[j - 1] for j in range(1, k + 1))
        x = k / (z + v * r)
        q = [0.0] * (k + 1)
        for j in range(1, k + 1):
            q[j] = x * v * sb / min(j, c) * p[j - 1]
        q[0] = 1 - sum(q[1:])
        p = q
    return x


def add_fleet_args(p):
    p.add_argument("--front-n", type=int, default=3)
    p.add_argument("--front-c", type=int, default=4)
    p.add_argument("--front-ms", type=float, default=10)
    p.add_argument("--front-scv", type=float, default=1)
    p.add_argument("--back-n", type=int, default=1)
    p.add_argument("--back-c", type=int, default=8)
    p.add_argument("--back-ms", type=float, default=10)
    p.add_argument("--back-scv", type=float, default=1)
    p.add_argument("--calls", type=float, default=1)


def fleet_project(a, rate, front_ms=None, back_ms=None):
    return project(rate, a.front_n, a.front_c, front_ms or a.front_ms, a.front_scv, a.back_n,
                   a.back_c, back_ms or a.back_ms, a.back_scv, a.calls)


def row(a):
    gen = json.load(open(a.gen))
    st = json.load(open(a.stats))
    fronts, backs = st[:a.front_n], st[a.front_n:]
    weigh = lambda group, key: (sum(s[key] * s["served"] for s in group)
                                / max(1, sum(s["served"] for s in group)))
    front_sleep = weigh(fronts, "mean_sleep_ms")
    front_call = weigh(fronts, "mean_call_ms")
    front_hold = weigh(fronts, "mean_service_ms")
    front_wait = weigh(fronts, "mean_wait_ms")
    back_hold = weigh(backs, "mean_service_ms")
    back_wait = weigh(backs, "mean_wait_ms")
    rate = gen["offered_rate"]
    nominal = analyze(a.cli, fleet_project(a, rate))
    measured_in = analyze(a.cli, fleet_project(a, rate, front_sleep, back_hold))
    r = {
        "rate": a.rate, "offered": rate, "throughput": gen["throughput"],
        "mean_ms": gen["mean_ms"], "p95_ms": gen["p95_ms"], "p99_ms": gen["p99_ms"],
        "unfinished": gen["unfinished"], "errors": gen["errors"] + gen["non200"],
        "late": gen["late"], "overhead_ms": gen["overhead_mean_ms"],
        "hold_scv": gen.get("server_service_scv", -1),
        "front_sleep_ms": front_sleep, "front_call_ms": front_call, "front_hold_ms": front_hold,
        "front_wait_ms": front_wait, "back_hold_ms": back_hold, "back_wait_ms": back_wait,
        "back_served": sum(s["served"] for s in backs),
        "call_errors": sum(s.get("call_errors", 0) for s in fronts),
        "pred": nominal, "pred_measured_inputs": measured_in,
        "mva_saturation": mva(a.front_n * a.front_c, front_sleep / 1e3,
                              back_hold / 1e3, a.back_n * a.back_c, a.calls),
        "cpu_gen_s": gen["cpu_s"], "cpu_nginx_s": a.cpu_nginx, "cpu_front_s": a.cpu_front,
        "cpu_back_s": a.cpu_back, "wall_s": a.wall, "saturation_run": a.saturation,
    }
    print(json.dumps(r))
    p = nominal["front"]
    f = lambda v: "sat" if v is None else f"{v:.1f}"
    print(f"  L {rate:6.1f}/s  X {r['throughput']:6.1f}/s  mean {r['mean_ms']:8.2f} (pred "
          f"{f(p['mean_ms'])})  p95 {r['p95_ms']:8.2f} (pred {f(p['p95_ms'])})  "
          f"errors {r['errors']}", file=sys.stderr)


def table(path, a):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    runs = [r for r in rows if not r["saturation_run"]]
    naive = min(a.front_n * a.front_c * 1e3 / a.front_ms,
                a.back_n * a.back_c * 1e3 / a.back_ms / a.calls)
    print("End-to-end latency through nginx (scheduled send -> last byte), front = "
          f"{a.front_n} x {a.front_c} workers, {a.front_ms:g} ms own sleep + {a.calls:g} sync "
          f"call(s) to back = {a.back_n} x {a.back_c} workers, {a.back_ms:g} ms. pred = "
          "headroom-cli analyze, front's mean_response_s / percentile_response_s (layered: "
          "includes back); 'pred*' = same with the measured mean sleep of front and holding "
          "time of back as inputs.")
    head = (f"{'L/s':>6} {'X/s':>6} | {'mean':>6} {'pred':>6} {'err':>6} {'pred*':>6} | "
            f"{'p95':>6} {'pred':>6} {'err':>6} {'pred*':>6} | {'Wq fr':>5} {'hold':>5} "
            f"{'h cs2':>5} {'Wq bk':>5} {'S bk':>5} | {'ovh':>4} {'err#':>4} | "
            f"{'cpu% gen/ngx/front/back':>23}")
    print(head)
    print("-" * len(head))
    for r in runs:
        p, q = r["pred"]["front"], r["pred_measured_inputs"]["front"]
        cpu = lambda k: 100 * r[k] / r["wall_s"]
        print(f"{r['offered']:6.1f} {r['throughput']:6.1f} | {fmt(r['mean_ms'], 6, 2)} "
              f"{fmt(p['mean_ms'], 6, 2)} {rel(r['mean_ms'], p['mean_ms'])} "
              f"{fmt(q['mean_ms'], 6, 2)} | {fmt(r['p95_ms'], 6)} {fmt(p['p95_ms'], 6)} "
              f"{rel(r['p95_ms'], p['p95_ms'])} {fmt(q['p95_ms'], 6)} | "
              f"{r['front_wait_ms']:5.2f} {r['front_hold_ms']:5.2f} {r['hold_scv']:5.2f} "
              f"{r['back_wait_ms']:5.2f} {r['back_hold_ms']:5.2f} | {r['overhead_ms']:4.2f} "
              f"{r['errors'] + r['call_errors']:4d} | {cpu('cpu_gen_s'):5.0f} "
              f"{cpu('cpu_nginx_s'):5.0f} {cpu('cpu_front_s'):5.0f} {cpu('cpu_back_s'):5.0f}")
    print("Wq fr / Wq bk: mean queue wait in the front clones / the back (ms); hold: a front "
          "worker's mean holding time (sleep + calls), h cs2 its squared coefficient of "
          "variation (Headroom combines the service's SCV with its calls' variances); S bk: the "
          "back's mean holding time; ovh: latency outside the front clones (nginx, loopback, "
          "generator); err#: errors + non-200 + failed backend tries; cpu%: of one core.")
    sats = [r for r in rows if r["saturation_run"]]
    if not sats:
        return
    print()
    print("Saturation throughput (responses per second completed inside the measured window):")
    for r in sats:
        p, q = r["pred"], r["pred_measured_inputs"]
        cpu = lambda k: 100 * r[k] / r["wall_s"]
        print(f"  driven at {r['offered']:.1f}/s: measured X = {r['throughput']:.1f}/s "
              f"(back served {r['back_served']} in the whole run, front worker hold "
              f"{r['front_hold_ms']:.2f} ms = sleep {r['front_sleep_ms']:.2f} + calls "
              f"{r['front_call_ms']:.2f}; cpu% gen/ngx/front/back {cpu('cpu_gen_s'):.0f}/"
              f"{cpu('cpu_nginx_s'):.0f}/{cpu('cpu_front_s'):.0f}/{cpu('cpu_back_s'):.0f})")
        print(f"  Headroom layered (nominal inputs):  front saturates at "
              f"{fmt(p['front']['saturation_rps'])}/s ({p['front']['saturating_resource']}, "
              f"pushed_by {p['front']['pushed_by']}); back at {fmt(p['back']['saturation_rps'])}/s;"
              f" bottleneck {p['bottleneck']}"
              f"  -> err {rel(r['throughput'], p['front']['saturation_rps'])}")
        print(f"  Headroom layered (measured inputs): front saturates at "
              f"{fmt(q['front']['saturation_rps'])}/s  -> err "
              f"{rel(r['throughput'], q['front']['saturation_rps'])}")
        print(f"  closed MVA of the saturated front ({a.front_n * a.front_c} workers cycling "
              f"through own sleep and back, measured S): {r['mva_saturation']:.1f}/s  -> err "
              f"{rel(r['throughput'], r['mva_saturation'])}")
        print(f"  naive tier by tier: min(front {a.front_n * a.front_c * 1e3 / a.front_ms:.0f}, "
              f"back {a.back_n * a.back_c * 1e3 / a.back_ms / a.calls:.0f}) = {naive:.0f}/s"
              f"  -> err {rel(r['throughput'], naive)}")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    p = argparse.ArgumentParser(prog=f"two_tier.py {cmd}")
    add_fleet_args(p)
    if cmd == "project":
        p.add_argument("out")
        p.add_argument("--rate", type=float, default=100)
        a = p.parse_args(sys.argv[2:])
        with open(a.out, "w") as f:
            json.dump(fleet_project(a, a.rate), f, indent=2)
            f.write("\n")
    elif cmd == "predict":
        p.add_argument("--cli", required=True)
        p.add_argument("--rate", type=float, default=100)
        p.add_argument("--line", action="store_true", help="one summary line, not the JSON")
        a = p.parse_args(sys.argv[2:])
        d = analyze(a.cli, fleet_project(a, a.rate))
        if not a.line:
            print(json.dumps(d, indent=1))
            return
        f, b = d["front"], d["back"]
        print(f"front saturates at {fmt(f['saturation_rps'])}/s ({f['saturating_resource']}, "
              f"pushed_by {f['pushed_by']}), back at {fmt(b['saturation_rps'])}/s; bottleneck "
              f"{d['bottleneck']}; front: {f['model']}")
    elif cmd == "row":
        for name in ("gen", "stats", "cli"):
            p.add_argument("--" + name, required=True)
        for name in ("rate", "cpu-nginx", "cpu-front", "cpu-back", "wall"):
            p.add_argument("--" + name, type=float, required=True)
        p.add_argument("--saturation", action="store_true")
        row(p.parse_args(sys.argv[2:]))
    elif cmd == "table":
        p.add_argument("results")
        a = p.parse_args(sys.argv[2:])
        table(a.results, a)
    elif cmd == "mva":
        p.add_argument("--n", type=int, default=12)
        p.add_argument("--z", type=float, default=0.010)
        p.add_argument("--sb", type=float, default=0.010)
        p.add_argument("--c", type=int, default=8)
        p.add_argument("--v", type=float, default=1)
        a = p.parse_args(sys.argv[2:])
        print(f"{mva(a.n, a.z, a.sb, a.c, a.v):.2f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

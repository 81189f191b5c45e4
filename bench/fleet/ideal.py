#!/usr/bin/python3
"""The round-robin tier model against the simulated ideal fleet.

For clones N, workers per clone c, service SCV cs2 and utilisation u over a grid, runs
build/bench/headroom_fleet_sim (Poisson arrivals, round robin over N clones of c FCFS
workers, gamma service of 20 ms) and `headroom-cli calc fleet --lb round-robin` on the same
rate, and prints the mean wait and p95 response of each with the model's error; then the
error ranges. Usage (after cmake --build build):

    bench/fleet/ideal.py [--requests 1000000] [--json OUT]

About a minute on 2 cores. The figures are in docs/methodology.md, section 3.
"""

import argparse
import itertools
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIM = os.path.join(ROOT, "build", "bench", "headroom_fleet_sim")
CLI = os.path.join(ROOT, "build", "app", "headroom-cli")
SERVICE = 0.020


def run(args):
    return json.loads(subprocess.check_output(args))


def point(n, c, scv, u, requests):
    sim = run([SIM, "--lb", "round-robin", "--replicas", str(n), "--concurrency", str(c),
               "--service-time", str(SERVICE), "--service-scv", str(scv),
               "--utilisation", str(u), "--requests", str(requests)])
    model = run([CLI, "calc", "fleet", "--arrival-rate", repr(sim["arrival_rate_per_s"]),
                 "--service-time", str(SERVICE), "--service-scv", str(scv),
                 "--replicas", str(n), "--concurrency", str(c), "--lb", "round-robin",
                 "--format", "json"])
    return {"replicas": n, "concurrency": c, "service_scv": scv, "utilisation": u,
            "sim_wait_ms": sim["mean_wait_s"] * 1e3,
            "model_wait_ms": (model["mean_response_s"] - SERVICE) * 1e3,
            "sim_p95_ms": sim["p95_response_s"] * 1e3,
            "model_p95_ms": model["percentile_response_s"] * 1e3}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--json", help="also write the rows here")
    args = parser.parse_args()
    for tool in (SIM, CLI):
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} is missing: run cmake --build build first")
    rows = []
    print(" N  c   cs2    u | wait sim  model (ms) | p95 sim  model (ms)  error")
    for n, c, scv, u in itertools.product([2, 3, 8], [1, 4, 16], [0, 0.25, 0.5, 1, 2],
                                          [0.5, 0.7, 0.8, 0.9, 0.95]):
        r = point(n, c, scv, u, args.requests)
        rows.append(r)
        error = r["model_p95_ms"] / r["sim_p95_ms"] - 1
        print(f"{n:2d} {c:2d} {scv:5.2f} {u:4.2f} | {r['sim_wait_ms']:8.3f} "
              f"{r['model_wait_ms']:8.3f}   | {r['sim_p95_ms']:7.2f} {r['model_p95_ms']:7.2f}"
              f"  {error * 100:+5.1f}%", flush=True)
    for label, keep in (("up to 90% busy", lambda r: r["utilisation"] <= 0.9),
                        ("at 95% busy", lambda r: r["utilisation"] == 0.95)):
        errors = [r["model_p95_ms"] / r["sim_p95_ms"] - 1 for r in rows if keep(r)]
        print(f"p95 error {label}: {min(errors) * 100:+.1f}% to {max(errors) * 100:+.1f}%, "
              f"mean |error| {sum(map(abs, errors)) / len(errors) * 100:.1f}%")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)


if __name__ == "__main__":
    main()

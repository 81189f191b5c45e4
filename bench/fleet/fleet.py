#!/usr/bin/env python3
"""Helpers for bench/fleet/run.sh (standard library only).

  fleet.py ports K                 K distinct free TCP ports on 127.0.0.1
  fleet.py wait PORT [SECONDS]     wait until 127.0.0.1:PORT accepts a connection
  fleet.py stats PORT...           each clone's /stats since its previous /stats, as a JSON list
  fleet.py row [options]           one measured run beside Headroom's prediction, as a JSON line
  fleet.py table RESULTS.jsonl     the comparison table of all runs
"""
import argparse
import http.client
import json
import socket
import subprocess
import sys
import time


def ports(k):
    socks = []
    for _ in range(k):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()


def wait(port, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def stats(port_list):
    out = []
    for p in port_list:
        c = http.client.HTTPConnection("127.0.0.1", p, timeout=5)
        c.request("GET", "/stats")
        out.append(json.loads(c.getresponse().read()))
        c.close()
    print(json.dumps(out))


CLI_LB = {"round_robin": "round-robin", "least_conn": "least-conn", "random": "random",
          "hash": "ip-hash", "ip_hash": "ip-hash"}


def predict(cli, lb, rate, service_s, scv, n, c, imbalance, pct):
    cmd = [cli, "calc", "fleet", "--arrival-rate", f"{rate:.6f}", "--service-time",
           f"{service_s:.9f}", "--service-scv", f"{scv}", "--replicas", str(n), "--concurrency",
           str(c), "--lb", CLI_LB[lb], "--percentile", str(pct), "--format", "json"]
    if CLI_LB[lb] == "ip-hash":
        cmd += ["--imbalance", f"{imbalance:.6f}"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def row(a):
    gen = json.load(open(a.gen))
    clones = json.load(open(a.stats))
    served = sum(s["served"] for s in clones)
    weigh = lambda key: sum(s[key] * s["served"] for s in clones) / max(served, 1)
    # The clones' own view of the measured window's requests (X-Wait-Us, X-Service-Us headers);
    # /stats (the whole run, warm-up included) when the headers did not come through.
    has_headers = gen["server_service_ms"] >= 0
    served_ms = gen["server_service_ms"] if has_headers else weigh("mean_service_ms")
    server_wait = gen["server_wait_ms"] if has_headers else weigh("mean_wait_ms")
    service_ms = served_ms if a.predict_s == "measured" else a.service_ms
    shares = [s["served"] / max(served, 1) for s in clones]
    imbalance = max(shares) * len(clones) - 1
    # The rate the schedule really offered in the measured window (a Poisson count, so not
    # exactly L): the planner's input, free of the sampling noise of the count.
    rate = gen["offered_rate"]
    p95 = predict(a.cli, a.lb, rate, service_ms / 1e3, a.scv, a.replicas, a.concurrency,
                  imbalance, 95)
    p99 = predict(a.cli, a.lb, rate, service_ms / 1e3, a.scv, a.replicas, a.concurrency,
                  imbalance, 99)
    ms = lambda v: None if v is None else v * 1e3
    r = {
        "dist": a.dist, "scv": a.scv, "lb": a.lb, "load_pct": a.load, "rate": a.rate,
        "offered": rate, "throughput": gen["throughput"], "service_ms": service_ms,
        "mean_ms": gen["mean_ms"], "p95_ms": gen["p95_ms"], "p99_ms": gen["p99_ms"],
        "unfinished": gen["unfinished"], "errors": gen["errors"] + gen["non200"],
        "late": gen["late"], "late_10ms": gen["late_10ms"], "max_late_ms": gen["max_late_ms"],
        "server_wait_ms": server_wait, "server_service_ms": served_ms,
        "server_service_scv": gen.get("server_service_scv", -1),
        "overhead_ms": gen["overhead_mean_ms"] if has_headers
        else gen["mean_ms"] - server_wait - served_ms,
        "overhead_p99_ms": gen["overhead_p99_ms"],
        "shares": shares, "imbalance": imbalance,
        "pred_mean_ms": ms(p95["mean_response_s"]), "pred_p95_ms": ms(p95["percentile_response_s"]),
        "pred_p99_ms": ms(p99["percentile_response_s"]),
        "pred_saturation": p95["saturation_throughput_per_s"], "saturated": p95["saturated"],
        "model": p95["model"], "cpu_gen_s": gen["cpu_s"], "cpu_nginx_s": a.cpu_nginx,
        "cpu_clones_s": a.cpu_clones, "wall_s": a.wall, "saturation_run": a.saturation,
        "nominal_saturation": a.replicas * a.concurrency * 1e3 / a.service_ms,
        "measured_saturation": a.replicas * a.concurrency * 1e3 / served_ms,
    }
    print(json.dumps(r))
    err = lambda m, p: "   -  " if p is None or m is None or m < 0 else f"{(m - p) / p * 100:+5.0f}%"
    print(f"  {a.dist:5} {a.lb:11} {a.load:3}%  X {r['throughput']:6.1f}/s  mean {r['mean_ms']:7.2f} "
          f"({err(r['mean_ms'], r['pred_mean_ms'])})  p95 {r['p95_ms']:7.2f} "
          f"({err(r['p95_ms'], r['pred_p95_ms'])})  p99 {r['p99_ms']:7.2f} "
          f"({err(r['p99_ms'], r['pred_p99_ms'])})  late {r['late']}", file=sys.stderr)


def fmt(v, width=7, digits=1):
    if v is None:
        return "sat".rjust(width)
    if v < 0:
        return "inf".rjust(width)
    return f"{v:{width}.{digits}f}"


def rel(m, p):
    if m is None or p is None or m < 0:
        return "    - "
    return f"{(m - p) / p * 100:+5.0f}%"


def table(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    runs = [r for r in rows if not r["saturation_run"]]
    print("Latency from each request's scheduled send time to the end of its response, through "
          "nginx; 'pred' = headroom-cli calc fleet with the offered rate and the measured mean "
          "service time; err = (measured - predicted) / predicted.")
    head = (f"{'dist':5} {'lb':11} {'load':>4} {'L/s':>6} {'X/s':>6} {'S ms':>5} {'cs2':>4} | "
            f"{'mean':>6} {'pred':>6} {'err':>6} | {'p95':>6} {'pred':>6} {'err':>6} | "
            f"{'p99':>6} {'pred':>6} {'err':>6} | {'Wq srv':>6} {'Wq prd':>6} | {'ovh':>4} "
            f"{'imb%':>4} {'late':>4} | {'cpu% gen/ngx/clones':>19}")
    print(head)
    print("-" * len(head))
    for r in runs:
        pred_wq = None if r["pred_mean_ms"] is None else r["pred_mean_ms"] - r["service_ms"]
        cpu = lambda k: 100 * r[k] / r["wall_s"]
        print(f"{r['dist']:5} {r['lb']:11} {r['load_pct']:>3}% {r['offered']:6.1f} "
              f"{r['throughput']:6.1f} {r['service_ms']:5.2f} {r.get('server_service_scv', -1):4.2f} | "
              f"{fmt(r['mean_ms'], 6, 2)} {fmt(r['pred_mean_ms'], 6, 2)} "
              f"{rel(r['mean_ms'], r['pred_mean_ms'])} | "
              f"{fmt(r['p95_ms'], 6)} {fmt(r['pred_p95_ms'], 6)} {rel(r['p95_ms'], r['pred_p95_ms'])} | "
              f"{fmt(r['p99_ms'], 6)} {fmt(r['pred_p99_ms'], 6)} {rel(r['p99_ms'], r['pred_p99_ms'])} | "
              f"{fmt(r['server_wait_ms'], 6, 2)} {fmt(pred_wq, 6, 2)} | "
              f"{r['overhead_ms']:4.2f} {100 * r['imbalance']:4.1f} "
              f"{r['late']:4d} | {cpu('cpu_gen_s'):5.0f} {cpu('cpu_nginx_s'):5.0f} "
              f"{cpu('cpu_clones_s'):6.0f}")
    print("S, cs2: mean and squared coefficient of variation of the clones' sleeps as they ended "
          "(X-Service-Us); the CLI gets S and the nominal SCV (exp 1, const 0). Wq srv: mean queue wait inside "
          "the clones (X-Wait-Us); Wq prd: predicted mean response minus S. ovh: mean latency "
          "outside the clones (nginx, loopback, generator), in ms. imb%: busiest clone's share "
          "of requests above 1/N. late: requests sent > 1 ms after their scheduled time. "
          "cpu%: of one core over the run.")
    sats = [r for r in rows if r["saturation_run"]]
    if sats:
        print()
        print("Saturation: driven at the given % of N*c/S (nominal S); X = responses per second "
              "completed inside the measured window.")
        print(f"{'dist':5} {'lb':11} {'drive':>5} {'L/s':>6} {'X/s':>7} {'N*c/S':>7} "
              f"{'N*c/Smeas':>9} {'cli sat':>7} {'X/(N*c/Smeas)':>13} | {'cpu% gen/ngx/clones':>19}")
        for r in sats:
            nominal = r["nominal_saturation"]
            measured = r["measured_saturation"]
            cpu = lambda k: 100 * r[k] / r["wall_s"]
            print(f"{r['dist']:5} {r['lb']:11} {r['load_pct']:>4}% {r['offered']:6.1f} "
                  f"{r['throughput']:7.1f} {nominal:7.1f} {measured:9.1f} "
                  f"{r['pred_saturation']:7.1f} {r['throughput'] / measured * 100:12.1f}% | "
                  f"{cpu('cpu_gen_s'):5.0f} {cpu('cpu_nginx_s'):5.0f} {cpu('cpu_clones_s'):6.0f}")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "ports":
        ports(int(sys.argv[2]))
    elif cmd == "wait":
        wait(int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 10)
    elif cmd == "stats":
        stats([int(p) for p in sys.argv[2:]])
    elif cmd == "row":
        p = argparse.ArgumentParser(prog="fleet.py row")
        for name in ("gen", "stats", "cli", "lb", "dist", "predict-s"):
            p.add_argument("--" + name, required=True)
        for name in ("scv", "rate", "service-ms", "cpu-nginx", "cpu-clones", "wall"):
            p.add_argument("--" + name, type=float, required=True)
        for name in ("load", "replicas", "concurrency"):
            p.add_argument("--" + name, type=int, required=True)
        p.add_argument("--saturation", action="store_true")
        a = p.parse_args(sys.argv[2:])
        row(a)
    elif cmd == "table":
        table(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

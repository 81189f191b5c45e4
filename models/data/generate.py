#!/usr/bin/env python3
"""Writes the sample metric files the example projects bind (models/*.headroom.json,
"metric_files"). Synthetic but shaped like production traffic: a daily curve with a lunchtime
and an evening peak, quieter weekends, Poisson noise on 15 s windows, and one campaign spike.
CPU follows the utilisation law (U = X * D / capacity) with the example's own numbers, and p95
latency rises with utilisation like a queue does. Deterministic: the same files every run.

    /usr/bin/python3 models/data/generate.py        (from the repository root)
"""
import json
import math
import os
import random

STEP_S = 15
START = 1792972800  # 2026-10-26T00:00:00Z, a Monday (date -u -d 2026-10-26 +%s)
WEEK = 7 * 24 * 3600
HERE = os.path.dirname(os.path.abspath(__file__))


def daily_shape(t):
    """1.0 on average over a weekday; low at night, peaks at 12:30 and 20:00 UTC."""
    hour = ((t - START) % 86400) / 3600.0
    lunch = math.exp(-((hour - 12.5) ** 2) / (2 * 2.0 ** 2))
    evening = math.exp(-((hour - 20.0) ** 2) / (2 * 1.8 ** 2))
    night = 0.25
    return night + 1.1 * lunch + 1.35 * evening


def weekly(t):
    day = ((t - START) // 86400) % 7  # 0 = Monday
    return 0.8 if day >= 5 else 1.0


def spike(t, at, height, rise_s, decay_s):
    """A campaign: rises linearly over rise_s, then decays exponentially."""
    if t < at:
        return 1.0
    if t < at + rise_s:
        return 1.0 + height * (t - at) / rise_s
    return 1.0 + height * math.exp(-(t - at - rise_s) / decay_s)


def poisson_rate(rng, mean_rps):
    """Requests per second counted over one 15 s window (normal approximation of Poisson)."""
    count = max(0.0, rng.gauss(mean_rps * STEP_S, math.sqrt(mean_rps * STEP_S)))
    return round(count) / STEP_S


def p95_ms(service_ms, utilisation, rng):
    # Grows like a queue's waiting time; noisy, never below the service time.
    u = min(utilisation, 0.97)
    base = 2.2 * service_ms * (1 + 0.9 * u / (1 - u))
    return max(service_ms, base * rng.lognormvariate(0, 0.06))


class Autoscaler:
    """Roughly what an HPA at 60% CPU does: proposes ceil(n * u / target) outside a 10%
    tolerance, scales up once new instances have booted, down only to the highest proposal of
    the last five minutes. Good enough for sample data; the what-if engine models the real one."""

    def __init__(self, replicas, low, high, boot_s):
        self.ready = replicas
        self.low, self.high, self.boot = low, high, boot_s // STEP_S
        self.pending = []  # (ready at tick, count)
        self.proposals = [replicas] * 20  # five minutes of proposals, as if steady before

    def step(self, tick, utilisation):
        self.ready += sum(n for at, n in self.pending if at == tick)
        self.pending = [(at, n) for at, n in self.pending if at > tick]
        wanted = self.ready
        if abs(utilisation / 0.6 - 1) > 0.1:
            wanted = max(self.low, min(self.high, math.ceil(self.ready * utilisation / 0.6)))
        self.proposals = (self.proposals + [wanted])[-20:]
        coming = self.ready + sum(n for _, n in self.pending)
        if wanted > coming:
            self.pending.append((tick + self.boot, wanted - coming))
        elif max(self.proposals) < self.ready and not self.pending:
            self.ready = max(self.proposals)
        return self.ready


def series(rng, mean_rps, scaler, cpu_ms, cores_request, service_ms, spike_at, spike_height):
    norm = 1 / 0.692  # the daily shape times the weekend dip averages 0.692 over a week
    rows = []
    for tick, t in enumerate(range(START, START + WEEK, STEP_S)):
        rate = mean_rps * norm * daily_shape(t) * weekly(t) * spike(t, spike_at, spike_height,
                                                                    600, 2400)
        rps = poisson_rate(rng, rate)
        replicas = scaler.ready
        busy_cores = rps * cpu_ms / 1000 / replicas  # per instance
        utilisation = busy_cores / cores_request
        cpu = min(1.0, utilisation + 0.03 + rng.gauss(0, 0.005))  # plus background work
        rows.append((t, rps, cpu, min(busy_cores, cores_request), replicas,
                     p95_ms(service_ms, utilisation, rng)))
        scaler.step(tick, cpu)
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="\n") as out:
        out.write("time,rps,cpu_percent,p95_latency_ms,replicas\n")
        for t, rps, cpu, _, replicas, p95 in rows:  # (time, rps, cpu, cores, replicas, p95)
            out.write(f"{t},{rps:.2f},{cpu * 100:.1f},{p95:.1f},{replicas}\n")


def write_query_range(path, rows, job):
    """What Prometheus' /api/v1/query_range answers for three recording rules."""
    def result(name, values):
        return {"metric": {"__name__": name, "job": job}, "values": values}
    doc = {
        "status": "success",
        "data": {
            "resultType": "matrix",
            "result": [
                result(f"{job}:http_requests:rate1m",
                       [[r[0], f"{r[1]:.2f}"] for r in rows]),
                result(f"{job}:container_cpu_usage:cores",
                       [[r[0], f"{r[3]:.3f}"] for r in rows]),
                result(f"{job}:http_request_duration_seconds:p95",
                       [[r[0], f"{r[5] / 1000:.4f}"] for r in rows]),
            ],
        },
    }
    with open(path, "w") as out:
        json.dump(doc, out, separators=(",", ":"))
        out.write("\n")


def main():
    # webshop "web": 400 req/s enter, 60% static of which the CDN serves 92%, so about
    # 400 * (1 - 0.6 * 0.92) = 179 req/s reach the 6 clones (14 ms CPU, 1500 mCPU request, 45 ms
    # service). Campaign e-mail on Thursday 19:00 UTC.
    rng = random.Random(20261026)
    web = series(rng, 179, Autoscaler(6, 4, 24, 40), 14, 1.5, 45,
                 START + 3 * 86400 + 19 * 3600, 1.8)
    write_csv(os.path.join(HERE, "webshop-web-week.csv"), web)
    # legacy-sticky "app": 110 req/s measured (the project's 150 is the sales forecast) on its
    # fixed 2 servers (60 ms CPU, 8 cores, 180 ms service); month-end reports Tuesday 10:00 UTC.
    rng = random.Random(20261027)
    app = series(rng, 110, Autoscaler(2, 2, 2, 180), 60, 8, 180,
                 START + 1 * 86400 + 10 * 3600, 0.5)
    write_query_range(os.path.join(HERE, "legacy-app-week.query_range.json"), app, "app")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The parameters reference_sim.py needs for one tier, as a JSON object on stdout, read from the
project and its analysis the way `headroom-cli simulate` reads them (standard library only):

    tier_params.py PROJECT.json ANALYSIS.json COMPONENT [--policy NAME]

PROJECT.json is the project in canonical form (`headroom-cli convert` writes every property,
defaults included); ANALYSIS.json is `headroom-cli analyze PROJECT --format json`. A tier's
capacity per instance is its drawn rate over its drawn instances over their utilisation (the
analysis at the drawn load, x1); it starts at its drawn instance count. The policy is the
tier's first (or the one named) and must be an HPA on CPU Utilization without `behavior`: the
only kind the reference implements.
"""
import argparse
import json
import sys


def fail(message):
    sys.exit(f"tier_params.py: {message}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("analysis")
    ap.add_argument("component")
    ap.add_argument("--policy", help="by name (default: the component's first policy)")
    args = ap.parse_args()
    with open(args.project, encoding="utf-8") as f:
        project = json.load(f)
    with open(args.analysis, encoding="utf-8") as f:
        analysis = json.load(f)

    component = next((c for c in project["components"] if c["id"] == args.component), None)
    if component is None:
        fail(f"no component {args.component} in {args.project}")
    props = component["properties"]
    drawn = next((c for c in analysis["components"] if c["id"] == args.component), None)
    if drawn is None or not drawn.get("utilisation"):
        fail(f"{args.component} carries no load in the analysis")
    if analysis.get("load_multiplier", 1) != 1:
        fail("the analysis must be at the drawn load (x1)")

    policy = next((p for p in project.get("policies", [])
                   if p["component"] == args.component and args.policy in (None, p["name"])),
                  None)
    if policy is None or policy["kind"] != "kubernetes_hpa":
        fail(f"{args.component} has no Kubernetes HPA policy" +
             (f" named {args.policy}" if args.policy else ""))
    spec = policy["definition"].get("spec", policy["definition"])
    if spec.get("behavior") is not None:
        fail(f"policy {policy['name']} has `behavior`; the reference implements the legacy rules")
    metrics = spec.get("metrics") or [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    if len(metrics) != 1 or metrics[0].get("type") != "Resource" \
            or metrics[0]["resource"].get("name") != "cpu" \
            or metrics[0]["resource"]["target"].get("type") != "Utilization":
        fail(f"policy {policy['name']} is not one CPU Utilization metric")

    instances = max(1, int(drawn["instances"]))
    json.dump({
        "capacity_rps": drawn["rate_rps"] / instances / drawn["utilisation"],
        "cpu_ms_per_request": props.get("cpu_ms_per_request", 0.0),
        "cores": props["cores"],
        "cpu_request_millicores": props["cpu_request_millicores"],
        "boot_time_s": props.get("boot_time_s", 0.0),
        "initial_replicas": instances,
        "min_replicas": spec.get("minReplicas", 1),
        "max_replicas": spec["maxReplicas"],
        "target_percent": metrics[0]["resource"]["target"]["averageUtilization"],
        "price_per_hour_usd": props.get("price_per_hour_usd", 0.0),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()

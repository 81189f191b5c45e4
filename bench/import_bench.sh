#!/usr/bin/env bash
# Metric import speed, memory and stored size, beside pandas and the sqlite3 shell on the same
# data, in one run on this machine.
#   bench/import_bench.sh [ROWS]     (default 10,000,000; needs a build in build/)
#   PROM_SECONDS=120 bench/import_bench.sh   how long the Prometheus for the counter runs
#
# Data: a CSV of ROWS rows (15 s steps, a noisy gauge with 3 decimals) and a Prometheus
# query_range answer of ROWS samples (10 series); and real counters scraped by a Prometheus
# (Debian's, on loopback, 1 s scrape) from a node exporter, fetched with the live importer.
# Each timing is the best of ROUNDS rounds (default 5, below); peak memory is GNU time's maximum
# resident set.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000000}
PROM_SECONDS=${PROM_SECONDS:-120}
CLI=build/app/headroom-cli
PARSE=build/bench/headroom_parse_only
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in python3-pandas sqlite3 time gzip prometheus prometheus-node-exporter; do
  need "$p" || { echo "installing $p"; sudo_=(); [ "$(id -u)" -ne 0 ] && sudo_=(sudo);
                 "${sudo_[@]}" apt-get install -y -qq "$p" >/dev/null; }
done

echo "generating $ROWS rows of CSV and a query_range answer of $ROWS samples..."
/usr/bin/python3 - "$ROWS" "$WORK" <<'PY'
import json, random, sys
n, work = int(sys.argv[1]), sys.argv[2]
random.seed(1)
t0 = 1700000000000
with open(f"{work}/data.csv", "w") as f:
    f.write("timestamp,value\n")
    rows = []
    for i in range(n):
        rows.append(f"{t0 + i * 15000},{500 + random.gauss(0, 50):.3f}\n")
        if len(rows) == 100000:
            f.writelines(rows); rows.clear()
    f.writelines(rows)
series = 10
per = n // series
with open(f"{work}/data.json", "w") as f:
    f.write('{"status":"success","data":{"resultType":"matrix","result":[')
    for s in range(series):
        f.write(("," if s else "") + '{"metric":{"__name__":"gauge","instance":"i%d"},"values":[' % s)
        f.write(",".join('[%.3f,"%.3f"]' % ((t0 + i * 15000) / 1000, 500 + random.gauss(0, 50))
                         for i in range(per)))
        f.write("]}")
    f.write("]}}\n")
PY
"$CLI" convert models/video-pipeline.headroom.json "$WORK/p.headroom" >/dev/null

# Another tenant on a shared machine takes a core for seconds at a time, and would skew a ratio
# if one tool's runs all fell in a busy spell: the runs go in rounds, each round running every
# tool once, and each tool's figure is its best round (its median is printed beside it).
ROUNDS=${ROUNDS:-5}
once() { # name command...: appends "seconds peak_kib" to $WORK/name.times
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
  cat "$WORK/t" >> "$WORK/$name.times"
}
parse_once() { # name file [--json]: the parse alone (import minus a separate compression)
  local name=$1; shift
  "$PARSE" "$@" | awk '{print $1, 0}' >> "$WORK/$name.times"
}
best() { sort -g "$WORK/$1.times" | head -1; }    # "seconds peak_kib" of the fastest run
median() { sort -g "$WORK/$1.times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

CSV_BYTES=$(stat -c %s "$WORK/data.csv")
JSON_BYTES=$(stat -c %s "$WORK/data.json")
echo "timing: $ROUNDS rounds, each tool once a round..."
for round in $(seq "$ROUNDS"); do
  once csv_dry "$CLI" import "$WORK/p.headroom" --csv "$WORK/data.csv" --dry-run
  cp "$WORK/p.headroom" "$WORK/stored.headroom"
  once csv_store "$CLI" import "$WORK/stored.headroom" --csv "$WORK/data.csv"
  parse_once csv_parse "$WORK/data.csv"
  once pandas /usr/bin/python3 -c "import pandas; pandas.read_csv('$WORK/data.csv')"
  once json_dry "$CLI" import "$WORK/p.headroom" --prometheus-json "$WORK/data.json" --dry-run
  parse_once json_parse "$WORK/data.json" --json
  if [ "$round" -le 3 ]; then # the slow ones, best of three
    once sqlite bash -c "rm -f '$WORK/plain.db' && sqlite3 '$WORK/plain.db' 'CREATE TABLE s(timestamp INTEGER, value REAL);' '.mode csv' '.import --skip 1 $WORK/data.csv s'"
    once pyjson /usr/bin/python3 -c "import json; json.load(open('$WORK/data.json'))"
  fi
done
read -r csv_dry csv_dry_k < <(best csv_dry)
read -r csv_store csv_store_k < <(best csv_store)
read -r csv_parse _ < <(best csv_parse)
read -r pandas pandas_k < <(best pandas)
read -r sqlite sqlite_k < <(best sqlite)
read -r json_dry json_dry_k < <(best json_dry)
read -r json_parse _ < <(best json_parse)
read -r pyjson pyjson_k < <(best pyjson)
med_store=$(median csv_store); med_parse=$(median csv_parse); med_pandas=$(median pandas)
"$CLI" series "$WORK/stored.headroom" --format json > "$WORK/stored.json"
gzip -9 -c "$WORK/data.csv" > "$WORK/data.csv.gz"

echo "starting Prometheus for ${PROM_SECONDS}s to scrape real counters..."
port() { /usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
NODE_PORT=$(port); PROM_PORT=$(port)
cat > "$WORK/prometheus.yml" <<YML
global: {scrape_interval: 1s}
scrape_configs: [{job_name: node, static_configs: [{targets: ['127.0.0.1:$NODE_PORT']}]}]
YML
prometheus-node-exporter --web.listen-address=127.0.0.1:$NODE_PORT >"$WORK/node.log" 2>&1 & PIDS+=($!)
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address=127.0.0.1:$PROM_PORT >"$WORK/prom.log" 2>&1 & PIDS+=($!)
sleep "$PROM_SECONDS"
COUNTERS='{__name__=~"node_(cpu_seconds|network_receive_bytes|network_transmit_bytes|disk_read_bytes|disk_written_bytes|context_switches|intr|forks|network_receive_packets)_total"}'
"$CLI" convert models/video-pipeline.headroom.json "$WORK/counters.headroom" >/dev/null
"$CLI" import "$WORK/counters.headroom" --prometheus "http://127.0.0.1:$PROM_PORT" \
  --query "$COUNTERS" --start "now-$((PROM_SECONDS - 10))s" --end now-2s --step 1s >/dev/null
"$CLI" series "$WORK/counters.headroom" --format json > "$WORK/counters.json"
/usr/bin/python3 - "$PROM_PORT" "$COUNTERS" "$((PROM_SECONDS - 10))" "$WORK" <<'PY'
# The same counters straight from the server, as CSV, for gzip -9 and a plain sqlite3 table.
import json, subprocess, sys, time, urllib.parse, urllib.request
port, query, span, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
stored = json.load(open(f"{work}/counters.json"))["series"]
first = min(s["first"] for s in stored); last = max(s["last"] for s in stored)
import datetime
ts = lambda x: datetime.datetime.strptime(x.replace(".", "").rstrip("Z")[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
args = urllib.parse.urlencode({"query": query, "start": ts(first), "end": ts(last) + 1, "step": "1s"})
answer = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query_range?{args}"))
with open(f"{work}/counters.csv", "w") as f:
    f.write("series,timestamp,value\n")
    for i, r in enumerate(answer["data"]["result"]):
        for t, v in r["values"]:
            f.write(f"{i},{int(round(t * 1000))},{v}\n")
PY
gzip -9 -c "$WORK/counters.csv" > "$WORK/counters.csv.gz"
sqlite3 "$WORK/counters.db" 'CREATE TABLE s(series INTEGER, timestamp INTEGER, value REAL);' '.mode csv' ".import --skip 1 $WORK/counters.csv s"

/usr/bin/python3 - <<PY
rows, csvb, jsonb = $ROWS, $CSV_BYTES, $JSON_BYTES
def line(label, secs, kib, nbytes, samples):
    mb = nbytes / 1e6
    print(f"{label:38s} {secs:6.2f} s {mb / secs:8.1f} MB/s {samples / secs / 1e6:7.2f} M samples/s"
          + (f" {kib / 1024:8.1f} MiB peak" if kib else ""))
print(f"\nCSV: {csvb / 1e6:.1f} MB, {rows} samples (decoded: {rows * 16 / 2**20:.0f} MiB at 16 B each)")
line("headroom parse only (2 cores)", $csv_parse, 0, csvb, rows)
line("headroom import --dry-run (parse+compress)", $csv_dry, $csv_dry_k, csvb, rows)
line("headroom import (parse+compress+store)", $csv_store, $csv_store_k, csvb, rows)
line("pandas.read_csv", $pandas, $pandas_k, csvb, rows)
line("sqlite3 .import", $sqlite, $sqlite_k, csvb, rows)
print(f"  parse vs pandas: {$pandas / $csv_parse:.1f}x   parse+store vs pandas' parse: {$pandas / $csv_store:.1f}x"
      f"   (best of $ROUNDS rounds; medians: parse {$med_parse:.2f} s, parse+store {$med_store:.2f} s,"
      f" pandas {$med_pandas:.2f} s: {$med_pandas / $med_parse:.1f}x and {$med_pandas / $med_store:.1f}x)")
print(f"\nquery_range JSON: {jsonb / 1e6:.1f} MB, {rows} samples")
line("headroom parse only (simdjson)", $json_parse, 0, jsonb, rows)
line("headroom import --dry-run (parse+compress)", $json_dry, $json_dry_k, jsonb, rows)
line("python json.load", $pyjson, $pyjson_k, jsonb, rows)
PY
/usr/bin/python3 - "$ROWS" "$WORK" <<'PY'
import json, os, sys
n, w = int(sys.argv[1]), sys.argv[2]
size = lambda p: os.path.getsize(os.path.join(w, p))
print("\nstored bytes per sample")
g = json.load(open(f"{w}/stored.json"))["series"]
gs = sum(s["stored_bytes"] for s in g) / sum(s["samples"] for s in g)
# The chunks' bytes, and what the project file grew by over the model alone (pages, indexes).
model = size('p.headroom')
gf = (size('stored.headroom') - model) / n
print(f"  noisy gauge ({n} samples):  headroom chunks {gs:5.2f}, file {gf:5.2f}"
      f"   gzip -9 of the CSV {size('data.csv.gz') / n:5.2f}   plain sqlite3 table {size('plain.db') / n:5.2f}")
c = json.load(open(f"{w}/counters.json"))["series"]
cn = sum(s["samples"] for s in c)
cs = sum(s["stored_bytes"] for s in c) / cn
cf = (size('counters.headroom') - model) / cn
print(f"  real counters ({len(c)} series, {cn} samples, 1 s scrape):  headroom chunks {cs:5.2f}, file {cf:5.2f}"
      f"   gzip -9 of the CSV {size('counters.csv.gz') / cn:5.2f}   plain sqlite3 table {size('counters.db') / cn:5.2f}")
PY

#!/usr/bin/env bash
# CSV import speed and stored size, side by side with pandas and the sqlite3 shell on the same
# file, in one run on this machine.
#   bench/csv_import_bench.sh [ROWS]      (default 10,000,000; needs a build in build/)
# Reports MB/s, samples/s and peak memory (GNU time) for:
#   headroom import --dry-run   parse + compress, nothing written
#   headroom import             parse + compress + store in a .headroom file
#   pandas.read_csv             Debian's python3-pandas, /usr/bin/python3 (installed if missing)
#   sqlite3 .import             into a plain table (timestamp, value)
# and the bytes per sample: Headroom's file, gzip -9 of the CSV, the plain sqlite3 table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000000}
CLI=build/app/headroom-cli
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in python3-pandas sqlite3 time gzip; do
  need "$p" || { echo "installing $p"; sudo_=(); [ "$(id -u)" -ne 0 ] && sudo_=(sudo);
                 "${sudo_[@]}" apt-get install -y -qq "$p" >/dev/null; }
done

echo "generating $ROWS rows (15 s steps, a noisy gauge with 3 decimals)..."
/usr/bin/python3 - "$ROWS" "$WORK/data.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(1)
with open(path, "w") as f:
    f.write("timestamp,value\n")
    t = 1700000000000
    rows = []
    for i in range(n):
        rows.append(f"{t + i * 15000},{500 + random.gauss(0, 50):.3f}\n")
        if len(rows) == 100000:
            f.writelines(rows); rows.clear()
    f.writelines(rows)
PY
BYTES=$(stat -c %s "$WORK/data.csv")
MB=$(/usr/bin/python3 -c "print($BYTES / 1e6)")
"$CLI" convert models/legacy-sticky.headroom.json "$WORK/p.headroom" >/dev/null

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
  read -r secs kb < "$WORK/t"
  /usr/bin/python3 -c "
s=$secs if $secs > 0 else 0.001
print(f'{\"$label\":34s} {s:7.2f} s {$MB/s:9.1f} MB/s {$ROWS/s/1e6:7.2f} M samples/s {$kb/1024:8.1f} MiB peak')"
}

echo
echo "file: $MB MB, $ROWS samples"
measure "headroom import --dry-run" "$CLI" import "$WORK/p.headroom" --csv "$WORK/data.csv" --dry-run
measure "headroom import (parse+store)" "$CLI" import "$WORK/p.headroom" --csv "$WORK/data.csv"
measure "pandas.read_csv" /usr/bin/python3 -c "import pandas; pandas.read_csv('$WORK/data.csv')"
measure "sqlite3 .import" sqlite3 "$WORK/plain.db" \
  "CREATE TABLE s(timestamp INTEGER, value REAL);" ".mode csv" ".import --skip 1 $WORK/data.csv s"

gzip -9 -c "$WORK/data.csv" > "$WORK/data.csv.gz"
/usr/bin/python3 - "$ROWS" "$WORK" <<'PY'
import os, sys
n, w = int(sys.argv[1]), sys.argv[2]
print()
for label, path in [("headroom .headroom file", "p.headroom"), ("gzip -9 of the CSV", "data.csv.gz"),
                    ("plain sqlite3 table", "plain.db")]:
    size = os.path.getsize(os.path.join(w, path))
    print(f"{label:34s} {size / n:7.2f} bytes/sample")
PY

#!/usr/bin/env bash
# This build's core benchmarks against another commit's, measured in turn. On a shared virtual
# machine the speed of the same binary swings by half within minutes (session 13 saw one
# analysis take 3.3 ms, then 5.4 ms, a minute apart), so two builds compare only when their
# runs alternate.
#   bench/ab.sh COMMIT [FILTER] [ROUNDS]
#     COMMIT  what to compare with (a hash, a tag, HEAD~3)
#     FILTER  Google Benchmark's --benchmark_filter (default Analysis_Full1000Components)
#     ROUNDS  how many times each build runs, in turn (default 4)
#   REPS=9 bench/ab.sh ...   repetitions per run (default 5); each line is their minimum
#
# COMMIT's benchmarks are built once in a worktree at /tmp/headroom-ab-<hash> (about 4 minutes
# on 2 cores, the same build type as build/) and kept for the next comparison; remove it with
# `git worktree remove --force /tmp/headroom-ab-<hash>`. This build must be built already
# (cmake --build build); the two builds never run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
FILTER=${2:-Analysis_Full1000Components}
ROUNDS=${3:-4}
REPS=${REPS:-5}
NEW=build/bench/headroom_bench
[ -x "$NEW" ] || { echo "no $NEW: build the project first (cmake --build build)" >&2; exit 1; }
HASH=$(git rev-parse --short=12 "$1^{commit}") || { echo "no commit $1" >&2; exit 1; }
TREE=/tmp/headroom-ab-$HASH
OLD=$TREE/build/bench/headroom_bench
if [ ! -x "$OLD" ]; then
  [ -d "$TREE" ] || git worktree add --detach -q "$TREE" "$HASH"
  TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' build/CMakeCache.txt)
  echo "building $HASH's benchmarks in $TREE (${TYPE:-default} build)..." >&2
  cmake -S "$TREE" -B "$TREE/build" -G Ninja -DCMAKE_BUILD_TYPE="${TYPE:-RelWithDebInfo}" \
    >"$TREE/configure.log" 2>&1
  cmake --build "$TREE/build" --target headroom_bench >"$TREE/build.log" 2>&1 ||
    { echo "the build of $HASH failed: $TREE/build.log" >&2; exit 1; }
fi

# One run of a build: the minimum over its repetitions, per benchmark (milliseconds or the
# benchmark's own unit).
run() {
  "$1" --benchmark_filter="$FILTER" --benchmark_repetitions="$REPS" --benchmark_format=csv \
    2>/dev/null | awk -F, -v who="$2" '
      NR > 1 && $1 !~ /_(mean|median|stddev|cv)"?$/ {
        n = $1; gsub(/"/, "", n); t = $3 + 0; u = $5; gsub(/"/, "", u)
        if (!(n in m) || t < m[n]) { m[n] = t; unit[n] = u }
      }
      END { for (n in m) printf "%-8s %-55s %10.3f %s\n", who, n, m[n], unit[n] }'
}

echo "min of $REPS repetitions each; $HASH and this build ($(git rev-parse --short=12 HEAD)$(git diff --quiet || echo ", with changes")) in turn"
for ((i = 1; i <= ROUNDS; ++i)); do
  run "$OLD" "$HASH" | sort -k2
  run "$NEW" "this" | sort -k2
done

#!/bin/sh
# The scorecard benchmark: one calibration group of N people (default 10000) scored and
# calibrated by plans/sales-scorecard.yaml.  Prints the engine time reported by
# `jixiao run --timing` (data in memory: scoring, forced distribution, consequences) and
# the end-to-end time.  A benchmark, not a test: nothing here is timed by make check.
set -eu
cd "$(dirname "$0")/../.."
n=${1:-10000}
build=${BENCH_BUILD:-build-release}
out=${BENCH_OUT:-bench/out}/score-$n
[ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release >/dev/null
ninja -C "$build" jixiao >/dev/null
jx=$build/jixiao
mkdir -p "$out"
[ -f "$out/ratings.csv" ] || python3 bench/score/gen.py "$n" "$out"
db=$out/score.db
rm -f "$db" "$db-wal" "$db-shm"
$jx init --db "$db" >/dev/null
for k in units people customers contracts payments targets ratings; do
    $jx import --db "$db" $k "$out/$k.csv" >/dev/null 2>&1
done
for i in 1 2 3; do
    /usr/bin/time -f "%e s wall, %M KB peak" -o "$out/time.$i" \
        $jx run --db "$db" --plan plans/sales-scorecard.yaml --period 2025-08 --format csv \
        --timing >"$out/results.csv" 2>"$out/timing.$i"
    echo "run $i: $(grep timing "$out/timing.$i"); $(cat "$out/time.$i")"
done
echo "grades: $(cut -d, -f13 "$out/results.csv" | sort | uniq -c | tr '\n' ' ')"

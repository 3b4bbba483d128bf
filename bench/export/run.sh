#!/bin/sh
# The results export benchmark: N people (default 10000, bench/score's generator) paid by
# plans/marketing-center.yaml and scored by plans/sales-scorecard.yaml for 2025-08, then the
# run written out three times each as an .xlsx workbook (pay, scores and trace sheets:
# `jixiao results --format xlsx`), as CSV, and - the peer, a floor - the stored result
# rows dumped by sqlite3 itself.  A benchmark, not a test: nothing here is timed by make check.
set -eu
cd "$(dirname "$0")/../.."
n=${1:-10000}
build=${BENCH_BUILD:-build-release}
out=${BENCH_OUT:-bench/out}/export-$n
data=${BENCH_OUT:-bench/out}/score-$n
[ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release >/dev/null
ninja -C "$build" jixiao >/dev/null
jx=$build/jixiao
mkdir -p "$out" "$data"
[ -f "$data/ratings.csv" ] || python3 bench/score/gen.py "$n" "$data"
db=$out/export.db
rm -f "$db" "$db-wal" "$db-shm"
$jx init --db "$db" >/dev/null
for k in units people customers contracts payments targets ratings; do
    $jx import --db "$db" $k "$data/$k.csv" >/dev/null 2>&1
done
$jx run --db "$db" --plan plans/marketing-center.yaml --plan plans/sales-scorecard.yaml \
    --period 2025-08 --format csv >"$out/results.csv"
echo "results: $(($(wc -l <"$out/results.csv") - 1)) people"
t() { # t NAME COMMAND...: wall time and peak memory of a command, three times
    name=$1
    shift
    for i in 1 2 3; do
        /usr/bin/time -f "%e s wall, %M KB peak" -o "$out/$name.time" "$@" >/dev/null
        echo "$name run $i: $(cat "$out/$name.time")"
    done
}
t xlsx $jx results --db "$db" --period 2025-08 --format xlsx --out "$out/results.xlsx"
echo "  $(ls -l "$out/results.xlsx" | awk '{print $5}') bytes"
t csv $jx results --db "$db" --period 2025-08 --format csv
t sqlite3-csv sqlite3 -csv "$db" "SELECT person_id, result FROM run_results WHERE run_seq = (SELECT max(seq) FROM runs)"

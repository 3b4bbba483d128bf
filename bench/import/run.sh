#!/bin/sh
# The import benchmark: jixiao import against sqlite3's own .import.
#
#   bench/import/run.sh [N]          N contract lines, default 1000000
#
# Builds the release binary if needed (Meson, build-release/ or $BENCH_BUILD),
# generates the data once per N (bench/out/data-N/, gen_contracts.py, seeded),
# then in one run times, each with /usr/bin/time (wall seconds, peak RSS):
#   jixiao init; jixiao import units, people, customers, contracts
#   sqlite3 .import --csv --skip 1 of the same contracts.csv into a plain
#   table (no validation, no transformation: the floor a loader could reach)
# and prints a table of times, rows/s and MB/s, and the ratio of the two
# contract imports.  Output files stay in bench/out/ (or $BENCH_OUT).
# This is a benchmark, not a test: nothing here is timed by make check.
set -eu
cd "$(dirname "$0")/../.."

n=${1:-1000000}
case $n in '' | *[!0-9]*) echo "usage: bench/import/run.sh [N]" >&2; exit 1 ;; esac
build=${BENCH_BUILD:-build-release}
out=${BENCH_OUT:-bench/out}
data=$out/data-$n
mkdir -p "$out"

for tool in meson ninja sqlite3 python3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 1; }
done

# 1. The release binary.
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" --buildtype=release >"$out/setup.log" 2>&1 ||
        { cat "$out/setup.log" >&2; exit 1; }
fi
ninja -C "$build" jixiao >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
jixiao=$build/jixiao
if ! "$jixiao" --help | grep -q '^ *import '; then
    echo "bench: $jixiao has no import command yet" >&2
    exit 1
fi

# 2. The data, generated once per N (again when the generator changed).
if [ ! -f "$data/contracts.csv" ] || [ bench/import/gen_contracts.py -nt "$data/contracts.csv" ]
then
    echo "bench: generating $n contract lines in $data" >&2
    python3 bench/import/gen_contracts.py "$n" "$data"
fi

# timed LABEL CMD...: run CMD, keep "wall_s peak_rss_kb" in $out/LABEL.time.
timed() {
    label=$1
    shift
    if ! /usr/bin/time -f '%e %M' -o "$out/$label.time" "$@" >"$out/$label.log" 2>&1; then
        echo "bench: $label failed:" >&2
        tail -n 20 "$out/$label.log" >&2
        exit 1
    fi
}
rows() { echo $(($(wc -l <"$1") - 1)); }
bytes() { wc -c <"$1"; }

# 3. jixiao: init, then the four files in dependency order.
db=$out/bench.db
rm -f "$db" "$db-wal" "$db-shm"
timed init "$jixiao" init --db "$db"
for kind in units people customers contracts; do
    timed "$kind" "$jixiao" import --db "$db" "$kind" "$data/$kind.csv"
done

# 4. The peer baseline: the same file into a plain table with sqlite3.
raw=$out/baseline.db
rm -f "$raw" "$raw-wal" "$raw-shm"
cols=$(head -n 1 "$data/contracts.csv" | sed 's/,/ TEXT, /g; s/$/ TEXT/')
sqlite3 "$raw" "CREATE TABLE contracts_raw($cols);"
timed sqlite3 sqlite3 "$raw" ".import --csv --skip 1 $data/contracts.csv contracts_raw"
loaded=$(sqlite3 "$raw" "SELECT count(*) FROM contracts_raw;")
[ "$loaded" -eq "$(rows "$data/contracts.csv")" ] ||
    { echo "bench: sqlite3 loaded $loaded rows" >&2; exit 1; }

# 5. The table.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "jixiao import benchmark: N=$n, $(nproc) cores, ${cpu:-unknown CPU}"
echo "jixiao $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $("$jixiao" version 2>/dev/null |
    head -n 1 || true), SQLite $(sqlite3 --version | cut -d' ' -f1)"
line() { # label file timefile
    set -- "$1" "$(rows "$2")" "$(bytes "$2")" $(cat "$out/$3.time")
    awk -v l="$1" -v r="$2" -v b="$3" -v t="$4" -v m="$5" 'BEGIN {
        s = t > 0 ? t : 0.01
        printf "%-28s %10d %9.1f %8.2f %12.0f %8.1f %9.0f\n", l, r, b / 1048576, t, r / s,
            b / 1048576 / s, m / 1024 }'
}
printf "%-28s %10s %9s %8s %12s %8s %9s\n" step rows MB wall_s rows/s MB/s rss_MB
awk -v t="$(cut -d' ' -f1 "$out/init.time")" -v m="$(cut -d' ' -f2 "$out/init.time")" \
    'BEGIN { printf "%-28s %10s %9s %8.2f %12s %8s %9.0f\n", "jixiao init", "-", "-", t, "-",
             "-", m / 1024 }'
for kind in units people customers contracts; do
    line "jixiao import $kind" "$data/$kind.csv" "$kind"
done
line "sqlite3 .import contracts" "$data/contracts.csv" sqlite3
awk -v j="$(cut -d' ' -f1 "$out/contracts.time")" -v s="$(cut -d' ' -f1 "$out/sqlite3.time")" \
    'BEGIN { if (s <= 0) s = 0.01; printf "ratio jixiao/sqlite3 (contracts wall time): %.2fx\n", j / s }'
printf "database sizes: jixiao %s MB, sqlite3 plain table %s MB\n" \
    "$(($(wc -c <"$db") / 1048576))" "$(($(wc -c <"$raw") / 1048576))"

#!/bin/sh
# The pay benchmark: one period of plans/marketing-center.yaml computed by jixiao,
# and the same calculation as one SQL query in SQLite and in PostgreSQL.
#
#   bench/pay/run.sh [full|small|N_PEOPLE N_LINES N_PAYMENTS]
#
#   full   10,000 people, 2,000,000 contract lines, 2,000,000 payments (default)
#   small  1,000 people, 100,000 lines, 100,000 payments (a quick try)
#
# In one run:
#   1. builds the release binary if needed (Meson, build-release/ or $BENCH_BUILD);
#   2. generates the data once per scale (bench/pay/gen.py, seeded) into
#      bench/out/pay-P-L-Y/data/ (again when gen.py changed);
#   3. jixiao init + jixiao import of every file (timed, not part of the run);
#   4. jixiao run --period 2025-09 --format csv --timing, three times (after a sync, as
#      each timed query: the writeback of the load before it does not count), wall time
#      and peak RSS with /usr/bin/time; --timing gives the engine's own time (data in
#      memory); the table has the median of the three (this machine's speed varies from
#      minute to minute), the summary each run's;
#   5. SQLite: sqlite3 .import of the same CSVs into plain tables + indexes (timed as the
#      load), then query-sqlite.sql alone (timed);
#   6. PostgreSQL: a throwaway cluster in bench/out/pay-.../pg (initdb as the current user,
#      or as the postgres user when run as root), started on 127.0.0.1 on a free port,
#      \copy of the same CSVs + indexes (timed as the load), then query-pg.sql alone
#      (timed); the server is stopped when the script exits.  If PostgreSQL is missing it
#      is installed with apt-get (as root, or with sudo -n); BENCH_PG=0 skips this step;
#   7. checks that both queries give jixiao's commission for every person (compare.py),
#      and prints a table of seconds, ratios and peak RSS.
# Everything is kept in bench/out/ (or $BENCH_OUT).  This is a benchmark, not a test:
# nothing here runs in make check.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)

usage() { echo "usage: bench/pay/run.sh [full|small|N_PEOPLE N_LINES N_PAYMENTS]" >&2; exit 1; }
case ${1:-full} in
full) np=10000 nl=2000000 npay=2000000 ;;
small) np=1000 nl=100000 npay=100000 ;;
*)
    [ $# -eq 3 ] || usage
    np=$1 nl=$2 npay=$3
    for v in "$np" "$nl" "$npay"; do case $v in '' | *[!0-9]*) usage ;; esac; done
    ;;
esac
build=${BENCH_BUILD:-build-release}
out=${BENCH_OUT:-bench/out}
case $out in /*) ;; *) out=$root/$out ;; esac
dir=$out/pay-$np-$nl-$npay
data=$dir/data
plan=$root/plans/marketing-center.yaml
period=2025-09
kinds="units people customers contracts payments returns ratings"
mkdir -p "$dir"

for tool in meson ninja sqlite3 python3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 1; }
done

# 1. The release binary.
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" --buildtype=release >"$dir/setup.log" 2>&1 ||
        { cat "$dir/setup.log" >&2; exit 1; }
fi
ninja -C "$build" jixiao >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
jixiao=$root/$build/jixiao

# timed LABEL CMD...: run CMD (stdout to LABEL.out, stderr to LABEL.log), keep
# "wall_s peak_rss_kb" in LABEL.time.
timed() {
    label=$1
    shift
    if ! /usr/bin/time -f '%e %M' -o "$dir/$label.time" "$@" >"$dir/$label.out" 2>"$dir/$label.log"
    then
        echo "bench: $label failed:" >&2
        tail -n 20 "$dir/$label.log" >&2
        return 1
    fi
}
secs() { cut -d' ' -f1 "$dir/$1.time"; }
# Before each timed query: the load before it written out (sync), so that the kernel's
# writeback of hundreds of megabytes does not share the cores with the query.
settle() { sync; }
rss_mb() { awk '{ printf "%.0f", $2 / 1024 }' "$dir/$1.time"; }

# 2. The data, generated once per scale (again when the generator changed).
if [ ! -f "$data/.done" ] || [ bench/pay/gen.py -nt "$data/.done" ]; then
    echo "bench: generating $np people, $nl contract lines, $npay payments in $data" >&2
    rm -rf "$data"
    timed gen python3 bench/pay/gen.py "$np" "$nl" "$npay" "$data"
    echo "bench: generated in $(secs gen) s" >&2
    touch "$data/.done"
fi

# 3. jixiao: init and import, every file in dependency order.
echo "bench: jixiao import" >&2
db=$dir/jixiao.db
rm -f "$db" "$db-wal" "$db-shm"
timed jx-init "$jixiao" init --db "$db"
import_s=$(secs jx-init) import_rss=$(rss_mb jx-init)
for k in $kinds; do
    timed "jx-import-$k" "$jixiao" import --db "$db" "$k" "$data/$k.csv"
    import_s=$(awk -v a="$import_s" -v b="$(secs "jx-import-$k")" 'BEGIN { print a + b }')
    r=$(rss_mb "jx-import-$k")
    [ "$r" -gt "$import_rss" ] && import_rss=$r
done

# 4. jixiao run, end to end, three times (each a fresh process: the same inputs give the
#    same run, stored once); the medians.
echo "bench: jixiao run (3 times)" >&2
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
engines= e2es= runs=
for i in 1 2 3; do
    settle
    timed "jx-run-$i" "$jixiao" run --db "$db" --plan "$plan" --period "$period" --format csv \
        --timing
    t=$(sed -n 's/^timing: .* engine \([0-9.]*\) ms.*/\1/p' "$dir/jx-run-$i.log")
    [ -n "$t" ] || { echo "bench: no engine time in $dir/jx-run-$i.log" >&2; exit 1; }
    engines="$engines $t" e2es="$e2es $(secs "jx-run-$i")"
    runs="$runs$(printf '\n  run %s: %s s end to end, %s' "$i" "$(secs "jx-run-$i")" \
        "$(sed -n 's/^timing: //p' "$dir/jx-run-$i.log")")"
done
cmp -s "$dir/jx-run-1.out" "$dir/jx-run-3.out" ||
    { echo "bench: jixiao's runs printed different results" >&2; exit 1; }
cp "$dir/jx-run-1.out" "$dir/jixiao.csv"
# shellcheck disable=SC2086 # the lists are numbers
engine_ms=$(median3 $engines) e2e_s=$(median3 $e2es)
run_rss=$(for i in 1 2 3; do rss_mb "jx-run-$i"; echo; done | sort -n | tail -n 1)

# 5. SQLite: plain tables, .import, indexes; then the query alone.
echo "bench: sqlite3 load and query" >&2
sdb=$dir/sqlite.db
rm -f "$sdb" "$sdb-wal" "$sdb-shm"
{
    cat bench/pay/schema-sqlite.sql
    for k in $kinds; do echo ".import --csv --skip 1 $data/$k.csv $k"; done
    cat bench/pay/index-sqlite.sql
} >"$dir/load-sqlite.sql"
timed sq-load sqlite3 "$sdb" ".read $dir/load-sqlite.sql"
loaded=$(sqlite3 "$sdb" "SELECT (SELECT count(*) FROM contracts) || ' ' ||
                                (SELECT count(*) FROM payments)")
[ "$loaded" = "$nl $npay" ] ||
    { echo "bench: sqlite3 loaded $loaded contract lines and payments" >&2; exit 1; }
settle
timed sq-query sqlite3 -csv -cmd 'PRAGMA cache_size=-1048576' -cmd 'PRAGMA temp_store=MEMORY' \
    "$sdb" ".read bench/pay/query-sqlite.sql"
cp "$dir/sq-query.out" "$dir/sqlite.csv"

# 6. PostgreSQL: a throwaway cluster.
pg_ok=0 pgdata=$dir/pg/data pgbin=
pg_stop() {
    if [ -n "$pgbin" ] && [ -f "$pgdata/postmaster.pid" ]; then
        as_pg "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
    fi
}
trap pg_stop EXIT
trap 'exit 130' INT TERM
as_pg() { # run a server program as the cluster's owner
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c '"$0" "$@"' "$@"
        fi
    else
        "$@"
    fi
}
find_pgbin() {
    for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
        [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
    done
    d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
    return 0
}
run_pg() {
    pgbin=$(find_pgbin)
    if [ -z "$pgbin" ] || ! command -v psql >/dev/null 2>&1; then
        echo "bench: installing postgresql with apt-get" >&2
        if [ "$(id -u)" -eq 0 ]; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo -n apt-get update -qq &&
                sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
        else
            echo "bench: PostgreSQL is missing and cannot be installed (not root, no sudo -n)" >&2
            return 1
        fi >"$dir/pg-install.log" 2>&1 || { tail -n 20 "$dir/pg-install.log" >&2; return 1; }
        pgbin=$(find_pgbin)
        [ -n "$pgbin" ] || { echo "bench: no initdb after installing postgresql" >&2; return 1; }
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "bench: running as root and there is no postgres user for the server" >&2
        return 1
    fi
    rm -rf "$dir/pg"
    mkdir -p "$pgdata"
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir/pg"
    as_pg "$pgbin/initdb" -D "$pgdata" -U bench --auth=trust -E UTF8 --no-locale \
        >"$dir/pg-initdb.log" 2>&1 || { tail -n 20 "$dir/pg-initdb.log" >&2; return 1; }
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # A throwaway cluster: durability off for the load; memory for the query.
    opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/pg"
    opts="$opts -c shared_buffers=2GB -c work_mem=512MB -c maintenance_work_mem=1GB"
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    opts="$opts ${BENCH_PG_OPTS:-}"
    as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$dir/pg/server.log" -w -o "$opts" start \
        >"$dir/pg-start.log" 2>&1 || { cat "$dir/pg-start.log" "$dir/pg/server.log" >&2; return 1; }
    psql="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U bench -d postgres"
    {
        cat bench/pay/schema-pg.sql
        for k in $kinds; do
            printf '\\copy %s FROM '"'"'%s'"'"' WITH (FORMAT csv, HEADER true)\n' "$k" "$data/$k.csv"
        done
        cat bench/pay/index-pg.sql
    } >"$dir/load-pg.sql"
    timed pg-load $psql -f "$dir/load-pg.sql" || return 1
    loaded=$($psql -A -t -c "SELECT (SELECT count(*) FROM contracts) || ' ' ||
                                    (SELECT count(*) FROM payments)")
    [ "$loaded" = "$nl $npay" ] ||
        { echo "bench: PostgreSQL loaded $loaded contract lines and payments" >&2; return 1; }
    settle
    timed pg-query $psql -A -t -F, -f bench/pay/query-pg.sql || return 1
    cp "$dir/pg-query.out" "$dir/postgresql.csv"
    pg_version=$($psql -A -t -c 'SHOW server_version' 2>/dev/null || echo '?')
    pg_stop
    pgbin=
}
pg_version=
if [ "${BENCH_PG:-1}" != 0 ]; then
    echo "bench: postgresql load and query" >&2
    if run_pg; then pg_ok=1; else echo "bench: PostgreSQL step failed (see above)" >&2; fi
fi

# 7. Correctness, then the table.
verify=0
python3 bench/pay/compare.py "$dir/jixiao.csv" "$dir/sqlite.csv" sqlite >"$dir/verify.txt" ||
    verify=1
if [ "$pg_ok" = 1 ]; then
    python3 bench/pay/compare.py "$dir/jixiao.csv" "$dir/postgresql.csv" postgresql \
        >>"$dir/verify.txt" || verify=1
fi

{
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    mem=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
    echo "jixiao pay benchmark: $np people, $nl contract lines, $npay payments; period $period,"
    echo "  plans/marketing-center.yaml; $(nproc) cores, ${cpu:-unknown CPU}, $mem RAM"
    echo "  jixiao $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (+ uncommitted src changes)')," \
        "SQLite $(sqlite3 --version | cut -d' ' -f1), PostgreSQL ${pg_version:-n/a}"
    echo "  jixiao run --timing, three times (the table: medians; RSS: the largest):$runs"
    echo
    printf "%-40s %9s %9s %9s %8s\n" stage seconds "x engine" "x e2e" "RSS MB"
    row() { # label seconds rss
        awk -v l="$1" -v s="$2" -v m="$3" -v e="$engine_ms" -v t="$e2e_s" 'BEGIN {
            es = e / 1000; if (es <= 0) es = 0.001; if (t <= 0) t = 0.01
            printf "%-40s %9.3f %9.2f %9.2f %8s\n", l, s, s / es, s / t, m }'
    }
    row "jixiao init + import (7 files)" "$import_s" "$import_rss"
    row "jixiao run, end to end" "$e2e_s" "$run_rss"
    row "jixiao engine (data in memory)" "$(awk -v e="$engine_ms" 'BEGIN { print e / 1000 }')" "-"
    row "sqlite3 load (.import + indexes)" "$(secs sq-load)" "$(rss_mb sq-load)"
    row "sqlite3 query" "$(secs sq-query)" "$(rss_mb sq-query)"
    if [ "$pg_ok" = 1 ]; then
        row "postgresql load (COPY + indexes)" "$(secs pg-load)" "server"
        row "postgresql query" "$(secs pg-query)" "server"
    else
        printf "%-40s %9s\n" "postgresql" "n/a"
    fi
    echo
    echo "x engine, x e2e: the stage's seconds over jixiao's engine time and over its"
    echo "end-to-end run.  RSS: peak resident set of the process (/usr/bin/time %M);"
    echo "PostgreSQL's memory is in its server processes, not measured."
    echo
    cat "$dir/verify.txt"
} | tee "$dir/summary.txt"
exit "$verify"

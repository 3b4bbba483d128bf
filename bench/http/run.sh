#!/bin/sh
# The web API benchmark: GET /api/results?period=2025-08 for a logged-in manager under wrk
# on loopback (2 threads, 50 connections, 10 s), with the demo company; the static UI page
# GET / measured the same way as the peer (no session, no database).  Prints requests/s and
# the 50th/99th percentile latency of each.  A benchmark, not a test.
set -eu
cd "$(dirname "$0")/../.."
build=${BENCH_BUILD:-build-release}
out=${BENCH_OUT:-bench/out}/http
secs=${BENCH_SECONDS:-10}
[ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release >/dev/null
ninja -C "$build" jixiao >/dev/null
jx=$build/jixiao
mkdir -p "$out"
db=$out/demo.db
rm -f "$db" "$db-wal" "$db-shm"
$jx demo --db "$db" --users >/dev/null 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$jx serve --db "$db" --listen "127.0.0.1:$port" --quiet >"$out/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT INT TERM
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"user":"manager","password":"jixiao-demo"}' "http://127.0.0.1:$port/api/login" |
    sed -n 's/^Set-Cookie: \(jx_session=[^;]*\).*/\1/p')
cat >"$out/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout))
end
LUA
echo "GET /api/results?period=2025-08 as manager ($(nproc) cores, wrk -t2 -c50 -d${secs}s):"
wrk -t2 -c50 -d"${secs}s" -H "Cookie: $cookie" -s "$out/report.lua" \
    "http://127.0.0.1:$port/api/results?period=2025-08" | tail -n 1
echo "GET / (the UI page, no session):"
wrk -t2 -c50 -d"${secs}s" -s "$out/report.lua" "http://127.0.0.1:$port/" | tail -n 1

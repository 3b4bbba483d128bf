#!/bin/sh
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang, ASan and UBSan,
# and optionally run each one over its seed corpus.
#
#   tests/fuzz/build.sh [--out DIR] [--run SECONDS]
#
# --out DIR      build directory (default $FUZZ_BUILD, else build-fuzz)
# --run SECONDS  after building, run every target for SECONDS, all at once,
#                and write DIR/results: one "ok NAME" or "FAIL NAME ..." line
#                per target.  Exit status 1 if any target failed.
#
# DIR is a Meson build directory configured with clang and
# -fsanitize=fuzzer-no-link,address,undefined: ninja builds only its static
# libraries (libjx_core.a, libjx_store.a, ... whatever src/meson.build
# declares, with the generated calendars.c and migrations.c), and each target
# is linked against them with -fsanitize=fuzzer; the archives contribute only
# the objects a target uses.  The link arguments of every dependency Meson
# found (but cmocka) come along, so a target may use any module: fuzz_plan and
# fuzz_expr need libjx_plan.a and libjx_core.a, and libyaml and libsodium
# (pkg-config yaml-0.1 libsodium) for the loader.
#
# A target fuzz_NAME or fuzz_NAME_MORE runs over the seeds in
# tests/fuzz/corpus/NAME_MORE/, else tests/fuzz/corpus/NAME/, with the
# dictionary tests/fuzz/NAME_MORE.dict, else tests/fuzz/NAME.dict, when there
# is one: fuzz_csv_import uses corpus/csv and csv.dict, fuzz_expr corpus/expr
# and expr.dict, fuzz_plan corpus/plan and plan.dict.
#
# New inputs found while running go to DIR/corpus-NAME, never into the
# committed seeds in tests/fuzz/corpus/; crashes go to DIR/crash-NAME-*.
set -eu
cd "$(dirname "$0")/../.."

out=${FUZZ_BUILD:-build-fuzz}
run=""
usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 1
}
while [ $# -gt 0 ]; do
    case $1 in
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --run) [ $# -ge 2 ] || usage; run=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "fuzz: unknown option $1" >&2; usage ;;
    esac
done
case $run in
*[!0-9]*) echo "fuzz: --run takes whole seconds" >&2; exit 1 ;;
esac

cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
fi

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
common="-g -O1 -fno-omit-frame-pointer"

# 1. The project's static libraries, instrumented.
if [ ! -f "$out/build.ninja" ]; then
    CC=$cc meson setup "$out" --buildtype=plain -Db_sanitize=address,undefined \
        -Db_lundef=false -Dc_args="$common -fsanitize=fuzzer-no-link -fno-sanitize-recover=all" \
        >"$out.setup.log" 2>&1 || { cat "$out.setup.log" >&2; exit 1; }
    rm -f "$out.setup.log"
fi
ninja -C "$out" build.ninja >/dev/null # reconfigure if a meson.build changed
# Every static library target, and every dependency's link arguments but cmocka's.
meson introspect --targets --dependencies "$out" >"$out/intro.json"
eval "$(python3 - "$out" <<'EOF'
import json, os, shlex, sys
out = sys.argv[1]
intro = json.load(open(os.path.join(out, "intro.json")))
libs = [f for t in intro["targets"] if t["type"] == "static library" for f in t["filename"]]
deps = [a for d in intro["dependencies"] if d["name"] != "cmocka" for a in d["link_args"]]
print("libs=" + shlex.quote(" ".join(libs)))
print("rel=" + shlex.quote(" ".join(os.path.relpath(f, out) for f in libs)))
print("deps=" + shlex.quote(" ".join(deps)))
EOF
)"
# shellcheck disable=SC2086
ninja -C "$out" $rel

# 2. The targets: held to -Werror, linked with the libFuzzer driver.
names=""
for src in tests/fuzz/fuzz_*.c; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .c)
    newer=$(find "$src" $libs -newer "$out/$name" 2>/dev/null | head -n 1)
    if [ ! -x "$out/$name" ] || [ -n "$newer" ]; then
        echo "fuzz: building $out/$name" >&2
        # shellcheck disable=SC2086
        "$cc" -std=c17 $common -fsanitize=fuzzer $san -D_GNU_SOURCE -Isrc -I"$out" \
            -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 "$src" -o "$out/$name" \
            -Wl,--start-group $libs -Wl,--end-group $deps -lcsv -lm
    fi
    names="$names $name"
done

[ -n "$run" ] || exit 0

# 3. Run every target at once for $run seconds over (new inputs, seeds).
rm -f "$out/results"
for name in $names; do
    short=${name#fuzz_}
    seeds=tests/fuzz/corpus/$short
    [ -d "$seeds" ] || seeds=tests/fuzz/corpus/${short%%_*}
    dict=""
    for d in "tests/fuzz/$short.dict" "tests/fuzz/${short%%_*}.dict"; do
        if [ -f "$d" ]; then
            dict="-dict=$d"
            break
        fi
    done
    mkdir -p "$out/corpus-$name"
    rm -f "$out/crash-$name-"* "$out/$name.rc"
    set -- "$out/corpus-$name"
    if [ -d "$seeds" ]; then set -- "$@" "$seeds"; fi
    echo "fuzz: running $name for ${run}s over $*" >&2
    # shellcheck disable=SC2086
    ("$out/$name" -max_total_time="$run" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/crash-$name-" $dict "$@" \
        >"$out/$name.log" 2>&1
    echo $? >"$out/$name.rc") &
done
wait

failed=0
for name in $names; do
    rc=$(cat "$out/$name.rc")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -n 1)
    if [ "$rc" = 0 ]; then
        echo "ok $name (${execs:-?} runs in ${run}s)" >>"$out/results"
        echo "fuzz: ok   $name: ${execs:-?} runs" >&2
    else
        failed=1
        crash=$(ls "$out/crash-$name-"* 2>/dev/null | tail -n 1 || true)
        echo "FAIL $name (exit $rc; log $out/$name.log${crash:+; input $crash})" >>"$out/results"
        echo "fuzz: FAIL $name (exit $rc)${crash:+; reproduce with: $out/$name $crash}" >&2
        grep -E '(ERROR|SUMMARY|runtime error|check failed|fuzz_[a-z_]+: |#[0-9]+ 0x)' \
            "$out/$name.log" |
            head -n 25 >&2 || true
    fi
done
exit "$failed"

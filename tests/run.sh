#!/bin/sh
# Run every test suite against each build directory given (the normal build,
# then the ASan+UBSan one) and print one closing "N passed, N failed" line.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=""

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); failures="$failures\n  $1"; }

for build in "$@"; do
    echo "== unit tests ($build)"
    for t in "$build"/tests/test_*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        if "$t" >"$build/$(basename "$t").log" 2>&1; then
            ok
            echo "  ok   $(basename "$t")"
        else
            ko "$build: $(basename "$t") (see $build/$(basename "$t").log)"
            echo "  FAIL $(basename "$t")"
            cat "$build/$(basename "$t").log"
        fi
    done
    if [ -d tests/golden ]; then
        echo "== golden tests ($build)"
        for case in tests/golden/*/; do
            [ -f "$case/cmd" ] || continue
            name=$(basename "$case")
            if sh tests/golden.sh "$build/jixiao" "$case" >"$build/golden-$name.log" 2>&1; then
                ok
                echo "  ok   $name"
            else
                ko "$build: golden $name"
                echo "  FAIL $name"
                cat "$build/golden-$name.log"
            fi
        done
    fi
done

# Suites that drive the server from outside: the API matrix (python3, each build)
# and the browser tests (playwright-core driving chromium, the normal build).  Each
# prints one "ok   NAME" or "FAIL NAME" line per case; those lines are counted.
suite() { # suite TITLE LOG COMMAND...
    title=$1 log=$2
    shift 2
    echo "== $title"
    "$@" >"$log" 2>&1
    rc=$?
    grep -E '^(ok   |FAIL )' "$log" | sed 's/^/  /'
    n_ok=$(grep -c '^ok   ' "$log")
    n_ko=$(grep -c '^FAIL ' "$log")
    passed=$((passed + n_ok))
    if [ "$n_ko" -gt 0 ] || [ "$rc" -ne 0 ]; then
        [ "$n_ko" -gt 0 ] || n_ko=1
        failed=$((failed + n_ko))
        failures="$failures\n  $title (see $log)"
        tail -n 30 "$log"
    fi
}
main_build=${1:-build}
if [ -f tests/http/api_matrix.py ]; then
    for build in "$@"; do # the server under ASan+UBSan too
        suite "API matrix ($build)" "$build/api-matrix.log" \
            python3 tests/http/api_matrix.py "$build/jixiao"
    done
fi
if [ -f tests/browser/run.mjs ] && command -v node >/dev/null 2>&1; then
    suite "browser tests ($main_build)" "$main_build/browser.log" \
        node tests/browser/run.mjs "$main_build/jixiao"
fi

# Fuzz smoke: every libFuzzer target for a few seconds over its seed corpus,
# all at once (tests/fuzz/build.sh), when clang is there.  A crash fails.
fuzz_dir="${1:-build}-fuzz"
fuzz_secs=${FUZZ_SMOKE_SECONDS:-20}
if command -v clang >/dev/null 2>&1 && [ -f tests/fuzz/build.sh ]; then
    echo "== fuzz smoke ($fuzz_dir, ${fuzz_secs}s per target)"
    mkdir -p "$fuzz_dir"
    rm -f "$fuzz_dir/results"
    FUZZ_BUILD="$fuzz_dir" sh tests/fuzz/build.sh --run "$fuzz_secs" >"$fuzz_dir/smoke.log" 2>&1 ||
        true
    if [ -f "$fuzz_dir/results" ]; then
        while read -r verdict name rest; do
            if [ "$verdict" = ok ]; then
                ok
                echo "  ok   $name $rest"
            else
                ko "fuzz: $name $rest"
                echo "  FAIL $name $rest"
            fi
        done <"$fuzz_dir/results"
        grep -E '(ERROR|SUMMARY|runtime error|check failed|fuzz_[a-z_]+: )' \
            "$fuzz_dir/smoke.log" | head -n 20 || true
    else
        ko "fuzz: build failed (see $fuzz_dir/smoke.log)"
        echo "  FAIL build"
        tail -n 30 "$fuzz_dir/smoke.log"
    fi
fi

if [ -n "$failures" ]; then
    printf "failures:%b\n" "$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

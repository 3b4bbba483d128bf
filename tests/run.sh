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

if [ -n "$failures" ]; then
    printf "failures:%b\n" "$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

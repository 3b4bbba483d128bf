#!/bin/sh
# Run one golden case and compare its output with the expected one, byte for byte.
#
#   tests/golden.sh BINARY CASEDIR
#
# CASEDIR/cmd is a shell snippet.  It runs with sh in a fresh temporary
# directory holding a copy of the case's files, with these variables set:
#   JX     the jixiao binary (absolute path)
#   CASE   the case directory (absolute path)
#   PLANS  the shipped plans/ directory (absolute path)
# Its stdout and stderr, together, followed by a line "exit N" (the snippet's
# exit status), must equal CASEDIR/expected.  On a difference the script prints
# `diff -u expected actual` and exits 1.  With GOLDEN_UPDATE=1 it writes
# CASEDIR/expected instead (review the change with git diff).
set -u

if [ $# -ne 2 ] || [ ! -f "$2/cmd" ]; then
    echo "usage: tests/golden.sh BINARY CASEDIR (CASEDIR/cmd must exist)" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case_dir=$(cd "$2" && pwd)
if [ ! -x "$bin" ]; then
    echo "golden: $bin is not an executable" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jx-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/work"
cp -R "$case_dir/." "$tmp/work/"

# The same environment every time: UTF-8, Shanghai time, no user settings.
(
    cd "$tmp/work" &&
        env JX="$bin" CASE="$case_dir" PLANS="$root/plans" LC_ALL=C.UTF-8 TZ=Asia/Shanghai \
            sh "$case_dir/cmd"
) >"$tmp/actual" 2>&1 </dev/null
echo "exit $?" >>"$tmp/actual"

if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$tmp/actual" "$case_dir/expected"
    echo "golden: wrote $case_dir/expected"
    exit 0
fi
if [ ! -f "$case_dir/expected" ]; then
    echo "golden: $case_dir/expected is missing; the output was:"
    cat "$tmp/actual"
    exit 1
fi
if ! cmp -s "$case_dir/expected" "$tmp/actual"; then
    echo "golden: $(basename "$case_dir"): output differs from expected"
    diff -u "$case_dir/expected" "$tmp/actual"
    exit 1
fi
exit 0

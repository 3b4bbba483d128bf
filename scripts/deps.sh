#!/bin/sh
# Install what the build, the tests and the demo need on Debian 12.
# Idempotent and non-interactive: packages already present are skipped,
# and nothing is fetched when everything is in place.
set -eu

PKGS="meson ninja-build pkg-config gcc clang libclang-rt-14-dev sqlite3 \
libsqlite3-dev libcsv-dev libjansson-dev libyaml-dev libsodium-dev \
libmicrohttpd-dev libcmocka-dev libxlsxwriter-dev libhpdf-dev libzip-dev libexpat1-dev poppler-utils wrk"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "deps: installing:$missing" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

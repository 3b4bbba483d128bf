#!/bin/sh
# Install what the build, the tests and the demo need on Debian 12.
# Idempotent and non-interactive: packages already present are skipped,
# and nothing is fetched when everything is in place.
set -eu
cd "$(dirname "$0")/.."

PKGS="meson ninja-build pkg-config gcc clang libclang-rt-14-dev sqlite3 \
libsqlite3-dev libcsv-dev libjansson-dev libyaml-dev libsodium-dev \
libmicrohttpd-dev libcmocka-dev libxlsxwriter-dev libhpdf-dev libzip-dev libexpat1-dev poppler-utils wrk \
chromium libreoffice-calc-nogui"

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

# The web UI's npm packages (Apache ECharts, embedded into the binary; playwright-core for
# the browser tests), from web/package-lock.json; skipped when they are already in place.
if [ -f web/package-lock.json ] &&
    { [ ! -f web/node_modules/.package-lock.json ] ||
        [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; }; then
    echo "deps: npm ci (web/)" >&2
    npm ci --prefix web --no-audit --no-fund --loglevel=error >/dev/null
fi

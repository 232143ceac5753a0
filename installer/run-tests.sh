#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite: installs the dependencies,
# builds the `ci` preset (warnings are errors) and the `asan` preset, runs the unit and fuzz tests under
# AddressSanitizer + UBSan (STATION_SKIP_ASAN=1 skips that stage), then every test except benchmarks —
# the package test included (label `package`: the .deb packed from the ci tree, linted, installed with apt,
# used and purged; as root only, it skips otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

./installer/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Relative paths in the cache key: a fresh clone elsewhere (CI) reuses what an earlier build compiled.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"

if [ "${STATION_SKIP_ASAN:-0}" != "1" ]; then
    echo "== sanitizer stage: unit + fuzz tests under ASan/UBSan"
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$(nproc)"
    ctest --preset asan -j "$(nproc)"
fi

echo "== the whole suite (ci preset, benchmarks excluded; the package test installs and purges the .deb)"
ctest --preset ci -j "$(nproc)"

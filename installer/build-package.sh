#!/usr/bin/env bash
# Builds the Debian package an IT department deploys: exactly
#   cmake --preset release && cmake --build --preset release --target package
# (Release, hardened, no tests) after installing the build dependencies. The .deb lands in
# build/release/, e.g. build/release/provisioning-station_0.1.0-1_amd64.deb; install it with
#   sudo apt-get install ./build/release/provisioning-station_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."

./installer/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset release
cmake --build --preset release --target package -j "$(nproc)"
ls -1 build/release/*.deb

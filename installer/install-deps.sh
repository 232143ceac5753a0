#!/usr/bin/env bash
# Installs everything the station needs to build, test, package and run its demo on Debian 12 (lintian:
# the package test checks the .deb with it).
# Idempotent: packages already present are skipped quickly. Needs root (or sudo).
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-serialport-dev libgl-dev
    qt6-svg-dev qt6-multimedia-dev qt6-tools-dev qt6-l10n-tools
    libssl-dev openssl libsqlite3-dev sqlite3 libusb-1.0-0-dev
    curl ca-certificates xvfb xauth
    fonts-dejavu-core
    lintian
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"

#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the station's main job: installs the dependencies, builds,
# starts the lab EST server (its own CA, TLS on loopback) and runs a full enrollment round trip with
# provctl — trust bootstrap from /cacerts by fingerprint, a unit key + CSR, enrollment with the bootstrap
# certificate, verification, re-enrollment, and server-side key generation.
set -euo pipefail
cd "$(dirname "$0")/.."

./installer/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Relative paths in the cache key: a fresh clone elsewhere (CI) reuses what an earlier build compiled.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$(nproc)" --target provctl

PROVCTL="$PWD/build/ci/app/provctl"
DEMO="${STATION_DEMO_DIR:-$PWD/build/demo}"
LAB="$DEMO/lab"
OUT="$DEMO/out"
mkdir -p "$OUT"

"$PROVCTL" lab-server --listen 127.0.0.1:0 --dir "$LAB" > "$DEMO/lab-server.url" 2> "$DEMO/lab-server.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$DEMO/lab-server.url" ] && break; sleep 0.1; done
URL=$(head -n1 "$DEMO/lab-server.url")
[ -n "$URL" ] || { cat "$DEMO/lab-server.log"; echo "lab server did not start" >&2; exit 1; }
echo "Lab EST server: $URL (CA folder $LAB)"
step() { printf '\n== %s\n' "$*"; }

step "1. Bootstrap trust: fetch /cacerts without a trust anchor, accept it by its SHA-256 fingerprint"
FP=$(openssl x509 -in "$LAB/ca.pem" -noout -fingerprint -sha256 | cut -d= -f2)
"$PROVCTL" est cacerts --url "$URL/line-1" --bootstrap-fingerprint "$FP" --out "$OUT/cacerts.pem"

step "2. Enroll a unit (key made here, CSR relayed) with the bootstrap certificate over mTLS"
"$PROVCTL" est enroll --url "$URL/line-1" --trust "$OUT/cacerts.pem" \
    --client-cert "$LAB/bootstrap-cert.pem" --client-key "$LAB/bootstrap-key.pem" \
    --key-type p256 --key-out "$OUT/unit-0001.key" --subject "/CN=unit-0001/O=Demo Factory" \
    --out "$OUT/unit-0001.pem"
openssl x509 -in "$OUT/unit-0001.pem" -noout -subject -issuer -serial -enddate
openssl verify -CAfile "$OUT/cacerts.pem" "$OUT/unit-0001.pem"

step "3. Re-enroll the unit with its own certificate"
"$PROVCTL" est reenroll --url "$URL/line-1" --trust "$OUT/cacerts.pem" \
    --client-cert "$OUT/unit-0001.pem" --client-key "$OUT/unit-0001.key" \
    --key "$OUT/unit-0001.key" --out "$OUT/unit-0001-renewed.pem"
openssl verify -CAfile "$OUT/cacerts.pem" "$OUT/unit-0001-renewed.pem"

step "4. Server-side key generation for a second unit"
"$PROVCTL" est serverkeygen --url "$URL/line-1" --trust "$OUT/cacerts.pem" \
    --client-cert "$LAB/bootstrap-cert.pem" --client-key "$LAB/bootstrap-key.pem" \
    --subject "/CN=unit-0002/O=Demo Factory" --key-out "$OUT/unit-0002.key" --out "$OUT/unit-0002.pem"
openssl verify -CAfile "$OUT/cacerts.pem" "$OUT/unit-0002.pem"

printf '\nDemo complete: certificates and keys (mode 0600) in %s\n' "$OUT"

#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the station's main job: installs the dependencies, builds,
# and starts the operator GUI's demo, `provstation --demo` — the lab EST server (its own CA, TLS on
# loopback) and six simulated units (station protocol and one nRF91 modem, one with a key-generation
# fault) on pseudo-terminals, provisioned through the GUI's scan field.
#
# With a display the window opens and waits for you: type or scan a label shown in the message bar.
# Without one ($DISPLAY unset: SSH, CI) it runs under `xvfb-run -a`, types every label itself, saves a
# screenshot and exits 0 only when each unit ended as the demo means it to.
#   STATION_DEMO_SECONDS=N  unattended: labels typed automatically, stop after at most N seconds
#                           (default 90 without a display), screenshot in build/demo/provstation.png
#   STATION_DEMO_CLI=1      first run the command-line demo as before: an enrollment round trip with
#                           `provctl est` and three units provisioned with `provctl provision`
set -euo pipefail
cd "$(dirname "$0")/.."

./installer/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Relative paths in the cache key: a fresh clone elsewhere (CI) reuses what an earlier build compiled.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$(nproc)" --target provctl provstation

DEMO="${STATION_DEMO_DIR:-$PWD/build/demo}"
mkdir -p "$DEMO"

# The command-line demo (STATION_DEMO_CLI=1): in a subshell so that its servers stop when it ends.
cli_demo() (
    PROVCTL="$PWD/build/ci/app/provctl"
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

    step "5. Provision three simulated units in parallel (keys on the units; GS1 labels scanned)"
    SIMS=()
    cleanup() {
        for p in "${SIMS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
        kill -TERM $server 2>/dev/null; wait 2>/dev/null || true
    }
    trap cleanup EXIT
    rm -rf "$DEMO/units" "$DEMO/manifest.sqlite"*
    mkdir -p "$DEMO/units"
    for i in 1 2; do
        "$PROVCTL" simulate-device --protocol station --link "$DEMO/units/unit$i" --state-dir "$DEMO/units/unit$i-state" \
            --serial "SN-DEMO-000$i" --boot-chatter > "$DEMO/units/unit$i.log" 2>&1 &
        SIMS+=($!)
    done
    "$PROVCTL" simulate-device --protocol nrf91 --link "$DEMO/units/modem1" --state-dir "$DEMO/units/modem1-state" \
        --serial 357179926429805 > "$DEMO/units/modem1.log" 2>&1 &
    SIMS+=($!)
    for l in unit1 unit2 modem1; do for _ in $(seq 1 50); do [ -e "$DEMO/units/$l" ] && break; sleep 0.1; done; done
    common=(--est-url "$URL/line-1" --trust "$OUT/cacerts.pem" --auth mtls --client-cert "$LAB/bootstrap-cert.pem"
            --client-key "$LAB/bootstrap-key.pem" --subject 'CN={serial},O=Demo Factory' --barcode-rule gs1 --force)
    "$PROVCTL" profile new --out "$DEMO/sensor.json" --name "Demo sensor" --protocol station --key-origin device "${common[@]}"
    "$PROVCTL" profile new --out "$DEMO/modem.json" --name "Demo modem" --protocol nrf91 --key-origin server \
        --san 'DNS:{imei}.modems.demo.example' "${common[@]}"
    "$PROVCTL" provision --profile "$DEMO/sensor.json" --port "$DEMO/units/unit1" --port "$DEMO/units/unit2" \
        --barcode '(01)09506000134352(21)SN-DEMO-0001' --barcode ']d2010950600013435221SN-DEMO-0002' \
        --manifest "$DEMO/manifest.sqlite" --operator demo --station-id demo-station
    "$PROVCTL" provision --profile "$DEMO/modem.json" --port "$DEMO/units/modem1" \
        --barcode '(01)09506000134352(21)357179926429805' --manifest "$DEMO/manifest.sqlite" --operator demo \
        --station-id demo-station
    step "6. The manifest"
    "$PROVCTL" manifest list --manifest "$DEMO/manifest.sqlite"
    "$PROVCTL" manifest verify --manifest "$DEMO/manifest.sqlite"

    printf '\nCommand-line demo complete: certificates and keys (mode 0600) in %s, manifest %s\n' "$OUT" \
        "$DEMO/manifest.sqlite"
)
if [ "${STATION_DEMO_CLI:-0}" = 1 ]; then
    cli_demo
fi

# The operator GUI. A fresh folder each time: kept units would already be provisioned.
GUI="$DEMO/gui"
rm -rf "$GUI"
args=(--demo --demo-dir "$GUI")
run=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    run=(xvfb-run -a -s "-screen 0 1920x1080x24")
    STATION_DEMO_SECONDS="${STATION_DEMO_SECONDS:-90}"
fi
if [ -n "${STATION_DEMO_SECONDS:-}" ]; then
    args+=(--quit-after "$STATION_DEMO_SECONDS" --autoscan --no-sound --size 1920x1080
           --screenshot "$DEMO/provstation.png")
fi
printf '\n== provstation %s\n' "${args[*]}"
"${run[@]}" "$PWD/build/ci/app/provstation" "${args[@]}"
printf '\nDemo complete: manifest %s\n' "$GUI/manifest.sqlite"
if [ -n "${STATION_DEMO_SECONDS:-}" ]; then
    printf 'Screenshot: %s\n' "$DEMO/provstation.png"
    ./build/ci/app/provctl manifest list --manifest "$GUI/manifest.sqlite"
fi

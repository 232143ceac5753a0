#!/usr/bin/env bash
# Long libFuzzer runs of the fuzz targets (not part of CTest). Builds the `fuzz` preset (clang 16,
# ASan/UBSan, coverage), then runs each target in turn for SECONDS, using and growing
# tests/fuzz/corpus/<target>/, minimises each corpus (-merge=1 into a fresh directory that replaces it)
# and prints per target: executions per second, corpus files and bytes, and crashes found. Findings
# (crash-*, leak-*, timeout-*, oom-*) land in build/fuzz/findings/<target>/; corpus files named
# regression-* (inputs of fixed findings) survive the minimisation.
#
#   tests/fuzz/run-libfuzzer.sh [-t SECONDS] [-j JOBS] [--no-build] [target...]
#
# Defaults: 600 s per target, all targets, 2 build jobs. Runs under `nice -n 19` (set NICE= to not).
# Extra libFuzzer flags can be passed in LIBFUZZER_FLAGS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=600
jobs=2
build=1
rss_limit_mb=2048
timeout_s=10
nice_cmd=(${NICE-nice -n 19})
all_targets=(httprequest encoding pkcs7 csrattrs csr certificate cms multipart estresponse frameparser atresponse barcode)
targets=()

while [[ $# -gt 0 ]]; do
    case "$1" in
        -t) seconds="$2"; shift 2 ;;
        -j) jobs="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")

cd "$root"
bindir="$root/build/fuzz/tests/fuzz"
if [[ $build -eq 1 ]]; then
    export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
    cmake --preset fuzz >/dev/null
    "${nice_cmd[@]}" cmake --build --preset fuzz -j"$jobs"
fi

# Seeds that are not in a target's corpus yet: the crypto fixtures for the crypto and EST parsers.
extra_inputs() {
    case "$1" in
        encoding|pkcs7|csrattrs|csr|certificate|cms|multipart|estresponse) echo "$root/tests/data/crypto" ;;
    esac
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

summary=()
for t in "${targets[@]}"; do
    bin="$bindir/fuzz_${t}_libfuzzer"
    [[ -x "$bin" ]] || { echo "no binary $bin (unknown target '$t'?)" >&2; exit 2; }
    corpus="$here/corpus/$t"
    findings="$root/build/fuzz/findings/$t"
    log="$root/build/fuzz/findings/$t.log"
    mkdir -p "$corpus" "$findings"
    before=$(find "$findings" -maxdepth 1 -type f | wc -l)
    echo "=== $t: ${seconds}s" >&2
    # A finding stops libFuzzer (non-zero exit); it is counted and the next target runs.
    # shellcheck disable=SC2046,SC2086
    "${nice_cmd[@]}" "$bin" -max_total_time="$seconds" -rss_limit_mb="$rss_limit_mb" -timeout="$timeout_s" \
        -print_final_stats=1 -artifact_prefix="$findings/" ${LIBFUZZER_FLAGS:-} \
        "$corpus" $(extra_inputs "$t") >"$log" 2>&1 || true
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    crashes=$(( $(find "$findings" -maxdepth 1 -type f | wc -l) - before ))

    # Minimise: merge the grown corpus into a fresh directory, which then replaces it.
    fresh="$(mktemp -d "$root/build/fuzz/merge-$t.XXXXXX")"
    "${nice_cmd[@]}" "$bin" -merge=1 -rss_limit_mb="$rss_limit_mb" -timeout="$timeout_s" \
        "$fresh" "$corpus" >>"$log" 2>&1 || { echo "$t: merge failed, corpus kept (see $log)" >&2; rm -rf "$fresh"; fresh=""; }
    if [[ -n "$fresh" ]]; then
        # Regression inputs of fixed findings stay, whether or not they still add coverage.
        find "$corpus" -maxdepth 1 -type f -name 'regression-*' -exec cp {} "$fresh/" \;
        rm -rf "$corpus"
        mv "$fresh" "$corpus"
        chmod 755 "$corpus"
    fi
    files=$(find "$corpus" -type f | wc -l)
    bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
    summary+=("$(printf '%-12s %10s %12s %7s %10s %8s' "$t" "${eps:-?}" "${execs:-?}" "$files" "$bytes" "$crashes")")
done

printf '%-12s %10s %12s %7s %10s %8s\n' target exec/s execs files bytes crashes
printf '%s\n' "${summary[@]}"
echo "(findings and logs: build/fuzz/findings/)"

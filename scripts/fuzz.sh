#!/usr/bin/env bash
# Builds one libFuzzer target of the Fuzz/ package (json, framer, scanner, where, digest, rules, gzip) with the fuzzer and
# address sanitizers and runs it for SECONDS on a scratch copy of its seeds; prints the figures
# that docs/robustness.md records and any crash file. The main build and CI never see Fuzz/.
#
# Usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]   fuzz (exit 1 when it found a crash)
#        scripts/fuzz.sh TARGET run FILE…                    replay inputs (a crash reproduces)
#        scripts/fuzz.sh TARGET minimize FILE                minimise a crash (-minimize_crash=1)
# Environment: FUZZ_WORK (default /tmp/trail-scan-fuzz) holds corpora, logs and crash files;
# FUZZ_KEEP_CORPUS=1 continues from the previous run's corpus instead of fresh seeds;
# FUZZ_TIMEOUT (default 10) is the seconds after which one input counts as a hang.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '6,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
target=$1
mode=$2
shift 2
case $target in
  json) max_len=8192; dict=Fuzz/Seeds/json.dict ;;
  scanner) max_len=16384; dict=Fuzz/Seeds/json.dict; seeds_from="json framer" ;;
  framer) max_len=16384; dict=Fuzz/Seeds/json.dict ;;
  where) max_len=2048; dict=Fuzz/Seeds/where.dict ;;
  digest) max_len=8192; dict=Fuzz/Seeds/digest.dict ;;
  rules) max_len=4096; dict=Fuzz/Seeds/rules.dict ;;
  gzip) max_len=16384; dict=Fuzz/Seeds/gzip.dict ;;
  *) echo "fuzz.sh: unknown target '$target' (json, framer, scanner, where, digest, rules, gzip)" >&2; exit 2 ;;
esac

# Release build with coverage instrumentation and ASan everywhere (our libraries included).
# SwiftPM renames each executable's `main`, so libFuzzer's own main is not used: each target's
# main.swift calls LLVMFuzzerRunDriver instead (see Fuzz/Sources/FuzzerDriver).
scratch=Fuzz/.build-fuzz
nice swift build -c release --package-path Fuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address --product "fuzz-$target" 2>&1 | grep -vE '^\[|__asan_extra_spill_area' || true
binary=$(swift build -c release --package-path Fuzz --scratch-path "$scratch" --show-bin-path)/fuzz-$target
[ -x "$binary" ] || { echo "fuzz.sh: build failed" >&2; exit 2; }

work=${FUZZ_WORK:-/tmp/trail-scan-fuzz}/$target
mkdir -p "$work/artifacts"
# Swift's runtime keeps metadata caches for the life of the process; they are not leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# Swift's crash backtracer would take the trap before libFuzzer does and never return (the
# run hangs instead of writing a crash file), so libFuzzer and ASan report crashes alone.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
common=(-max_len="$max_len" -dict="$dict" -timeout="${FUZZ_TIMEOUT:-10}" -artifact_prefix="$work/artifacts/")

case $mode in
  run)
    exec nice "$binary" "${common[@]}" "$@" ;;
  minimize)
    [ $# -eq 1 ] || usage
    nice "$binary" "${common[@]}" -minimize_crash=1 -runs=20000 -exact_artifact_path="$1.min" "$1" 2>&1 | tail -5 || true
    [ -f "$1.min" ] || { echo "fuzz.sh: no crash to minimise in $1" >&2; exit 1; }
    echo "minimised: $1.min ($(wc -c <"$1.min") bytes)"
    exit 0 ;;
esac

seconds=$mode
[[ $seconds =~ ^[0-9]+$ ]] || usage
if [ "${FUZZ_KEEP_CORPUS:-0}" != 1 ] || [ ! -d "$work/corpus" ]; then
  rm -rf "$work/corpus"
  mkdir -p "$work/corpus"
  for from in ${seeds_from:-$target}; do cp Fuzz/Seeds/"$from"/* "$work/corpus/"; done
fi
seeds=$(for from in ${seeds_from:-$target}; do ls Fuzz/Seeds/"$from"; done | wc -l)
log=$work/log.txt
before=$(ls "$work/artifacts" | wc -l)
echo "fuzz.sh: $binary for ${seconds}s, corpus $work/corpus ($seeds seeds), log $log"
set +e
nice "$binary" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 "$@" "$work/corpus" >"$log" 2>&1
status=$?
set -e

# The figures: the last status line (cov, ft, corp, exec/s) and the final statistics.
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
peak=$(grep -Eo 'stat::peak_rss_mb: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
slowest=$(grep -Eo 'stat::slowest_unit_time_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
echo "last line:   $last"
echo "executions:  ${execs:-?} in ${seconds}s (${rate:-?} exec/s), peak RSS ${peak:-?} MB, slowest input ${slowest:-?}s"
echo "corpus:      $(ls "$work/corpus" | wc -l) files, $(du -sb "$work/corpus" | cut -f1) bytes (from $seeds seeds)"
echo "exit status: $status"
after=$(ls "$work/artifacts" | wc -l)
if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
  grep -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY' "$log" | head -5
  ls -t "$work"/artifacts/* 2>/dev/null | head -5 | sed 's/^/crash file:  /'
  exit 1
fi

#!/usr/bin/env bash
# Times many path arguments (issue 13, item 9): COUNT one-event files named on the command line,
# with the release build. argument-parser removed each positional value from its list one at a
# time, so the time grew with the square of the count (20,000 paths: 17 s); paths are now folded
# out of its hands (ArgumentRewriting) and the time is linear. Figures go into
# docs/robustness.md ("Output, depth and arguments").
# Usage: scripts/measure-paths.sh [COUNT...]   (default 5000 10000 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(5000 10000 20000)
work=${TRAIL_BENCH_DIR:-/tmp/trail-scan-bench}/paths
swift build -c release --product trail-scan >/dev/null
bin=$(swift build -c release --show-bin-path)/trail-scan
mkdir -p "$work"
cd "$work"
for count in "${counts[@]}"; do
  for ((i = 0; i < count; i++)); do
    [ -f "$i" ] || printf '{"eventVersion":"1.08","eventName":"E%d"}\n' "$i" >"$i"
  done
  mapfile -t paths < <(seq 0 $((count - 1)))
  start=$(date +%s.%N)
  lines=$("$bin" --format csv --fields eventName "${paths[@]}" | wc -l)
  end=$(date +%s.%N)
  printf '%6d paths: %6.2f s (%d lines)\n' "$count" "$(awk "BEGIN { print $end - $start }")" "$lines"
done

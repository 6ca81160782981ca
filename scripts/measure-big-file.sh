#!/usr/bin/env bash
# Measures one large log file end to end with the release build: wall time, throughput of
# uncompressed JSON and peak memory (maximum resident set, from /usr/bin/time -v), for
# `stats --by principal` (on one thread and on two: inflate ahead on the second) and a selective
# `search`, beside the bare single-threaded inflate with each library (trail-fixtures inflate).
# Figures go into docs/performance.md.
# Usage: scripts/measure-big-file.sh [BYTES]   (default 1 GB of uncompressed JSON)
set -euo pipefail
cd "$(dirname "$0")/.."
bytes=${1:-1000000000}
work=${TRAIL_BENCH_DIR:-/tmp/trail-scan-bench}
file="$work/big-$bytes.json.gz"

for tool in /usr/bin/time bc; do command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq time bc; }; done
swift build -c release --product trail-scan >/dev/null
swift build -c release --product trail-fixtures >/dev/null
bin=$(swift build -c release --show-bin-path)
mkdir -p "$work"
[ -f "$file" ] || "$bin/trail-fixtures" big-file "$file" --bytes "$bytes"

inflated=$(gzip -dc "$file" | wc -c)
compressed=$(stat -c %s "$file")
echo "file: $file ($compressed bytes gzip, $inflated bytes JSON)"

measure() {
  local label=$1; shift
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  local seconds
  seconds=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  printf '%-32s %8.2f s  %7.1f MB/s  peak RSS %6.1f MiB\n' "$label" "$seconds" \
    "$(echo "$inflated / $seconds / 1000000" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  rm -f "$log"
}

measure "gzip -dc (reference)" gzip -dc "$file"
measure "inflate, ISA-L (one core)" "$bin/trail-fixtures" inflate "$file" --engine isal
measure "inflate, zlib (one core)" "$bin/trail-fixtures" inflate "$file" --engine zlib
measure "stats --by principal, 1 thread" "$bin/trail-scan" stats "$file" --by principal --format jsonl --threads 1
measure "stats --by principal" "$bin/trail-scan" stats "$file" --by principal --format jsonl
measure "stats, from a pipe" sh -c "cat '$file' | '$bin/trail-scan' stats - --by principal --format jsonl"
measure "search --event-name (selective)" "$bin/trail-scan" "$file" --event-name ConsoleLogin --format jsonl

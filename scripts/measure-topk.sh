#!/usr/bin/env bash
# Measures what `--sort time` and `timeline` hold with and without `--limit` (issue 13, item 8):
# peak memory (maximum resident set, from /usr/bin/time -v) and wall time of the release build
# on one generated file of small events in shuffled time order. With --limit N only the N
# earliest events are held (a bounded heap); without it every match is. Figures go into
# docs/robustness.md ("Output, depth and arguments").
# Usage: scripts/measure-topk.sh [EVENTS]   (default 5,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-5000000}
work=${TRAIL_BENCH_DIR:-/tmp/trail-scan-bench}
file="$work/small-events-$events.jsonl.gz"

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
swift build -c release --product trail-scan >/dev/null
bin=$(swift build -c release --show-bin-path)/trail-scan
mkdir -p "$work"
if [ ! -f "$file" ]; then
  # One event a line, times spread over a day out of order (so the heap keeps being updated).
  python3 - "$events" <<'EOF' | gzip -1 >"$file.tmp"
import sys
out = sys.stdout
n = int(sys.argv[1])
for i in range(n):
    s = (i * 7919) % 86400
    out.write('{"eventVersion":"1.08","eventTime":"2024-05-14T%02d:%02d:%02dZ","eventSource":"s3.amazonaws.com",'
              '"eventName":"GetObject","eventID":"e%d"}\n' % (s // 3600, s // 60 % 60, s % 60, i))
EOF
  mv "$file.tmp" "$file"
fi
echo "file: $file ($(stat -c %s "$file") bytes gzip, $events events)"

# Runs a command under /usr/bin/time -v; prints its wall time and maximum resident set.
measure() {
  local label=$1; shift
  { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -v label="$label" -F': ' '
    /Elapsed \(wall clock\)/ { wall = $2 }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%-44s %10s  peak RSS %8.1f MiB\n", label, wall, rss / 1024 }'
}

measure "search --sort time --limit 10" "$bin" "$file" --sort time --limit 10 --format jsonl
measure "timeline --limit 10" "$bin" timeline "$file" --limit 10 --format csv
measure "search --sort time --limit 100000" "$bin" "$file" --sort time --limit 100000 --format jsonl
measure "search --sort time (every match held)" "$bin" "$file" --sort time --format jsonl
measure "timeline (every match held)" "$bin" timeline "$file" --format csv
measure "search --limit 10 (input order, stops early)" "$bin" "$file" --limit 10 --format jsonl

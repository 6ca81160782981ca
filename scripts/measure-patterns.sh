#!/usr/bin/env bash
# Measures the issue-13 traps with the release build: time (wall, and user since the machine
# may be shared) and peak memory (maximum resident set, from /usr/bin/time -v) of `--where`
# regexes on one 1 MB value — the issue's `a{0,1000}b` and the worst pattern accepted (two
# regexes of 256 elements, every element running at every character) — and of loading hostile
# rule files (the issue's alias bomb, an aliased mapping key). Figures go into
# docs/robustness.md ("Rule files and regex cost").
# Usage: scripts/measure-patterns.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=${TRAIL_BENCH_DIR:-/tmp/trail-scan-patterns}

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
swift build -c release --product trail-scan >/dev/null
bin=$(swift build -c release --show-bin-path)/trail-scan
mkdir -p "$work"

# One event whose eventName is 1 MB of `a` (what a record under the 1 MiB record limit holds), and
# a tiny log for `check` to read.
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
with open(f"{work}/value.json", "w") as f:
    json.dump({"Records": [{"eventTime": "2024-05-14T10:00:00Z", "eventName": "a" * 1000000}]}, f)
with open(f"{work}/small.json", "w") as f:
    json.dump({"Records": [{"eventTime": "2024-05-14T10:00:00Z", "eventName": "ConsoleLogin"}]}, f)
# The issue's bomb: one 100 KB string aliased 10,000 times (140 KB of file, 1 GB expanded).
aliases = ", ".join(["*big"] * 10000)
with open(f"{work}/alias-bomb.yml", "w") as f:
    f.write(f"description: &big {'x' * 100000}\nrules:\n  - id: bomb\n    title: Bomb\n    severity: high\n"
            f"    match: {{eventName: ConsoleLogin}}\n    references: [{aliases}]\n")
# A key that is 10^12 nodes once expanded (Yams hashes keys in full).
lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n-1}"] * 10) + "]" for n in range(1, 12)]
with open(f"{work}/key-bomb.yml", "w") as f:
    f.write("\n".join(lines + ["? *a11", ": 1"]) + "\n")
EOF

# The worst regex accepted: 256 elements (128 `a?`, 127 `a{0,1000}`, `b`), all of them
# running at every `a`; the second differs in its last element so both are evaluated (`||`).
worst=""
for _ in $(seq 128); do worst+="a?"; done
for _ in $(seq 127); do worst+="a{0,1000}"; done

measure() {
  local label=$1; shift
  local log status
  log=$(mktemp)
  set +e
  /usr/bin/time -v "$@" >/dev/null 2>"$log"
  status=$?
  set -e
  local wall user rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  user=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  local seconds
  seconds=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  printf '%-44s %6.2f s wall %6.2f s user  peak RSS %5.1f MiB  exit %d\n' "$label" "$seconds" "$user" \
    "$(awk "BEGIN {print $rss / 1024}")" "$status"
  grep -E '^trail-scan: ' "$log" | cut -c1-160 | sed 's/^/    /' || true
  rm -f "$log"
}

echo "release binary: $bin"
measure "search (no pattern), 1 MB value" "$bin" search "$work/value.json"
measure "%a{0,1000}b% on a 1 MB value" "$bin" search "$work/value.json" --where '{ $.eventName = %a{0,1000}b% }'
measure "%a*b% on a 1 MB value" "$bin" search "$work/value.json" --where '{ $.eventName = %a*b% }'
measure "worst accepted (2 x 256 elements), 1 MB" "$bin" search "$work/value.json" \
  --where "{ \$.eventName = %${worst}b% || \$.eventName = %${worst}c% }"
measure "check --rules alias-bomb.yml (140 KB)" "$bin" check "$work/small.json" --rules "$work/alias-bomb.yml" \
  --format json
measure "check --rules key-bomb.yml (600 B)" "$bin" check "$work/small.json" --rules "$work/key-bomb.yml"

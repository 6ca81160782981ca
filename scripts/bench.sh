#!/usr/bin/env bash
# The speed benchmark (issue 5): one run on the release build over a deterministic synthetic
# archive — trail-scan's main tasks beside a bare single-threaded inflate of the same files (with
# each inflate library the build has: ISA-L and zlib; the floor is the fastest), jq and DuckDB —
# printing MB/s of JSON, events/s, peak memory and ratios, and writing them into
# docs/performance.md between the bench markers. Usage: scripts/bench.sh [EVENTS] (default 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-200000}
work=${TRAIL_BENCH_DIR:-/tmp/trail-scan-bench}
archive="$work/archive-$events"
runs=${BENCH_RUNS:-5}

install() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; }; }
install hyperfine hyperfine
install jq jq
install bc bc
[ -x /usr/bin/time ] || install /usr/bin/time time
python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb || echo "bench: DuckDB unavailable, skipped" >&2

swift build -c release --product trail-scan >/dev/null
swift build -c release --product trail-fixtures >/dev/null
bin=$(swift build -c release --show-bin-path)
mkdir -p "$work"
[ -d "$archive" ] || "$bin/trail-fixtures" archive "$archive" --events "$events" >&2

json_bytes=$("$bin/trail-fixtures" inflate "$archive" | awk '{print $3}')
gz_bytes=$(find "$archive" -path '*/CloudTrail/*' -name '*.json.gz' -printf '%s\n' | awk '{s += $1} END {print s}')
where='{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
jq_cmd="find '$archive' -path '*/CloudTrail/*' -name '*.json.gz' -print0 | xargs -0 zcat | jq -r '.Records[].userIdentity.arn' | sort | uniq -c > /dev/null"

# The default engine (ISA-L unless built with --disable-default-traits) and zlib.
commands=(
  -n inflate "$bin/trail-fixtures inflate $archive"
  -n inflate-zlib "$bin/trail-fixtures inflate $archive --engine zlib"
  -n stats "$bin/trail-scan stats $archive --by principal --format jsonl"
  -n stats-1thread "$bin/trail-scan stats $archive --by principal --format jsonl --threads 1"
  -n search "$bin/trail-scan $archive --event-name ConsoleLogin --format jsonl"
  -n where "$bin/trail-scan $archive --format jsonl --where '$where'"
  -n jsonl "$bin/trail-scan $archive --format jsonl"
  # check and validate exit 1 on findings / invalid files (the generated digests are not signed
  # with a key we publish); the cost is the same either way.
  -n check "$bin/trail-scan check $archive --format json > /dev/null || [ \$? -eq 1 ]"
  -n validate "$bin/trail-scan validate $archive --format jsonl > /dev/null || [ \$? -eq 1 ]"
  -n jq "$jq_cmd"
)
python3 -c 'import duckdb' 2>/dev/null && commands+=(-n duckdb "python3 scripts/duckdb-count.py $archive")
hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/bench.json" "${commands[@]}" >&2

peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
peak_stats=$(peak "$bin/trail-scan" stats "$archive" --by principal --format jsonl)
peak_jsonl=$(peak "$bin/trail-scan" "$archive" --format jsonl)

report=$(python3 - "$work/bench.json" "$json_bytes" "$gz_bytes" "$events" "$peak_stats" "$peak_jsonl" <<'PY'
import json, sys, platform, datetime, subprocess
data = json.load(open(sys.argv[1]))
json_bytes, gz_bytes, events = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
peak_stats, peak_jsonl = int(sys.argv[5]) / 1024, int(sys.argv[6]) / 1024
med = {r["command"]: r["median"] for r in data["results"]}
# The floor: the fastest single-threaded inflate of the archive, whichever library gives it.
base = min(t for name, t in med.items() if name.startswith("inflate"))
cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()
print(f"Measured {datetime.date.today()} on {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; "
      f"`scripts/bench.sh {events}` (hyperfine, {data['results'][0]['times'].__len__()} runs, medians).")
print()
print(f"Archive: {events:,} events, {json_bytes / 1e6:.1f} MB of JSON, {gz_bytes / 1e6:.1f} MB gzip.")
print()
print("| command | median | JSON MB/s | events/s | vs the fastest inflate |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, t in med.items():
    print(f"| {name} | {t:.2f} s | {json_bytes / t / 1e6:.0f} | {events / t:,.0f} | {t / base:.2f}× |")
print()
ratios = []
if "jq" in med: ratios.append(f"jq / stats = {med['jq'] / med['stats']:.1f}×")
if "duckdb" in med: ratios.append(f"DuckDB / stats = {med['duckdb'] / med['stats']:.1f}×")
extra = [f"{name} / inflate = {med[name] / base:.2f}×" for name in ("check", "validate") if name in med]
print("Ratios: " + ", ".join(ratios + [f"stats / inflate = {med['stats'] / base:.2f}×", f"search / inflate = {med['search'] / base:.2f}×"] + extra) + ".")
print()
print(f"Peak memory (max RSS, `/usr/bin/time`): stats {peak_stats:.1f} MiB, jsonl of everything {peak_jsonl:.1f} MiB.")
PY
)
echo "$report"
python3 - docs/performance.md "$report" <<'PY'
import sys
path, report = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
if begin in text and end in text:
    text = text[:text.index(begin) + len(begin)] + "\n" + report + "\n" + text[text.index(end):]
else:
    text += "\n## Benchmark (issue 5)\n\n" + begin + "\n" + report + "\n" + end + "\n"
open(path, "w").write(text)
PY

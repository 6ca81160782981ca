#!/usr/bin/env bash
# The speed benchmark (issue 5): one run on the release build over a deterministic synthetic
# archive — trail-scan's main tasks beside a bare single-threaded inflate of the same files (with
# each inflate library the build has: ISA-L and zlib; the floor is the fastest), jq and DuckDB, and one large file —
# printing MB/s of JSON, events/s, peak memory and ratios, and writing them into
# docs/performance.md between the bench markers. Usage: scripts/bench.sh [EVENTS] (default 200000);
# BENCH_ONLY=store runs only its last part, the event store's (issue 19).
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
[ "${BENCH_ONLY:-}" = store ] || python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb || echo "bench: DuckDB unavailable, skipped" >&2

swift build -c release --product trail-scan >/dev/null
swift build -c release --product trail-fixtures >/dev/null
bin=$(swift build -c release --show-bin-path)
mkdir -p "$work"
[ -d "$archive" ] || "$bin/trail-fixtures" archive "$archive" --events "$events" >&2

json_bytes=$("$bin/trail-fixtures" inflate "$archive" | awk '{print $3}')
gz_bytes=$(find "$archive" -path '*/CloudTrail/*' -name '*.json.gz' -printf '%s\n' | awk '{s += $1} END {print s}')
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

if [ "${BENCH_ONLY:-}" != store ]; then
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

# The strongest peers on the same task, events per principal (../shared/bench/peer_anchors.py:
# chDB, Polars, DuckDB), over the files they read (ARCHIVE/AWSLogs: their file pattern skips the
# org trail's folder), beside trail-scan on the same folder, in one run of their own.
peers=${TRAIL_PEERS:-../shared/bench/peer_anchors.py}
[ -f "$peers" ] || peers=/work/shared/bench/peer_anchors.py
peer_line=""
if [ -f "$peers" ]; then
  for engine in chdb polars; do python3 -c "import $engine" 2>/dev/null || pip install -q "$engine" || true; done
  peer_commands=(-n trail-scan "$bin/trail-scan stats $archive/AWSLogs --by principal --format jsonl")
  for engine in chdb polars duckdb; do
    python3 -c "import $engine" 2>/dev/null && peer_commands+=(-n "$engine" "python3 $peers $engine $archive/AWSLogs")
  done
  hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/peers.json" "${peer_commands[@]}" >&2
  peer_line=$(python3 - "$work/peers.json" <<'PY'
import json, sys
med = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
ours = med.pop("trail-scan")
print("Peers, events per principal over `ARCHIVE/AWSLogs` (the peers' file pattern; one run, medians): trail-scan "
      f"{ours:.2f} s; " + ", ".join(f"{name} {t:.2f} s (trail-scan / {name} = {ours / t:.2f}×)" for name, t in med.items()) + ".")
PY
)
fi

# One large file (issue 16): `stats` against the single-threaded inflate of the same file; the
# file is read by both cores (inflate ahead, records parsed by every worker).
big="$work/big-326000000.json.gz"
[ -f "$big" ] || "$bin/trail-fixtures" big-file "$big" --bytes 326000000 >&2
hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/big.json" \
  -n inflate-big "$bin/trail-fixtures inflate $big" \
  -n stats-big "$bin/trail-scan stats $big --by principal --format jsonl" >&2
big_line=$(python3 - "$work/big.json" "$big" "$(stat -c %s "$big")" "$(peak "$bin/trail-scan" stats "$big" --by principal --format jsonl)" <<'PY'
import json, sys
med = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
print(f"One large file (`{sys.argv[2].rsplit('/', 1)[-1]}`, {int(sys.argv[3]) / 1e6:.1f} MB gzip; one run, medians): "
      f"inflate {med['inflate-big']:.3f} s, `stats --by principal` {med['stats-big']:.3f} s: "
      f"stats / its inflate = {med['stats-big'] / med['inflate-big']:.2f}×; peak memory {int(sys.argv[4]) / 1024:.1f} MiB.")
PY
)

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
[ -n "$peer_line" ] && report="$report"$'\n\n'"$peer_line"
report="$report"$'\n\n'"$big_line"
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
fi

# The event store (issue 19): ingest against `stats --by principal`, a second ingest of the
# unchanged archive against the first, selective questions from the store against the same
# command scanning the archive, the store's size against the archive's JSON, and ingest's peak
# memory; written between the store-bench markers of docs/performance.md.
store="$work/store-$events.db"
day=2024-05-16  # the last day of the generated archive
principal=arn:aws:iam::111122223333:user/alice
hyperfine --warmup 0 --runs 3 --style basic --export-json "$work/store-ingest.json" \
  --prepare "rm -f '$store' '$store-wal' '$store-shm' '$store-journal'" \
  -n ingest "$bin/trail-scan ingest $archive --store $store" \
  -n stats "$bin/trail-scan stats $archive --by principal --format jsonl" >&2
hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/store-questions.json" -i \
  -n reingest "$bin/trail-scan ingest $archive --store $store" \
  -n stats-day-archive "$bin/trail-scan stats $archive --by principal --since $day --format jsonl" \
  -n stats-day-store "$bin/trail-scan stats --store $store --by principal --since $day --format jsonl" \
  -n who-archive "$bin/trail-scan who $archive --action iam:CreateUser --format jsonl" \
  -n who-store "$bin/trail-scan who --store $store --action iam:CreateUser --format jsonl" \
  -n what-archive "$bin/trail-scan what $archive --principal $principal --format jsonl" \
  -n what-store "$bin/trail-scan what --store $store --principal $principal --format jsonl" \
  -n start-up "$bin/trail-scan --version" >&2
# The floor of one SQLite writer: the stored rows copied into an empty store of the same schema
# by SQLite itself (nothing parsed, derived or compressed), then its question indexes built as
# `ingest` builds them; median of 3, seconds.
floor=$(python3 - "$store" "$work/store-floor.db" <<'PY'
import os, sqlite3, statistics, sys, time
source, copy = sys.argv[1], sys.argv[2]
schema = sqlite3.connect(source).execute(
    "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'index')").fetchall()
tables = ["identities", "event_rows", "targets"]
runs = []
for _ in range(3):
    for suffix in ("", "-journal"):
        if os.path.exists(copy + suffix): os.remove(copy + suffix)
    db = sqlite3.connect(copy, isolation_level=None)
    db.executescript("PRAGMA page_size=8192; PRAGMA cache_size=-65536; PRAGMA synchronous=NORMAL;")
    for kind, name, sql in schema:
        if kind == "table" and name in tables: db.execute(sql)
    for kind, name, sql in schema:  # the indexes kept while inserting (the others come after)
        if name in ("event_rows_order", "event_rows_delivery"): db.execute(sql)
    db.execute(f"ATTACH '{source}' AS source")
    start = time.monotonic()
    db.execute("BEGIN")
    for table in tables: db.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table} ORDER BY rowid" if table != "targets" else f"INSERT INTO main.{table} SELECT * FROM source.{table}")
    db.execute("COMMIT")
    db.executescript("PRAGMA threads=2; PRAGMA cache_size=-2000;")
    for kind, name, sql in schema:
        if kind == "index" and name.split("_")[0] in ("event", "targets", "identities") and name not in ("event_rows_order", "event_rows_delivery"):
            db.execute(sql)
    runs.append(time.monotonic() - start)
    db.close()
os.remove(copy)
print(f"{statistics.median(runs):.3f}")
PY
)
rm -f "$store" "$store-wal" "$store-shm" "$store-journal"
peak_ingest=$(peak "$bin/trail-scan" ingest "$archive" --store "$store")
store_bytes=$(stat -c %s "$store")
store_report=$(python3 - "$work/store-ingest.json" "$work/store-questions.json" "$json_bytes" "$store_bytes" "$peak_ingest" "$day" "$floor" <<'PY'
import json, sys, datetime, subprocess
first = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
then = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
json_bytes, store_bytes, peak, day = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]) / 1024, sys.argv[6]
floor = float(sys.argv[7])
med = {k: v["median"] for k, v in {**first, **then}.items()}
cpu = {k: v["user"] + v["system"] for k, v in {**first, **then}.items()}
load = open("/proc/loadavg").read().split()[0]
print(f"Measured {datetime.date.today()}, `scripts/bench.sh` (hyperfine medians; load average {load} on 2 cores: "
      "compare the CPU column when the machine is busy).")
print()
print("| command | median | CPU (user+sys, mean) |")
print("| --- | ---: | ---: |")
for name in ["stats", "ingest", "reingest", "stats-day-archive", "stats-day-store", "who-archive", "who-store", "what-archive", "what-store", "start-up"]:
    print(f"| {name} | {med[name]:.3f} s | {cpu[name]:.3f} s |")
print()
def ratio(a, b): return f"{med[a] / med[b]:.2f}× (CPU {cpu[a] / cpu[b]:.2f}×)"
print(f"Targets: ingest / stats = {ratio('ingest', 'stats')} (target ≤ 3×); second ingest / first = "
      f"{ratio('reingest', 'ingest')} (≤ 0.1×); from the store / scanning: `stats --since {day}` "
      f"{ratio('stats-day-store', 'stats-day-archive')}, `who --action iam:CreateUser` {ratio('who-store', 'who-archive')}, "
      f"`what --principal` {ratio('what-store', 'what-archive')} (each ≤ 0.1×).")
print()
print(f"Floors: one SQLite writer copying the stored rows into an empty store of the same schema and building its "
      f"indexes (nothing parsed, derived or compressed) {floor:.3f} s = {floor / med['stats']:.2f}× `stats`; a bare "
      f"`trail-scan --version` {med['start-up'] * 1000:.1f} ms = {med['start-up'] / med['stats-day-archive']:.3f}× "
      f"`stats --since {day}` scanning.")
print()
print(f"Store size {store_bytes / 1e6:.1f} MB for {json_bytes / 1e6:.1f} MB of JSON ({store_bytes / json_bytes:.2f}×, target ≤ 1×); "
      f"ingest peak memory {peak:.1f} MiB.")
PY
)
echo "$store_report"
python3 - docs/performance.md "$store_report" <<'PY'
import sys
path, report = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- store-bench:begin -->", "<!-- store-bench:end -->"
if begin in text and end in text:
    text = text[:text.index(begin) + len(begin)] + "\n" + report + "\n" + text[text.index(end):]
else:
    text += "\n## The event store (issue 19)\n\n" + begin + "\n" + report + "\n" + end + "\n"
open(path, "w").write(text)
PY

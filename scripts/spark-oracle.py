#!/usr/bin/env python3
# Runs SQL scripts written by `trail-scan … --emit spark` on real Apache Spark (pyspark, local
# mode), one session for all of them (Spark takes 10-20 s to start), and prints each script's
# result rows as JSON, for the tests to compare with the local engine's answers.
#
# usage: spark-oracle.py JOBS.json   JOBS.json: [{"name": "...", "script": "..."}, ...]
# Scripts in a row with the same table statements share them: they run once, and the view of
# records is cached (CACHE TABLE), so that each question does not parse the archive again.
# output (stdout): one JSON object per job: {"name", "rows": [...], "seconds"} or {"name", "error"}
import json
import os
import sys
import time


def statements(script):
    """The script's statements: each ends with `;` at the end of a line (literals in emitted
    Spark scripts never hold a raw line break: control characters are written as \\uXXXX)."""
    out, current = [], []
    for line in script.splitlines():
        if line.startswith("--") and not current:
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            text = "\n".join(current).rstrip().rstrip(";").strip()
            if text:
                out.append(text)
            current = []
    rest = "\n".join(current).strip()
    if rest:
        out.append(rest)
    return out


def plain(value):
    """Spark values as JSON values (Rows as objects, lists as arrays)."""
    if hasattr(value, "asDict"):
        return {k: plain(v) for k, v in value.asDict(recursive=False).items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        jobs = json.load(f)
    started = time.time()
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("trail-scan spark oracle")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.showConsoleProgress", "false")
        # The translation's lambdas (transform, filter, exists) are interpreted anyway, and a
        # whole stage made of them can exceed the JVM's 64 KB method limit: Spark then logs the
        # failed compilation and falls back, after the time spent trying.
        .config("spark.sql.codegen.wholeStage", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    print(json.dumps({"name": "(spark start)", "seconds": round(time.time() - started, 1),
                      "version": spark.version}), flush=True)
    defined = None  # the table statements last run, and cached
    for job in jobs:
        begin = time.time()
        try:
            result = None
            parts = statements(job["script"])
            # Scripts over the same archive define the same views: run them once and cache the
            # records, so that each question does not read and parse the archive again.
            if parts[:-1] != defined:
                defined = None
                spark.sql("UNCACHE TABLE IF EXISTS trail_scan_cloudtrail")
                for statement in parts[:-1]:
                    spark.sql(statement)
                spark.sql("CACHE TABLE trail_scan_cloudtrail")
                defined = parts[:-1]
            result = spark.sql(parts[-1])
            rows = [plain(row) for row in result.collect()] if result is not None else []
            print(json.dumps({"name": job["name"], "rows": rows, "seconds": round(time.time() - begin, 1)}),
                  flush=True)
        except Exception as error:  # a failed script is a result to report, not a crash
            print(json.dumps({"name": job["name"], "error": str(error)[:4000]}), flush=True)
    # The JVM's processor time (it is not a child this process waits for, so `time` misses it).
    try:
        pid = spark.sparkContext._gateway.proc.pid
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        print(json.dumps({"name": "(spark end)", "seconds": round(time.time() - started, 1),
                          "jvm_cpu_seconds": round((int(fields[11]) + int(fields[12])) / ticks, 1)}), flush=True)
    except (OSError, AttributeError, IndexError, ValueError):
        pass
    spark.stop()


if __name__ == "__main__":
    main()

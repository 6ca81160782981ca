#!/usr/bin/env python3
# The DuckDB side of the benchmark: count events per userIdentity.arn over an archive's log
# files with read_json (2 threads), the same question `trail-scan stats --by principal` answers.
# Usage: scripts/duckdb-count.py ARCHIVE_DIR
import glob, sys
import duckdb

files = sorted(glob.glob(sys.argv[1] + "/**/CloudTrail/**/*.json.gz", recursive=True))
con = duckdb.connect()
con.execute("SET threads = 2")
rows = con.execute(
    "SELECT r.userIdentity.arn AS arn, count(*) AS n FROM "
    "(SELECT unnest(Records) AS r FROM read_json(?, format = 'auto', union_by_name = true, maximum_object_size = 67108864)) "
    "GROUP BY 1 ORDER BY 2 DESC", [files]).fetchall()
print(len(rows), "groups,", sum(n for _, n in rows), "events")

#!/usr/bin/env python3
# The DuckDB side of the benchmark: count events per userIdentity.arn over an archive's log
# files with read_json (2 threads), the same question `trail-scan stats --by principal` answers.
# The schema of the one field needed is given: DuckDB's best case (inferring it per file over
# hundreds of files, with union_by_name, ran out of memory at 4 GB).
# Usage: scripts/duckdb-count.py ARCHIVE_DIR
import glob, sys
import duckdb

files = sorted(glob.glob(sys.argv[1] + "/**/CloudTrail/**/*.json.gz", recursive=True))
con = duckdb.connect()
con.execute("SET threads = 2")
con.execute("SET memory_limit = '4GB'")
rows = con.execute(
    "SELECT r.userIdentity.arn AS arn, count(*) AS n FROM "
    "(SELECT unnest(Records) AS r FROM read_json(?, columns = {'Records': 'STRUCT(userIdentity STRUCT(arn VARCHAR))[]'})) "
    "GROUP BY 1 ORDER BY 2 DESC", [files]).fetchall()
print(len(rows), "groups,", sum(n for _, n in rows), "events")

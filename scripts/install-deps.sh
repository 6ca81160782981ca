#!/usr/bin/env bash
# Installs what the build needs when it is missing (a fresh machine has Swift, CPython and zlib
# only) and, with --tests, what the tests need too: a JRE for Spark and the Python oracles. The
# README's two set-up commands and .ci/run call it, so the three stay in step; it does nothing
# when everything is there.
set -euo pipefail
tests=false
[ "${1:-}" = "--tests" ] && tests=true
missing=()
# zlib and ISA-L (gzip: ISA-L inflates, zlib is the fallback and replays damage), SQLite and zstd
# (the event store, docs/store.md), through system-library targets.
for package in zlib1g-dev libisal-dev libsqlite3-dev libzstd-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
# scripts/release.sh strips the binary and reads its libraries; the CI snippet test fetches with curl.
command -v strip >/dev/null 2>&1 || missing+=(binutils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# SparkAgreementTests run the SQL of `--emit spark` on real Spark (pyspark, local mode): Java 17.
if $tests; then command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless); fi
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi

# The tests' independent oracles: SARIF schema (jsonschema), JUnit XML (junitparser), IAM
# actions (policy_sentry), Sigma (pysigma), Spark (pyspark) and Trino SQL (sqlglot).
if $tests; then
  python3 -c 'import jsonschema, junitparser, policy_sentry, sigma, pyspark, sqlglot' 2>/dev/null \
    || python3 -m pip install -q jsonschema junitparser policy_sentry pysigma pyspark sqlglot
fi

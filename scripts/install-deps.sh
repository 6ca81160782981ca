#!/usr/bin/env bash
# Installs the Debian packages the build needs when they are missing (a fresh machine has only
# Swift and CPython): zlib and ISA-L headers for TrailGzip, gzip for tests. The README's set-up
# and .ci/run call it; it does nothing when everything is there.
set -euo pipefail
missing=()
for package in zlib1g-dev libisal-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

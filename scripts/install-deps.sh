#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need when they are missing (a fresh
# machine has Swift, CPython and zlib only). The README's two set-up commands and .ci/run call
# it, so the three stay in step; it does nothing when everything is there.
set -euo pipefail
missing=()
# zlib (gzip), SQLite and zstd (the event store, docs/store.md), through system-library targets.
for package in zlib1g-dev libsqlite3-dev libzstd-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
# scripts/release.sh strips the binary and reads its libraries; the CI snippet test fetches with curl.
command -v strip >/dev/null 2>&1 || missing+=(binutils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi

#!/usr/bin/env bash
# Builds the release anyone can install: a trail-scan binary with the Swift runtime linked in
# (--static-swift-stdlib), its man page generated from the command definitions, shell
# completions, the README and licences, in trail-scan-VERSION-linux-ARCH.tar.gz, with release
# notes beside it. The version comes from the built binary (`trail-scan --version`), the one
# place it is written (Sources/trail-scan/TrailScanCommand.swift), so the tarball's name, the
# notes and the binary cannot disagree.
#
#   scripts/release.sh [--output DIR]        (default DIR: dist)
#
# RELEASE_SCRATCH_PATH picks SwiftPM's build folder (default .build); the tests use a folder of
# their own so that they can run while `swift test` holds .build.
set -euo pipefail
cd "$(dirname "$0")/.."

output=dist
while (($#)); do
  case $1 in
    --output) [ $# -ge 2 ] || { echo "release.sh: --output needs a folder" >&2; exit 2; }; output=$2; shift 2 ;;
    --output=*) output=${1#--output=}; shift ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown argument '$1' (usage: scripts/release.sh [--output DIR])" >&2; exit 2 ;;
  esac
done
scratch=${RELEASE_SCRATCH_PATH:-.build}
build=(swift build -c release --static-swift-stdlib --scratch-path "$scratch")

started=$SECONDS
"${build[@]}" --product trail-scan
# argument-parser's man page generator (what its generate-manual plugin runs), built with the
# same flags so that it shares the release build of ArgumentParser.
"${build[@]}" --product generate-manual
bin=$("${build[@]}" --show-bin-path)
echo "release.sh: built in $((SECONDS - started)) s" >&2

version=$("$bin/trail-scan" --version)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || {
  echo "release.sh: trail-scan --version printed '$version', not a version" >&2
  exit 1
}
arch=$(uname -m)
name=trail-scan-$version-linux-$arch

# Nothing of the Swift runtime may be left to the system: the binary must run without Swift.
libraries=$(ldd "$bin/trail-scan" | awk '{print $1}' | sort)
if grep -Eq 'libswift|libFoundation|libdispatch|libBlocksRuntime|lib_FoundationICU' <<<"$libraries"; then
  echo "release.sh: the binary still needs Swift runtime libraries:" >&2
  grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|lib_FoundationICU' <<<"$libraries" >&2
  exit 1
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/trail-scan-release.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/$name
mkdir -p "$root/completions" "$root/licenses"
cp "$bin/trail-scan" "$root/trail-scan"
strip "$root/trail-scan"

# The man page covers every subcommand (one page); dated by the last commit, so that the same
# commit gives the same page.
date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
"$bin/generate-manual" "$root/trail-scan" --output-directory "$root" --date "$date"
[ -s "$root/trail-scan.1" ] || { echo "release.sh: no man page was generated" >&2; exit 1; }
# The help's blank lines between paragraphs become mdoc paragraph breaks (mdoc warns on blank lines).
sed -i 's/^$/.Pp/' "$root/trail-scan.1"

"$root/trail-scan" --generate-completion-script bash >"$root/completions/trail-scan.bash"
"$root/trail-scan" --generate-completion-script zsh >"$root/completions/_trail-scan"
"$root/trail-scan" --generate-completion-script fish >"$root/completions/trail-scan.fish"

cp README.md "$root/README.md"
if [ -f LICENSE ]; then
  cp LICENSE "$root/LICENSE"
else
  echo "release.sh: warning: the repository has no LICENSE file; the tarball has none for trail-scan itself" >&2
fi
# The libraries linked into the binary, with their licences and notices (Apache 2.0 and MIT
# ask for them to go with the binary). The Swift runtime's licence has a runtime library
# exception and asks for nothing.
for package in swift-argument-parser Yams swift-crypto swift-asn1; do
  for file in "$scratch/checkouts/$package"/{LICENSE,LICENSE.txt,NOTICE.txt}; do
    [ -f "$file" ] && cp "$file" "$root/licenses/$package-$(basename "$file")"
  done
done

mkdir -p "$output"
tarball=$output/$name.tar.gz
# Reproducible: sorted names, no owners, the commit's time.
mtime=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -cf - "$name" | gzip -9n >"$tarball"
sha=$(sha256sum "$tarball" | awk '{print $1}')

{
  echo "# trail-scan $version (linux $arch)"
  echo
  echo "- $name.tar.gz, SHA-256 $sha"
  echo "- The Swift runtime is linked in. The binary needs these shared libraries of the system"
  echo "  (\`ldd trail-scan\`):"
  ldd "$bin/trail-scan" | awk '{print "  - `" $1 "`"}'
} >"$output/$name.md"

echo "$tarball"

#!/usr/bin/env bash
# Fetches the pinned Aeron (and SBE tool) jars from Maven Central into .aeron/.
# The versions live in one place: package.json -> "aeron": { "version", "sbeVersion" }.
# AERON_VERSION=<x.y.z> fetches that Aeron release instead, beside the pinned one (the interop harness,
# harness/aeron-jars.ts, runs against it when the same AERON_VERSION is set for the tests).
# Idempotent: jars already present are kept. Fails with one clear line when Java or Maven is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v java >/dev/null 2>&1 || { echo "setup-aeron: Java 17+ is needed (java not found on PATH)" >&2; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "setup-aeron: Maven is needed to fetch the Aeron jars (mvn not found on PATH)" >&2; exit 1; }

read -r PINNED_VERSION SBE_VERSION < <(node -e 'const a=require("./package.json").aeron; console.log(a.version, a.sbeVersion)')
AERON_VERSION=${AERON_VERSION:-$PINNED_VERSION}
[[ $AERON_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  { echo "setup-aeron: AERON_VERSION must look like 1.51.0 (got '$AERON_VERSION')" >&2; exit 1; }
DEST=.aeron
mkdir -p "$DEST"
PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
LOG=$(mktemp "${TMPDIR:-/tmp}/setup-aeron-mvn.XXXXXX") # one per run: two versions may be fetched at once
trap 'rm -f "$LOG"' EXIT

fetch() { # groupId:artifactId:version[:packaging[:classifier]] file
  local coords=$1 file=$2
  if [ -s "$DEST/$file" ]; then return 0; fi
  echo "setup-aeron: fetching $coords"
  mvn -q -B "$PLUGIN:copy" -Dartifact="$coords" -DoutputDirectory="$DEST" -Dmdep.overWriteReleases=true >"$LOG" 2>&1 ||
    { cat "$LOG" >&2; echo "setup-aeron: Maven could not fetch $coords" >&2; exit 1; }
  [ -s "$DEST/$file" ] || { echo "setup-aeron: $file missing after fetch" >&2; exit 1; }
}

fetch "io.aeron:aeron-all:$AERON_VERSION" "aeron-all-$AERON_VERSION.jar"
fetch "io.aeron:aeron-all:$AERON_VERSION:jar:sources" "aeron-all-$AERON_VERSION-sources.jar"
fetch "uk.co.real-logic:sbe-all:$SBE_VERSION" "sbe-all-$SBE_VERSION.jar"
echo "setup-aeron: aeron-all $AERON_VERSION and sbe-all $SBE_VERSION in $DEST/"
